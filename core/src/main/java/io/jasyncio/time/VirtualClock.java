package io.jasyncio.time;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual time for an event loop: a clock that stands still while anything can run and, when
 * every task is waiting and the next thing that can happen is a timer, jumps straight to that
 * timer's deadline. A test that sleeps an hour finishes in microseconds, and every time it observes
 * is exact and the same on every run.
 *
 * <pre>{@code
 * VirtualClock clock = new VirtualClock();
 * Async.run(EventLoop.builder().clock(clock), () -> {
 *     Async.sleep(Duration.ofHours(1));   // returns at once
 *     return null;
 * });
 * clock.elapsed();                        // exactly PT1H
 * }</pre>
 *
 * <h2>When time moves</h2>
 * The loop consults the clock each time it has nothing to run ({@link #beforeBlocking}). Then:
 * <table>
 * <caption>What the clock does when the loop has nothing to run</caption>
 * <tr><th>timers</th><th>waits outside the loop</th><th>what happens</th></tr>
 * <tr><td>one is due</td><td>any</td><td>nothing: it fires now</td></tr>
 * <tr><td>next in d</td><td>none</td><td>time jumps by d, the timer fires; no real time passes</td></tr>
 * <tr><td>next in d</td><td>some</td><td>no automatic jump (default): the loop blocks, in real time,
 *     until the outside work arrives. With {@link #setAutojumpThreshold(Duration) an autojump
 *     threshold} t: once the loop has been idle for t of real time with nothing arriving, time
 *     jumps by d. Work arriving restarts the count.</td></tr>
 * <tr><td>none</td><td>some</td><td>the loop blocks in real time until the outside work arrives</td></tr>
 * <tr><td>none</td><td>none</td><td>nothing can ever wake the loop: {@link DeadlockException} is thrown
 *     out of the loop's run method (unless {@link #setDeadlockDetection(boolean) turned off}, in
 *     which case the loop blocks as it would on the real clock)</td></tr>
 * </table>
 * "Waits outside the loop" are what the loop knows could arrive from outside: a channel registered
 * for readiness (a task in {@code Readiness.waitReadable}/{@code waitWritable}, a reader or writer
 * callback, and so every socket read or write that has to wait), and tasks awaiting another thread
 * ({@code Async.toThread}, {@code Async.runInExecutor}, {@code Async.await(CompletionStage)},
 * {@code Suspension.parkExternal}, and so every wait on a child process).
 * Work another thread hands in on its own initiative ({@code callSoonThreadsafe},
 * {@code submit}) is not known in advance: a test that relies on it should turn deadlock detection
 * off, or hold an awaited {@code CompletableFuture} that the other thread completes.
 *
 * <p>The threshold is Trio's {@code autojump_threshold}, limited to the case where real I/O or
 * threads are in play: for a test that talks to a real server which may answer, or may be silent
 * until a virtual-time timeout fires. Choose it longer than the real work takes (tens of
 * milliseconds for loopback I/O); a threshold of zero jumps as soon as nothing is ready.
 *
 * <p>{@link #advance(Duration)} moves time forward by hand at any moment; timers it makes due
 * fire at the loop's next iteration.
 *
 * <p>Time starts at 0 ({@link #nanoTime()} is nanoseconds since the clock's creation). Use one
 * clock per loop. {@link #nanoTime()}, {@link #elapsed()} and {@link #advance} may be called from
 * any thread; the settings are read by the loop's thread at its next idle moment.
 */
public final class VirtualClock implements WaitAwareClock {

    private final AtomicLong now = new AtomicLong();
    private volatile Duration autojumpThreshold;
    private volatile boolean deadlockDetection = true;

    // Loop-thread state of an idle period with outside waits pending (the autojump threshold).
    private long idleSinceReal;
    private boolean idle;
    private long armedTarget;
    private boolean armed;
    private long jumps;

    /** A clock at time 0, with no autojump threshold and deadlock detection on. */
    public VirtualClock() {
    }

    /** Now: nanoseconds of virtual time since this clock was created. */
    @Override
    public long nanoTime() {
        return now.get();
    }

    /**
     * Virtual time since this clock was created.
     *
     * @return the virtual time elapsed, never negative
     */
    public Duration elapsed() {
        return Duration.ofNanos(now.get());
    }

    /**
     * Moves time forward by {@code duration}. Timers that become due fire at the loop's next
     * iteration, in deadline order. From a task: the caller keeps running until it suspends. From
     * another thread while the loop blocks waiting for I/O: the loop notices at its next wake-up
     * (post the call with {@code loop.callSoonThreadsafe(() -> clock.advance(d))} to wake it).
     *
     * @param duration how far to move time; zero fires nothing new
     * @throws IllegalArgumentException if {@code duration} is negative: time never goes back
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back: advance(" + duration + ")");
        }
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("advance(" + duration + ") is beyond the range of the clock", e);
        }
        now.addAndGet(nanos);
    }

    /**
     * Lets time jump while I/O or thread work is pending, once the loop has been idle for
     * {@code threshold} of real time: see the class comment. {@code null} (the default) means
     * never: the clock then waits for the outside work however long it takes.
     *
     * @param threshold the real idle time after which time may jump, or {@code null} for never
     * @return this clock
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    public VirtualClock setAutojumpThreshold(Duration threshold) {
        if (threshold != null && threshold.isNegative()) {
            throw new IllegalArgumentException("the autojump threshold must not be negative: " + threshold);
        }
        this.autojumpThreshold = threshold;
        return this;
    }

    /**
     * The autojump threshold; empty if time never jumps while outside work is pending.
     *
     * @return the threshold, or empty for never
     */
    public Optional<Duration> autojumpThreshold() {
        return Optional.ofNullable(autojumpThreshold);
    }

    /**
     * Turns detection of a loop that nothing can ever wake on or off (default on): see the class
     * comment.
     *
     * @param on true to detect such a loop and throw {@link DeadlockException}, false to let it wait
     * @return this clock
     */
    public VirtualClock setDeadlockDetection(boolean on) {
        this.deadlockDetection = on;
        return this;
    }

    /**
     * True if a loop nothing can wake throws {@link DeadlockException} (the default).
     *
     * @return whether deadlock detection is on
     */
    public boolean deadlockDetection() {
        return deadlockDetection;
    }

    /**
     * How many times time jumped on its own while outside work was pending (after the threshold).
     *
     * @return the number of jumps taken after the threshold
     */
    public long thresholdJumps() {
        return jumps;
    }

    /**
     * The loop's hook; not for tests to call. Decides whether time jumps now (see the class
     * comment) and how long the loop may block in real time.
     */
    @Override
    public long beforeBlocking(long nanosUntilNextTimer, boolean outsideWaitersPending) {
        armed = false;
        if (nanosUntilNextTimer == 0) {
            idle = false;
            return 0;
        }
        if (!outsideWaitersPending) {
            idle = false;
            if (nanosUntilNextTimer < 0) {
                if (deadlockDetection) {
                    throw new DeadlockException("deadlock: every task is waiting, no timer is pending and nothing outside"
                            + " the loop (I/O, another thread) is awaited, so nothing can ever wake the loop");
                }
                return -1;
            }
            now.addAndGet(nanosUntilNextTimer);
            return 0;
        }
        // Something outside the loop is awaited: real time must be allowed to pass.
        Duration threshold = autojumpThreshold;
        if (nanosUntilNextTimer < 0 || threshold == null) {
            return -1;
        }
        long real = System.nanoTime();
        if (!idle) {
            idle = true;
            idleSinceReal = real;
        }
        armed = true;
        armedTarget = now.get() + nanosUntilNextTimer;
        long left = threshold.toNanos() - (real - idleSinceReal);
        return Math.max(0, left);
    }

    /** The loop's hook; not for tests to call. Jumps if the threshold passed with nothing arriving. */
    @Override
    public void afterBlocking(boolean workArrived) {
        if (workArrived) {
            idle = false;
            armed = false;
            return;
        }
        if (armed) {
            armed = false;
            Duration threshold = autojumpThreshold;
            if (threshold != null && System.nanoTime() - idleSinceReal >= threshold.toNanos()) {
                idle = false;
                jumps++;
                now.accumulateAndGet(armedTarget, Math::max);
            }
        }
    }

    @Override
    public String toString() {
        return "VirtualClock[elapsed=" + elapsed() + "]";
    }
}
