package io.jasyncio.sync;

import io.jasyncio.Task;
import io.jasyncio.lowlevel.ParkingLot;

/**
 * A flag that tasks can wait for (asyncio's {@code Event}): {@link #set()} wakes every waiting
 * task, and {@link #await()} returns at once while the flag stays set, until {@link #clear()}.
 *
 * <pre>{@code
 * Event ready = new Event();
 * Async.spawn(() -> { ready.await(); return serve(); });
 * ...
 * ready.set();
 * }</pre>
 *
 * <p>A task that was waiting when {@code set()} was called returns from {@code await()} even if
 * the event is cleared again before it resumes, and even if it is cancelled before it resumes
 * (the cancellation then fires at its next suspension point): a wake-up is never lost. A waiter
 * cancelled or timed out before the {@code set()} simply leaves.
 *
 * <p>Not thread-safe: use it on its event loop only (see the package documentation). To set it
 * from another thread: {@code loop.callSoonThreadsafe(event::set)}.
 */
public final class Event extends LoopBound {

    private boolean set;
    private final ParkingLot waiters = new ParkingLot(() -> new io.jasyncio.diagnostics.Wait.OnEvent(toString()));

    /**
     * A new event, not set, bound to the running event loop (or, if made outside any loop, to the first
     * loop that uses it).
     */
    public Event() {
    }

    /**
     * Suspends the current task until the event is set; returns at once, without suspending, if
     * it is set already.
     *
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting
     * @throws IllegalStateException          if not called from a task
     */
    public void await() {
        Task<?> me = taskFor("Event.await");
        if (set) {
            return;
        }
        waiters.park(me);
    }

    /** Sets the flag and wakes every waiting task, in the order they began to wait. Never suspends. */
    public void set() {
        checkLoop("Event.set");
        if (!set) {
            set = true;
            waiters.wakeAll(null);
        }
    }

    /** Resets the flag: later calls to {@link #await()} suspend until the next {@link #set()}. */
    public void clear() {
        checkLoop("Event.clear");
        set = false;
    }

    /**
     * True if the flag is set.
     *
     * @return whether the flag is set
     */
    public boolean isSet() {
        checkLoop("Event.isSet");
        return set;
    }

    /**
     * The number of tasks waiting for the event.
     *
     * @return the number of waiting tasks
     */
    public int queueLength() {
        checkLoop("Event.queueLength");
        return waiters.size();
    }

    /** {@code Event[set]}, or {@code Event[unset, waiters:2]}. */
    @Override
    public String toString() {
        return "Event[" + (set ? "set" : "unset") + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]";
    }
}
