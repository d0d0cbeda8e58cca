package io.jasyncio.sync;

import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.Loops;
import io.jasyncio.time.DeadlockException;
import io.jasyncio.time.VirtualClock;
import io.jasyncio.time.WaitAwareClock;

/**
 * Virtual time for these tests: {@link VirtualClock} (it stands still while anything is runnable
 * and, when the loop would block until its next timer with nothing outside the loop pending, jumps
 * straight to that timer), with its deadlock report made a test failure that lists the stuck tasks.
 *
 * <p>A loop that nothing can ever wake (no task ready, no timer, no I/O or thread awaited) fails at
 * once with an {@link AssertionError} listing the stuck tasks, instead of blocking until the JUnit
 * timeout: under seeded schedules that is how a test that lost a wake-up (or assumed an order the
 * schedule did not give) shows up. A test that is woken by another thread on that thread's own
 * initiative ({@code callSoonThreadsafe}) turns this off with {@link #wokenFromOtherThreads()}.
 */
final class VirtualTestClock implements WaitAwareClock {
    private final VirtualClock clock = new VirtualClock();

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public long beforeBlocking(long nanosUntilNextTimer, boolean outsideWaitersPending) {
        try {
            return clock.beforeBlocking(nanosUntilNextTimer, outsideWaitersPending);
        } catch (DeadlockException e) {
            EventLoop loop = Loops.currentOrNull();
            AssertionError failure = new AssertionError(e.getMessage() + "; tasks: " + (loop == null ? "?" : loop.allTasks()));
            failure.initCause(e);
            throw failure;
        }
    }

    @Override
    public void afterBlocking(boolean workArrived) {
        clock.afterBlocking(workArrived);
    }

    /** Lets the loop block with nothing pending: another thread will hand it work of its own accord. */
    VirtualTestClock wokenFromOtherThreads() {
        clock.setDeadlockDetection(false);
        return this;
    }

    EventLoop.Builder loop() {
        return EventLoop.builder().clock(this);
    }
}
