package io.jasyncio.examples;

import io.jasyncio.EventLoop;
import io.jasyncio.LoopClock;

/**
 * Virtual time for the examples' tests (the same idea as core's test-only VirtualTestClock): the
 * clock stands still while anything is runnable and, when the loop would block waiting for its
 * next timer with no I/O registered, jumps straight to that timer. Sleeping programs finish at
 * once and their timings are exact. Useless for real threads, which sleep in real time.
 */
final class VirtualClock implements LoopClock {
    private long now = 1_000_000_000L;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized long beforeBlocking(long nanosUntilNextTimer, boolean ioWaitersPending) {
        if (nanosUntilNextTimer > 0 && !ioWaitersPending) {
            now += nanosUntilNextTimer;
            return 0;
        }
        return nanosUntilNextTimer;
    }

    EventLoop.Builder loop() {
        return EventLoop.builder().clock(this);
    }
}
