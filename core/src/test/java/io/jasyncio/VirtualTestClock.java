package io.jasyncio;

import io.jasyncio.time.WaitAwareClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The core tests' clock for tests about time: it stands still while anything is runnable and,
 * when the loop would block waiting for its next timer with nothing outside the loop pending,
 * jumps straight to that timer. A test that sleeps an hour finishes at once, and elapsed "time" is
 * exact. (The testing module has the full version, {@code io.jasyncio.time.VirtualClock}; core's
 * tests cannot depend on it, so this is the minimum they need, shared by every core test package.)
 *
 * <p>Thread-safe: worker threads in executor tests may read it.
 */
public final class VirtualTestClock implements WaitAwareClock {
    private static final long START = 1_000_000_000L;

    // While a thread or a channel may still hand the loop work, jump only once the loop has sat
    // idle for a short real-time threshold with nothing arriving (Trio's autojump threshold): a
    // worker that waits for a task sleeping in virtual time must not deadlock the test.
    private static final long AUTOJUMP_REAL_NANOS = 20_000_000L;

    private long now = START;
    private long jumpIfStillIdle = -1;
    private final List<Long> jumps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized long beforeBlocking(long nanosUntilNextTimer, boolean outsideWaitersPending) {
        jumpIfStillIdle = -1;
        if (nanosUntilNextTimer > 0 && !outsideWaitersPending) {
            jump(nanosUntilNextTimer);
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
            jump(jumpIfStillIdle);
        }
        jumpIfStillIdle = -1;
    }

    private void jump(long nanos) {
        now += nanos;
        jumps.add(nanos);
    }

    /** Moves time forward by hand (the "busy loop" of a test), in nanoseconds. */
    public synchronized void advance(long nanos) {
        now += nanos;
    }

    /** Moves time forward by hand. */
    public void advance(Duration d) {
        advance(d.toNanos());
    }

    /** Virtual time since the clock was made. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(now - START);
    }

    /** Every jump the clock made to reach a timer, in nanoseconds, oldest first. */
    public synchronized List<Long> jumps() {
        return List.copyOf(jumps);
    }

    /** A loop builder whose loop runs on {@code clock}. */
    public static EventLoop.Builder loopOn(VirtualTestClock clock) {
        return EventLoop.builder().clock(clock);
    }
}
