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
    private final Task<?> waiter;
    private int remaining;
    /** The first input to fail or be cancelled, in completion order. */
    Awaitable<?> firstFailed;
    /** Completed inputs not yet handed out (as-completed only). */
    final ArrayDeque<Awaitable<?>> completed;
    private boolean listening;

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

    /** Suspends the waiter until the condition holds. */
    void await() {
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
