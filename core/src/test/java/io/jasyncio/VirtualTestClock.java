package io.jasyncio;

/**
 * A clock for tests about time: it stands still while anything is runnable and, when the loop
 * would block waiting for its next timer with no I/O registered, jumps straight to that timer.
 * A test that sleeps an hour finishes at once, and elapsed "time" is exact.
 * (The testing module will grow the full version; this is the minimum the core tests need.)
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

    /** Moves time forward by hand. */
    void advance(long nanos) {
        now += nanos;
    }

    /** A loop builder whose loop runs on {@code clock}. */
    static EventLoop.Builder loopOn(VirtualTestClock clock) {
        return EventLoop.builder().clock(clock);
    }
}
