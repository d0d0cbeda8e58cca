package io.jasyncio;

import io.jasyncio.time.VirtualClock;
import io.jasyncio.time.WaitAwareClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The core tests' clock for tests about time: {@link VirtualClock} as these tests use it, plus a
 * record of every jump. Time stands still while anything is runnable and, when the loop would
 * block waiting for its next timer with nothing outside the loop pending, jumps straight to that
 * timer. While a thread or a channel may still hand the loop work, it jumps only once the loop has
 * sat idle for 20 ms of real time with nothing arriving (Trio's autojump threshold): a worker that
 * waits for a task sleeping in virtual time must not deadlock the test. A loop with nothing
 * pending at all blocks, as on the real clock (some tests are woken by other threads of their own
 * accord).
 *
 * <p>Thread-safe: worker threads in executor tests may read it.
 */
public final class VirtualTestClock implements WaitAwareClock {
    /** Loops that print their time see the same figures as before this clock was virtual. */
    private static final long START = 1_000_000_000L;

    private final VirtualClock clock = new VirtualClock()
            .setAutojumpThreshold(Duration.ofMillis(20))
            .setDeadlockDetection(false);
    private final List<Long> jumps = new ArrayList<>();
    private long before;

    @Override
    public long nanoTime() {
        return START + clock.nanoTime();
    }

    @Override
    public long beforeBlocking(long nanosUntilNextTimer, boolean outsideWaitersPending) {
        long t0 = clock.nanoTime();
        long r = clock.beforeBlocking(nanosUntilNextTimer, outsideWaitersPending);
        noteJump(t0);
        before = clock.nanoTime();
        return r;
    }

    @Override
    public void afterBlocking(boolean workArrived) {
        clock.afterBlocking(workArrived);
        noteJump(before);
    }

    private synchronized void noteJump(long from) {
        long d = clock.nanoTime() - from;
        if (d > 0) {
            jumps.add(d);
        }
    }

    /** Moves time forward by hand (the "busy loop" of a test), in nanoseconds. */
    public void advance(long nanos) {
        clock.advance(Duration.ofNanos(nanos));
    }

    /** Moves time forward by hand. */
    public void advance(Duration d) {
        clock.advance(d);
    }

    /** Virtual time since the clock was made. */
    public Duration elapsed() {
        return clock.elapsed();
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
