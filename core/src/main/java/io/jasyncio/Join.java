package io.jasyncio;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The waiting machinery shared by gather, wait and as-completed: one listener registered on many
 * awaitables, which wakes one parked task when its condition holds. As a Runnable it is the abort
 * hook of that park: a cancelled waiter unregisters from everything it was listening to.
 */
final class Join implements Awaitable.Listener, Runnable {

    private final List<? extends Awaitable<?>> inputs;
    private final WaitMode mode;
    private Task<?> waiter;
    private int remaining;
    /** The first input to fail or be cancelled, in completion order. */
    Awaitable<?> firstFailed;
    /** Completed inputs not yet handed out (as-completed only). */
    final ArrayDeque<Awaitable<?>> completed;
    private boolean listening;
    /** Inputs whose completion has been counted (identity), so re-listening never counts twice. */
    private final java.util.Set<Awaitable<?>> counted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    Join(List<? extends Awaitable<?>> inputs, WaitMode mode, Task<?> waiter, boolean keepOrder) {
        this.inputs = inputs;
        this.mode = mode;
        this.waiter = waiter;
        this.completed = keepOrder ? new ArrayDeque<>() : null;
    }

    /** Registers on every pending input; returns true if the condition already holds. */
    boolean start() {
        for (Awaitable<?> a : inputs) {
            if (a.loop != waiter.loop) {
                throw new IllegalArgumentException("an awaitable belongs to another event loop: " + a);
            }
        }
        listening = true;
        for (Awaitable<?> a : inputs) {
            remaining++;
            a.addListener(this); // runs at once for done inputs
        }
        return satisfied();
    }

    boolean satisfied() {
        if (completed != null) {
            return !completed.isEmpty() || remaining == 0;
        }
        return switch (mode) {
            case ALL_COMPLETED -> remaining == 0;
            case FIRST_COMPLETED -> remaining < inputs.size() || inputs.isEmpty();
            case FIRST_EXCEPTION -> remaining == 0 || firstFailed != null;
        };
    }

    @Override
    public void completed(Awaitable<?> a) {
        counted.add(a);
        remaining--;
        Awaitable.State s = a.state();
        if (firstFailed == null && (s == Awaitable.State.FAILED || s == Awaitable.State.CANCELLED)) {
            firstFailed = a;
        }
        if (completed != null) {
            completed.add(a);
        }
        if (satisfied() && waiter.isParkedOn(this)) {
            waiter.wake(null);
        }
    }

    /**
     * Suspends {@code task} until the condition holds. The task may differ from one call to the
     * next (an as-completed iterator handed to another task), and a wait cut short by a
     * cancellation (which stopped the listening) resumes listening here.
     */
    void await(Task<?> task) {
        waiter = task;
        if (!listening) {
            listening = true;
            for (Awaitable<?> a : inputs) {
                if (!counted.contains(a)) {
                    a.addListener(this);
                }
            }
        }
        if (satisfied()) {
            return;
        }
        waiter.throwIfCancelled();
        waiter.park(this, true);
    }

    /** Abort hook and final cleanup: stop listening to inputs still pending. */
    @Override
    public void run() {
        if (!listening) {
            return;
        }
        listening = false;
        for (Awaitable<?> a : inputs) {
            if (!a.isDone()) {
                a.removeListener(this);
            }
        }
    }
}
