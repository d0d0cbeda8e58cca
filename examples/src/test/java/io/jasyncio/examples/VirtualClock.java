package io.jasyncio.examples;

import io.jasyncio.EventLoop;
import io.jasyncio.time.WaitAwareClock;

/**
 * Virtual time for the examples' tests (the same idea as core's test-only VirtualTestClock): the
 * clock stands still while anything is runnable and, when the loop would block waiting for its
 * next timer with no I/O registered, jumps straight to that timer. Sleeping programs finish at
 * once and their timings are exact. Useless for real threads, which sleep in real time.
 */
final class VirtualClock implements WaitAwareClock {
    private long now = 1_000_000_000L;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    // While a thread or a channel may still hand the loop work, jump only once the loop has sat
    // idle for a short real-time threshold with nothing arriving (Trio's autojump threshold): a
    // worker that waits for a task sleeping in virtual time must not deadlock the test.
    private static final long AUTOJUMP_REAL_NANOS = 20_000_000L;
    private long jumpIfStillIdle = -1;

    @Override
    public synchronized long beforeBlocking(long nanosUntilNextTimer, boolean outsideWaitersPending) {
        jumpIfStillIdle = -1;
        if (nanosUntilNextTimer > 0 && !outsideWaitersPending) {
            now += nanosUntilNextTimer;
            return 0;
        }
        if (nanosUntilNextTimer > 0) {
            jumpIfStillIdle = nanosUntilNextTimer;
            return AUTOJUMP_REAL_NANOS;
        }
        return nanosUntilNextTimer;
    }

    @Override
    public synchronized void afterBlocking(boolean workArrived) {
        if (jumpIfStillIdle > 0 && !workArrived) {
            now += jumpIfStillIdle;
        }
        jumpIfStillIdle = -1;
    }

    EventLoop.Builder loop() {
        return EventLoop.builder().clock(this);
    }
}
