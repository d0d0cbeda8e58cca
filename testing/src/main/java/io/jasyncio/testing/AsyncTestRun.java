package io.jasyncio.testing;

import io.jasyncio.Async;
import io.jasyncio.Awaitable;
import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.WaitMode;
import io.jasyncio.lowlevel.Readiness;
import io.jasyncio.time.DeadlockException;
import io.jasyncio.time.VirtualClock;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * One test run, without JUnit: a fresh {@link EventLoop} on a {@link VirtualClock}, in FIFO order or
 * under a schedule seed, that runs a main coroutine and then checks that it left nothing behind.
 * This is what {@link AsyncTest} does for each invocation.
 *
 * <pre>{@code
 * AsyncTestRun.seeded(17).run(() -> {
 *     ... the code under test, as the main task ...
 *     return null;
 * });
 * }</pre>
 *
 * <h2>What {@link #run} checks after the main coroutine returns or throws</h2>
 * <ol>
 * <li>Leftover tasks: tasks of the loop still running. They are listed, then cancelled, and the
 *     loop runs until they have finished (at most one virtual minute).
 * <li>Channels registered with the loop that are still open. They are listed, then closed.
 * <li>Errors nobody could receive: tasks that failed and whose exception was never retrieved, and
 *     callbacks that threw. The run installs the loop's exception handler to collect them; the loop
 *     is closed last, so that every unretrieved failure is reported.
 * </ol>
 * If the main coroutine failed, that failure is thrown, with a {@link LeftoverWorkError} describing
 * anything else attached as suppressed. Otherwise a non-empty check throws {@link LeftoverWorkError}.
 * Either way the loop ends closed.
 *
 * <p>A run is used once, on the thread that created it.
 */
public final class AsyncTestRun {

    /** The most virtual time cleanup gives cancelled leftover tasks to finish. */
    static final Duration CLEANUP_LIMIT = Duration.ofMinutes(1);

    private final Long seed;
    private final VirtualClock clock = new VirtualClock();
    private final EventLoop loop;
    private final List<ErrorReport> errors = new ArrayList<>();
    private boolean used;
    private Duration timeout = defaultTimeout();

    /**
     * The real-time limit of a run unless set: {@code jasyncio.test.timeout} seconds (0 for none),
     * else 60 s. Real time, not virtual: what it catches is a hang (I/O that never comes, a task
     * blocking the loop thread), which virtual time cannot see.
     */
    static Duration defaultTimeout() {
        String v = System.getProperty("jasyncio.test.timeout");
        if (v == null || v.isBlank()) {
            return Duration.ofSeconds(60);
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(v.trim()) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jasyncio.test.timeout must be a number of seconds, not '" + v + "'", e);
        }
    }

    private AsyncTestRun(Long seed) {
        this.seed = seed;
        EventLoop.Builder b = EventLoop.builder().clock(clock).exceptionHandler((l, report) -> errors.add(report));
        if (seed != null) {
            b.scheduleSeed(seed);
        }
        this.loop = b.build();
    }

    /**
     * A run in the loop's natural FIFO order.
     *
     * @return a new run, used once
     */
    public static AsyncTestRun fifo() {
        return new AsyncTestRun(null);
    }

    /**
     * A run whose ready tasks are ordered by draws seeded with {@code seed}: same seed, same schedule.
     *
     * @param seed the schedule seed; rerunning with it replays the same order
     * @return a new run, used once
     */
    public static AsyncTestRun seeded(long seed) {
        return new AsyncTestRun(seed);
    }

    static AsyncTestRun of(Long seed) {
        return new AsyncTestRun(seed);
    }

    /**
     * The loop the main coroutine will run on.
     *
     * @return this run's loop, on its virtual clock
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * The loop's virtual clock.
     *
     * @return this run's virtual clock
     */
    public VirtualClock clock() {
        return clock;
    }

    /**
     * The schedule seed; empty for FIFO order.
     *
     * @return the seed, or empty for a FIFO run
     */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * Runs {@code main} as the main task of this run's loop, checks what it left behind (see the
     * class comment), closes the loop and returns main's value.
     *
     * @param <T> the type of main's value
     * @param main the main coroutine
     * @return main's value
     * @throws Exception             main's failure, as thrown (errors and unchecked exceptions too)
     * @throws LeftoverWorkError     if main succeeded but left tasks, errors or channels behind
     * @throws DeadlockException     if every task ended up waiting on something that can never happen
     * @throws IllegalStateException if this run was already used
     */
    public <T> T run(Callable<? extends T> main) throws Exception {
        return runBody(main);
    }

    /**
     * Sets the real-time limit of the run (default 60 s, or {@code -Djasyncio.test.timeout=SECONDS}):
     * past it, the loop's task dump is taken, every task is cancelled (and the loop thread
     * interrupted, for a task blocked in a plain blocking call), and the run fails with
     * {@link TestTimeoutError} carrying the dump. {@link Duration#ZERO} for no limit.
     *
     * @param timeout the limit, zero for none
     * @return this run
     */
    public AsyncTestRun timeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    private <T> T runBody(Callable<? extends T> main) throws Exception {
        Objects.requireNonNull(main, "main");
        Object[] value = new Object[1];
        Throwable failure = execute(() -> value[0] = main.call());
        if (failure != null) {
            throw sneaky(failure);
        }
        @SuppressWarnings("unchecked")
        T result = (T) value[0];
        return result;
    }

    /**
     * A seed under which a program failed, and how.
     *
     * @param seed the seed under which the program failed
     * @param failure what it threw, or the leftover-work or deadlock error the run reported
     */
    public record SeedFailure(long seed, Throwable failure) {
    }

    /**
     * Runs {@code main} under seeds {@code firstSeed}, {@code firstSeed + 1}, ... ({@code count} of
     * them), each in a fresh {@link #seeded} run, and returns the first seed under which it failed,
     * or empty if it passed under all of them.
     *
     * @param firstSeed the first seed to try
     * @param count how many seeds to try; 0 tries none
     * @param main the program, run once per seed
     * @return the first failing seed and its failure, or empty if every seed passed
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public static Optional<SeedFailure> findFailingSeed(long firstSeed, int count, Callable<?> main) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        for (int i = 0; i < count; i++) {
            long s = firstSeed + i;
            Throwable f = seeded(s).execute(main::call);
            if (f != null) {
                return Optional.of(new SeedFailure(s, f));
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ the run itself

    /** The main coroutine's body, which may throw anything (JUnit's invocation.proceed()). */
    @FunctionalInterface
    interface Body {
        void run() throws Throwable;
    }

    /** Runs the whole thing and returns what should fail the test, or null. */
    Throwable execute(Body body) {
        if (used) {
            throw new IllegalStateException("an AsyncTestRun runs once; make a new one");
        }
        used = true;
        Throwable[] thrown = new Throwable[1];
        Throwable loopFailure = null;
        List<String> problems = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        Timeout watch = timeout.isZero() ? null : new Timeout(loop, timeout);
        try {
            loop.runUntilComplete(() -> {
                if (watch != null) {
                    watch.bodyThread = Thread.currentThread(); // the loop's, or (portable engine) the task's own
                }
                try {
                    body.run();
                } catch (Throwable t) {
                    thrown[0] = t;
                }
                return null;
            });
        } catch (DeadlockException e) {
            loopFailure = deadlock(e);
        } catch (RuntimeException | Error e) {
            loopFailure = e;
        } finally {
            if (watch != null) {
                watch.cancel();
            }
        }
        Throwable mainFailure = thrown[0]; // before cleanup, which may cancel a deadlocked main
        if (watch != null && watch.fired != null) {
            TestTimeoutError t = watch.fired;
            if (mainFailure != null) {
                t.addSuppressed(mainFailure);
            }
            mainFailure = t;
        }

        List<Task<?>> leftover = loop.isClosed() ? List.of() : loop.allTasks();
        List<SelectableChannel> channels = loop.isClosed() ? List.of() : Readiness.registeredChannels(loop);
        if (loopFailure == null && !leftover.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(leftover.size()).append(leftover.size() == 1 ? " task was" : " tasks were")
                    .append(" still running when the test's main coroutine ended (they have been cancelled):");
            for (Task<?> t : leftover) {
                sb.append("\n    ").append(t);
            }
            problems.add(sb.toString());
        }
        if (!channels.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(channels.size()).append(channels.size() == 1 ? " channel registered with the loop was" : " channels registered with the loop were")
                    .append(" still open (they have been closed):");
            for (SelectableChannel c : channels) {
                sb.append("\n    ").append(c);
            }
            problems.add(sb.toString());
        }
        cleanUp(leftover, problems);
        loop.close(); // reports every failure nobody retrieved to our handler

        if (!errors.isEmpty()) {
            problems.add(describeHandlerErrors(errors, causes));
        }

        LeftoverWorkError leftovers = problems.isEmpty() ? null : new LeftoverWorkError(problems, causes);
        Throwable primary = mainFailure != null ? mainFailure : loopFailure;
        if (primary == null) {
            return leftovers;
        }
        if (loopFailure != null && primary != loopFailure) {
            primary.addSuppressed(loopFailure);
        }
        if (leftovers != null) {
            primary.addSuppressed(leftovers);
        }
        return primary;
    }

    private DeadlockException deadlock(DeadlockException e) {
        StringBuilder sb = new StringBuilder(e.getMessage());
        if (seed != null) {
            sb.append(" (schedule seed ").append(seed).append(')');
        }
        sb.append(". The task dump:\n").append(loop.dumpTasks().toTree());
        DeadlockException d = new DeadlockException(sb.toString());
        d.setStackTrace(e.getStackTrace());
        return d;
    }

    /**
     * The real-time limit of one run: a daemon thread that, if the run is still going at the
     * limit, takes the dump (safe from any thread, whatever the loop is doing), then cancels every
     * task from the loop's thread and interrupts it in case a task blocks it.
     */
    private static final class Timeout {
        private final Thread thread;
        volatile TestTimeoutError fired;
        volatile Thread bodyThread;
        private volatile boolean done;

        Timeout(EventLoop loop, Duration limit) {
            Thread loopThread = Thread.currentThread();
            thread = Thread.ofPlatform().daemon(true).name("jasyncio-test-timeout").start(() -> {
                long deadline = System.nanoTime() + limit.toNanos();
                long left;
                while (!done && (left = deadline - System.nanoTime()) > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(this, left);
                }
                if (done) {
                    return;
                }
                fired = new TestTimeoutError(limit, loop.dumpTasks().toTree());
                try {
                    loop.callSoonThreadsafe(() -> {
                        for (Task<?> t : loop.allTasks()) {
                            t.cancel("the test timed out");
                        }
                    });
                } catch (RuntimeException e) {
                    return; // closed meanwhile: the run is over
                }
                Thread body = bodyThread;
                if (!done) {
                    loopThread.interrupt(); // a task blocking the thread (sleep, a latch) gets out of it
                    if (body != null && body != loopThread) {
                        body.interrupt();
                    }
                }
            });
        }

        void cancel() {
            done = true;
            java.util.concurrent.locks.LockSupport.unpark(thread);
            try {
                thread.join(); // it returns at once now; after this, fired is settled
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (fired != null) {
                Thread.interrupted(); // the interrupt was for the blocked task, not for the caller
            }
        }
    }

    /** Cancels leftover tasks and waits (in virtual time) for them; closes channels left open. */
    private void cleanUp(List<Task<?>> leftover, List<String> problems) {
        if (loop.isClosed()) {
            return;
        }
        List<Task<?>> tasks = loop.allTasks();
        if (!tasks.isEmpty()) {
            try {
                loop.runUntilComplete(() -> {
                    for (Task<?> t : tasks) {
                        t.cancel("the test ended");
                    }
                    Async.wait(castAll(tasks), WaitMode.ALL_COMPLETED, CLEANUP_LIMIT);
                    return null;
                });
            } catch (RuntimeException | Error e) {
                problems.add("cleaning up the leftover tasks failed: " + e);
            }
            List<Task<?>> stuck = loop.allTasks();
            if (!stuck.isEmpty()) {
                problems.add(stuck.size() + " task(s) did not finish within " + CLEANUP_LIMIT.toSeconds()
                        + " virtual seconds of being cancelled (a shielded wait?): " + stuck);
            }
            for (Task<?> t : tasks) {
                if (t.state() == Awaitable.State.FAILED) {
                    // Not retrieved by anyone: count it once, here, rather than again at close.
                    errors.add(new ErrorReport("leftover task '" + t.getName() + "' failed while being cancelled",
                            t.exceptionNow(), t, null));
                }
            }
        }
        for (SelectableChannel c : Readiness.registeredChannels(loop)) {
            Readiness.closeChannel(loop, c);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Awaitable<Object>> castAll(List<Task<?>> tasks) {
        return (List) tasks;
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Override
    public String toString() {
        return "AsyncTestRun[" + (seed == null ? "fifo" : "seed " + seed) + ", " + clock + "]";
    }

    /**
     * One report line for errors that reached the loop's exception handler; their exceptions are
     * added to {@code causes}.
     */
    static String describeHandlerErrors(List<ErrorReport> errors, List<Throwable> causes) {
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size()).append(errors.size() == 1 ? " error" : " errors")
                .append(" reached the loop's exception handler (failed tasks nobody awaited, callbacks that threw):");
        for (ErrorReport r : errors) {
            sb.append("\n    ").append(r.message());
            if (r.exception() != null) {
                sb.append(": ").append(r.exception());
                causes.add(r.exception());
            }
        }
        return sb.toString();
    }
}
