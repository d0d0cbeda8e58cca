package io.jasyncio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A result that will exist later on one event loop: the common face of {@link Promise} (completed
 * by whoever holds it) and {@link Task} (completed by its coroutine). asyncio calls this a Future;
 * the name here avoids {@link java.util.concurrent.Future}.
 *
 * <h2>States</h2>
 * <pre>
 *   PENDING ──complete──▶ SUCCESS
 *      │    ──fail──────▶ FAILED
 *      └────cancel──────▶ CANCELLED
 * </pre>
 * A done state never changes again. On entering one, waiting tasks are woken in the order they
 * began to wait, internal listeners run at once, and user done-callbacks are scheduled with
 * {@code callSoon}, in the order they were added.
 *
 * <p>Not thread-safe: use it on its loop's thread. From another thread, convert it with
 * {@link #toCompletableFuture()}.
 *
 * @param <T> the type of the value
 */
public abstract sealed class Awaitable<T> permits Promise, Task {

    /** Where an awaitable is in its life. */
    public enum State {
        /** Not done yet. */
        PENDING,
        /** Done with a value. */
        SUCCESS,
        /** Done with an exception. */
        FAILED,
        /** Done by cancellation. */
        CANCELLED
    }

    /** Internal completion hook, run synchronously at completion on the loop thread. */
    interface Listener {
        void completed(Awaitable<?> awaitable);
    }

    /** A user done-callback, scheduled with callSoon at completion. */
    private record DoneCallback<T>(Awaitable<T> source, Consumer<? super Awaitable<T>> callback) implements Runnable {
        @Override
        public void run() {
            callback.accept(source);
        }
    }

    final EventLoop loop;
    /**
     * The {@link State}'s ordinal: a byte rather than a reference, because tasks are the thing
     * there are a million of (issue 14).
     */
    private byte state = PENDING;
    private static final byte PENDING = 0, SUCCESS = 1, FAILED = 2, CANCELLED = 3;
    private static final State[] STATES = State.values();
    /** The value (SUCCESS) or the Throwable (FAILED, CANCELLED); a task's wake value while pending. */
    private Object outcome;
    /** null, one waiter, or an ArrayList of them: a Task, a Listener or a DoneCallback. */
    private Object waiters;

    Awaitable(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * The loop this belongs to.
     *
     * @return the loop
     */
    public final EventLoop loop() {
        return loop;
    }

    /**
     * Where this is in its life; see the class comment.
     *
     * @return the current state
     */
    public final State state() {
        return STATES[state];
    }

    /**
     * True once completed, failed or cancelled.
     *
     * @return whether this is done
     */
    public final boolean isDone() {
        return state != PENDING;
    }

    /**
     * True if this ended by cancellation (a done state).
     *
     * @return whether this was cancelled
     */
    public final boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * The value, if done (asyncio's {@code result()}).
     *
     * @return the value
     * @throws IllegalStateException if not done yet
     * @throws CancelledException    if cancelled
     * @throws RuntimeException      the failure itself if it was unchecked; a checked failure comes
     *                               wrapped in {@link CompletionException}
     */
    public final T resultNow() {
        if (state == PENDING) {
            throw new IllegalStateException("not done yet: " + this);
        }
        return report();
    }

    /**
     * The failure if it failed, null if it succeeded (asyncio's {@code exception()}).
     *
     * @return the failure, or {@code null} if it succeeded
     * @throws IllegalStateException if not done yet
     * @throws CancelledException    if cancelled
     */
    public final Throwable exceptionNow() {
        switch (state()) {
            case PENDING -> throw new IllegalStateException("not done yet: " + this);
            case CANCELLED -> throw cancelledCopy();
            case FAILED -> {
                markRetrieved();
                return (Throwable) outcome;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * Suspends the current task until this is done and returns the value. If it is already done,
     * returns at once without suspending (and without checking for cancellation: only a real
     * suspension is a suspension point).
     *
     * <p>If the awaiting task is cancelled meanwhile, its wait is abandoned and
     * {@link CancelledException} is thrown; the awaited thing itself is left running.
     *
     * @return the value
     * @throws CancelledException    if the awaiting task is cancelled, or this was cancelled
     * @throws RuntimeException      the failure itself if unchecked; a checked one wrapped in
     *                               {@link CompletionException}
     * @throws IllegalStateException if not called from a task of this loop, or a task awaits itself
     */
    public final T await() {
        if (state != PENDING) {
            return report();
        }
        Task<?> me = Task.currentFor(loop, "await()");
        if (me == this) {
            throw new IllegalStateException("a task cannot await itself: " + this);
        }
        me.throwIfCancelled();
        if (this instanceof Task<?> t && t.startInline(me)) {
            if (state != PENDING) {
                return report();
            }
            me.throwIfCancelled(); // the task may have cancelled its awaiter
        }
        addWaiter(me);
        me.park(this, true);
        return report();
    }

    /**
     * Like {@link #await()}, but gives up after {@code timeout} with {@link AsyncTimeoutException}.
     * Giving up does not cancel this awaitable.
     *
     * @param timeout how long to wait, at most
     * @return the value
     * @throws AsyncTimeoutException if {@code timeout} passes first
     */
    public final T await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (state != PENDING) {
            return report();
        }
        return Async.withTimeout(timeout, this::await);
    }

    /**
     * Asks for cancellation with no message. For a promise this completes it as cancelled; for a
     * task it delivers {@link CancelledException} at the task's suspension points.
     *
     * @return false if already done
     */
    public final boolean cancel() {
        return cancel(null);
    }

    /**
     * Asks for cancellation; {@code message} becomes the {@link CancelledException}'s message.
     *
     * @param message the cancellation's message, or {@code null}
     * @return false if already done
     */
    public abstract boolean cancel(String message);

    /**
     * Runs {@code callback} on the loop once this is done (soon, if it already is), via
     * {@code callSoon}. Its exceptions go to the loop's exception handler.
     *
     * @param callback called with this awaitable once it is done
     */
    public final void addDoneCallback(Consumer<? super Awaitable<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        loop.checkThread("addDoneCallback");
        DoneCallback<T> dc = new DoneCallback<>(this, callback);
        if (state != PENDING) {
            loop.callSoon(dc);
        } else {
            addWaiter(dc);
        }
    }

    /**
     * Removes every registration of {@code callback}; returns how many were removed.
     *
     * @param callback the callback to remove, compared by identity
     * @return the number of registrations removed
     */
    public final int removeDoneCallback(Consumer<? super Awaitable<T>> callback) {
        loop.checkThread("removeDoneCallback");
        int removed = 0;
        if (waiters instanceof DoneCallback<?> dc && dc.callback() == callback) {
            waiters = null;
            removed = 1;
        } else if (waiters instanceof ArrayList<?> list) {
            int before = list.size();
            list.removeIf(w -> w instanceof DoneCallback<?> dc && dc.callback() == callback);
            removed = before - list.size();
        }
        return removed;
    }

    /**
     * A {@link CompletableFuture} completed (on the loop thread) when this is done; usable from any
     * thread. Cancelling it asks, thread-safely, for this to be cancelled.
     *
     * @return a future that completes as this does
     */
    public final CompletableFuture<T> toCompletableFuture() {
        loop.checkThread("toCompletableFuture");
        LinkedCompletableFuture<T> f = new LinkedCompletableFuture<>();
        f.link(this);
        completeInto(f);
        return f;
    }

    void completeInto(CompletableFuture<T> f) {
        addListener(new FutureBridge(f));
    }

    /** Completes a CompletableFuture from this awaitable; fails it if the loop closes first. */
    private final class FutureBridge implements Listener, EventLoop.Rejectable {
        private final CompletableFuture<T> future;

        FutureBridge(CompletableFuture<T> future) {
            this.future = future;
        }

        @Override
        public void completed(Awaitable<?> a) {
            switch (state()) {
                case SUCCESS -> future.complete(valueUnchecked());
                case CANCELLED -> future.completeExceptionally(cancelledCopy());
                default -> {
                    markRetrieved();
                    future.completeExceptionally((Throwable) outcome);
                }
            }
        }

        @Override
        public void rejected(LoopClosedException e) {
            future.completeExceptionally(e);
        }
    }

    /** The loop is closing with this still pending: fail whatever other threads wait on. */
    final void rejectForeignWaiters(LoopClosedException e) {
        Object w = waiters;
        if (w instanceof ArrayList<?> list) {
            for (Object o : list) {
                if (o instanceof EventLoop.Rejectable r) {
                    r.rejected(e);
                }
            }
        } else if (w instanceof EventLoop.Rejectable r) {
            r.rejected(e);
        }
    }

    /** A CompletableFuture whose cancel() cancels the awaitable it mirrors, on its loop. */
    static final class LinkedCompletableFuture<T> extends CompletableFuture<T> {
        private volatile Awaitable<?> source;

        void link(Awaitable<?> a) {
            source = a;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Awaitable<?> a = source;
            if (cancelled && a != null) {
                try {
                    a.loop.callSoonThreadsafe(() -> a.cancel("cancelled through its CompletableFuture"));
                } catch (LoopClosedException ignored) {
                    // Nothing left to cancel.
                }
            }
            return cancelled;
        }
    }

    // ------------------------------------------------------------------ completion (package)

    final boolean setSuccess(T value) {
        if (state != PENDING) {
            return false;
        }
        outcome = value;
        state = SUCCESS;
        fire();
        return true;
    }

    final boolean setFailure(Throwable error) {
        if (state != PENDING) {
            return false;
        }
        outcome = Objects.requireNonNull(error, "error");
        state = FAILED;
        fire();
        return true;
    }

    final boolean setCancelled(CancelledException e) {
        if (state != PENDING) {
            return false;
        }
        outcome = e;
        state = CANCELLED;
        fire();
        return true;
    }

    /**
     * A task keeps the value its wake-up brings in its outcome field, free until it is done (and a
     * task is done only by its own code, never while parked): one reference less in each of a
     * million tasks (issue 14).
     */
    final void keepWakeValue(Object value) {
        assert state == PENDING : "a done task was woken";
        outcome = value;
    }

    /** The value {@link #keepWakeValue} kept, cleared. */
    final Object takeWakeValue() {
        Object v = outcome;
        outcome = null;
        return v;
    }

    /** True if a task, listener or callback is registered on this (for tests). */
    boolean hasWaiters() {
        return waiters != null;
    }

    private void fire() {
        Object w = waiters;
        waiters = null;
        if (w == null) {
            return;
        }
        if (w instanceof ArrayList<?> list) {
            for (Object o : list) {
                notifyWaiter(o);
            }
        } else {
            notifyWaiter(w);
        }
    }

    private void notifyWaiter(Object w) {
        if (w instanceof Task<?> t) {
            t.wake(null);
        } else if (w instanceof Listener l) {
            l.completed(this);
        } else {
            loop.callSoon((Runnable) w);
        }
    }

    /** Registers an internal listener; runs it now if already done. */
    final void addListener(Listener l) {
        if (state != PENDING) {
            l.completed(this);
        } else {
            addWaiter(l);
        }
    }

    final void removeListener(Listener l) {
        removeWaiter(l);
    }

    @SuppressWarnings("unchecked")
    private void addWaiter(Object w) {
        Object cur = waiters;
        if (cur == null) {
            waiters = w;
        } else if (cur instanceof ArrayList<?> list) {
            ((ArrayList<Object>) list).add(w);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(cur);
            list.add(w);
            waiters = list;
        }
    }

    /** Removes one registration of {@code w} (an abandoned wait). */
    final void removeWaiter(Object w) {
        Object cur = waiters;
        if (cur == w) {
            waiters = null;
        } else if (cur instanceof ArrayList<?> list) {
            list.remove(w);
        }
    }

    @SuppressWarnings("unchecked")
    private T valueUnchecked() {
        return (T) outcome;
    }

    /** The failure, or null if not FAILED; does not count as retrieving it. */
    final Throwable failureOrNull() {
        return state == FAILED ? (Throwable) outcome : null;
    }

    /** Notes that the failure has been seen by someone; overridden by Task for its report. */
    void markRetrieved() {
    }

    private CancelledException cancelledCopy() {
        CancelledException original = (CancelledException) outcome;
        CancelledException copy = new CancelledException(original.getMessage(), null, loop.isDebug());
        copy.initCause(original);
        return copy;
    }

    private T report() {
        switch (state()) {
            case SUCCESS:
                return valueUnchecked();
            case CANCELLED:
                throw cancelledCopy();
            default:
                markRetrieved();
                throw Async.unchecked((Throwable) outcome);
        }
    }

    @Override
    public String toString() {
        String s = switch (state()) {
            case PENDING -> "pending";
            case SUCCESS -> "result=" + outcome;
            case FAILED -> "failed=" + outcome;
            case CANCELLED -> "cancelled";
        };
        return getClass().getSimpleName() + "[" + describe() + s + "]";
    }

    String describe() {
        return "";
    }
}
