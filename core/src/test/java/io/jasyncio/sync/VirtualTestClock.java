package io.jasyncio.sync;

import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.Loops;
import io.jasyncio.time.WaitAwareClock;

/**
 * Virtual time for these tests (the idea of the core tests' clock, which is package-private
 * there): it stands still while anything is runnable and, when the loop would block until its
 * next timer with no I/O registered, jumps straight to that timer. Timeouts take no real time
 * and elapsed time is exact.
 *
 * <p>A loop that nothing can ever wake (no task ready, no timer, no I/O or thread awaited) fails
 * at once with an {@link AssertionError} listing the stuck tasks, instead of blocking until the
 * JUnit timeout: under seeded schedules that is how a test that lost a wake-up (or assumed an
 * order the schedule did not give) shows up. A test that is woken by another thread on that
 * thread's own initiative ({@code callSoonThreadsafe}) turns this off with
 * {@link #wokenFromOtherThreads()}.
 */
final class VirtualTestClock implements WaitAwareClock {
    private long now = 1_000_000_000L;
    private boolean deadlockDetection = true;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long beforeBlocking(long nanosUntilNextTimer, boolean ioWaitersPending) {
        if (ioWaitersPending) {
            return nanosUntilNextTimer;
        }
        if (nanosUntilNextTimer > 0) {
            now += nanosUntilNextTimer;
            return 0;
        }
        if (nanosUntilNextTimer < 0 && deadlockDetection) {
            EventLoop loop = Loops.currentOrNull();
            throw new AssertionError("deadlock: every task waits, no timer is pending and nothing outside the loop"
                    + " is awaited, so nothing can wake the loop; tasks: " + (loop == null ? "?" : loop.allTasks()));
        }
        return nanosUntilNextTimer;
    }

    /** Lets the loop block with nothing pending: another thread will hand it work of its own accord. */
    VirtualTestClock wokenFromOtherThreads() {
        deadlockDetection = false;
        return this;
    }

    EventLoop.Builder loop() {
        return EventLoop.builder().clock(this);
    }
}
