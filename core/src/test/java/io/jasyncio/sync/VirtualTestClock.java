package io.jasyncio.sync;

import io.jasyncio.EventLoop;
import io.jasyncio.LoopClock;

/**
 * Virtual time for these tests (the idea of the core tests' clock, which is package-private
 * there): it stands still while anything is runnable and, when the loop would block until its
 * next timer with no I/O registered, jumps straight to that timer. Timeouts take no real time
 * and elapsed time is exact.
 */
final class VirtualTestClock implements LoopClock {
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long beforeBlocking(long nanosUntilNextTimer, boolean ioWaitersPending) {
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
