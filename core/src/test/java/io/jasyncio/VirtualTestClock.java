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

    // While a thread or a channel may still hand the loop work, jump only once the loop has sat
    // idle for a short real-time threshold with nothing arriving (Trio's autojump threshold): a
    // worker that waits for a task sleeping in virtual time must not deadlock the test.
    private static final long AUTOJUMP_REAL_NANOS = 20_000_000L;
    private long jumpIfStillIdle = -1;

    @Override
    public long beforeBlocking(long nanosUntilNextTimer, boolean outsideWaitersPending) {
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
    public void afterBlocking(boolean workArrived) {
        if (jumpIfStillIdle > 0 && !workArrived) {
            now += jumpIfStillIdle;
        }
        jumpIfStillIdle = -1;
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
