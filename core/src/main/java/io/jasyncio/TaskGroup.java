package io.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Structured concurrency (asyncio's {@code TaskGroup}, Trio's nursery), used with
 * try-with-resources:
 * <pre>{@code
 * try (TaskGroup group = Async.taskGroup()) {
 *     group.spawn(() -> fetch("a"));
 *     group.spawn(() -> fetch("b"));
 * } // waits here for both
 * }</pre>
 *
 * <ul>
 * <li>{@link #close()} waits until every child has finished.
 * <li>The first child to fail (with anything but a cancellation) cancels all the others, and the
 *     owner's body is interrupted at its next suspension point inside the block by a
 *     {@link TaskGroupException}, the same instance that collects every failure of the group.
 *     If the body does not suspend again, {@code close()} throws it instead. Either way, all
 *     failures reach the caller.
 * <li>If the owner task is cancelled, {@code close()} cancels the children, waits for them, and
 *     the cancellation propagates.
 * </ul>
 *
 * <p>Java's try-with-resources cannot tell {@code close()} that the body threw. So if the body
 * fails with its own exception (not a cancellation), the children are not cancelled for it:
 * {@code close()} still waits for them to finish, then that exception propagates. Call
 * {@link #cancel()} in a {@code catch} or {@code finally} inside the block if the children must
 * stop when the body fails.
 *
 * <p>Owned by the task that opened it; its methods are for the loop's thread.
 */
public final class TaskGroup implements AutoCloseable {

    private final EventLoop loop;
    private final Task<?> owner;
    private final CancelScope scope = CancelScope.create();
    private final LinkedHashSet<Task<?>> running = new LinkedHashSet<>();
    private final Awaitable.Listener onChildDone = a -> childDone((Task<?>) a);
    private TaskGroupException failure;
    private boolean waitingInClose, closing, closed;

    /** For dumps: the owner (any thread). */
    Task<?> ownerForDump() {
        return owner;
    }

    /** For dumps (any thread, racy: may throw if the loop changes the set meanwhile). */
    List<Task<?>> runningForDump() {
        return new ArrayList<>(running);
    }

    TaskGroup(Task<?> owner) {
        this.owner = owner;
        this.loop = owner.loop;
        scope.enter(owner);
    }

    /**
     * Starts {@code body} as a child task of this group.
     *
     * @param <T> the type of the task's value
     * @param body the child's code
     * @return the child task
     */
    public <T> Task<T> spawn(Callable<? extends T> body) {
        return spawn(null, body);
    }

    /**
     * Starts {@code body} as a named child task of this group.
     *
     * @param <T> the type of the task's value
     * @param name the child's name
     * @param body the child's code
     * @return the child task
     * @throws IllegalStateException if the group has finished, or is shutting down after a failure
     */
    public <T> Task<T> spawn(String name, Callable<? extends T> body) {
        Objects.requireNonNull(body, "body");
        loop.checkThread("TaskGroup.spawn");
        if (closed) {
            throw new IllegalStateException("this task group is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("this task group is shutting down after a failure", failure);
        }
        Task<T> t = loop.spawn(name, body);
        t.group = this;
        running.add(t);
        t.addListener(onChildDone);
        return t;
    }

    /**
     * Cancels every child still running. The owner's body is not interrupted; {@code close()}
     * then waits for the children to finish their cancellation.
     */
    public void cancel() {
        loop.checkThread("TaskGroup.cancel");
        cancelChildren("the task group was cancelled");
    }

    /**
     * Children that have not finished yet, in spawn order.
     *
     * @return the unfinished children
     */
    public List<Task<?>> tasks() {
        return new ArrayList<>(running);
    }

    private void cancelChildren(String why) {
        for (Task<?> t : new ArrayList<>(running)) {
            t.cancel(why);
        }
    }

    private void childDone(Task<?> child) {
        running.remove(child);
        if (child.state() == Awaitable.State.FAILED) {
            Throwable e = child.failureOrNull();
            child.markRetrieved();
            if (failure == null) {
                failure = new TaskGroupException(e);
                cancelChildren("another task in the group failed");
                scope.deliverInstead = failure;
                scope.cancel("a task in the group failed");
            } else {
                failure.add(e);
            }
        }
        if (running.isEmpty() && waitingInClose && owner.isParkedOn(this)) {
            owner.wake(null);
        }
    }

    /**
     * Waits for every child to finish, then leaves the group. Throws the group's
     * {@link TaskGroupException} if a child failed and the body has not already received it, or
     * the owner's cancellation if it was cancelled while waiting. Idempotent.
     */
    @Override
    public void close() {
        if (closed || closing) {
            return;
        }
        loop.checkThread("TaskGroup.close");
        if (loop.currentTask != owner) {
            throw new IllegalStateException("a task group must be closed by the task that opened it ('"
                    + owner.getName() + "')");
        }
        closing = true;
        boolean failureAlreadyThrown = scope.delivered;
        // Failures of enclosing groups already thrown at a suspension point: the body may be
        // propagating one of them right now, and close() must not throw that same instance
        // again (try-with-resources would add it to itself as suppressed, which throws).
        List<RuntimeException> enclosingFailuresThrown = new ArrayList<>(0);
        for (CancelScope s = scope.parent; s != null; s = s.parent) {
            if (s.delivered) {
                enclosingFailuresThrown.add(s.deliverInstead);
            }
        }
        RuntimeException interrupted = null;
        try {
            while (!running.isEmpty()) {
                waitingInClose = true;
                try {
                    if (interrupted == null) {
                        owner.throwIfCancelled();
                        owner.park(this, true);
                    } else {
                        // Once cancelled or failed, wait out the children without throwing again.
                        owner.park(this, false);
                    }
                } catch (CancelledException | TaskGroupException e) {
                    interrupted = e;
                    cancelChildren(e instanceof CancelledException ? "the task that owns the group was cancelled"
                            : "another task in the group failed");
                } finally {
                    waitingInClose = false;
                }
            }
        } finally {
            scope.exit();
            closed = true;
        }
        if (failure != null) {
            if (!failureAlreadyThrown) {
                throw failure;
            }
            return;
        }
        if (interrupted != null) {
            for (RuntimeException thrown : enclosingFailuresThrown) {
                if (thrown == interrupted) {
                    return;
                }
            }
            throw interrupted;
        }
    }
}
