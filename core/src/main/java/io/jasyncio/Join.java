package io.jasyncio;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
    /**
     * The inputs this stopped listening to while they were pending, to listen to again on the next
     * wait (as-completed after an interrupted wait); every other input has been counted already.
     * A list rather than a set of the counted ones: hashing a million inputs cost more than the
     * tasks behind them.
     */
    private List<Awaitable<?>> unheard;

    Join(List<? extends Awaitable<?>> inputs, WaitMode mode, Task<?> waiter, boolean keepOrder) {
        this.inputs = inputs;
        this.mode = mode;
        this.waiter = waiter;
        this.completed = keepOrder ? new ArrayDeque<>() : null;
    }

    /**
     * Registers on every pending input; returns true if the condition already holds. One pass over
     * the inputs (each pass over a million of them costs about as much as running them): an input
     * of another loop, found on the way, unregisters what was registered before the error.
     */
    boolean start() {
        listening = true;
        for (Awaitable<?> a : inputs) {
            if (a.loop != waiter.loop) {
                run();
                throw foreignInput(a);
            }
            remaining++;
            a.addListener(this); // runs at once for done inputs
        }
        return satisfied();
    }

    /** The error for an input of another loop than the waiter's (gather, wait, as-completed). */
    static IllegalArgumentException foreignInput(Awaitable<?> a) {
        return new IllegalArgumentException("an awaitable belongs to another event loop: " + a);
    }

    /** For dumps (any thread, racy): the inputs and the mode. */
    List<? extends Awaitable<?>> inputsForDump() {
        return inputs;
    }

    WaitMode modeForDump() {
        return completed != null ? null : mode;
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

    /**
     * Suspends {@code task} until the condition holds. The task may differ from one call to the
     * next (an as-completed iterator handed to another task), and a wait cut short by a
     * cancellation (which stopped the listening) resumes listening here.
     */
    void await(Task<?> task) {
        waiter = task;
        if (!listening) {
            listening = true;
            List<Awaitable<?>> again = unheard;
            unheard = null;
            if (again != null) {
                for (Awaitable<?> a : again) {
                    a.addListener(this); // counts it at once if it completed meanwhile
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
        if (remaining == 0) {
            return; // every registration has fired: nothing left to remove
        }
        for (Awaitable<?> a : inputs) {
            if (!a.isDone()) {
                a.removeListener(this);
                if (unheard == null) {
                    unheard = new ArrayList<>();
                }
                unheard.add(a);
            }
        }
    }
}
