package io.jasyncio;

import io.jasyncio.time.LoopClock;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * N event loops, one per thread, started and stopped together: the shared-nothing shape of Netty's
 * event loop groups, Seastar and Glommio. Each loop stays exactly what a lone {@link EventLoop} is
 * (one thread, no locks, its own tasks, timers, selector and exception handler); what crosses
 * loops is explicit: {@link Async#awaitOn(EventLoop, java.util.concurrent.Callable)},
 * {@link EventLoop#submit}, {@link EventLoop#callSoonThreadsafe} and
 * {@code io.jasyncio.sync.CrossLoopChannel}. Servers spread their connections over a group with
 * {@code Net.startServer(group, ...)}; a connection stays on the loop that got it for life.
 *
 * <pre>{@code
 * try (LoopGroup group = LoopGroup.builder().loops(4).build()) {
 *     int answer = group.run(() -> Async.awaitOn(group.loop(1), () -> 6 * 7));
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * {@link LoopGroup.Builder#build()} starts every loop on a thread of its own ({@code jasyncio-group-G-loop-I}),
 * each idle until given work. {@link #run} runs a main task on loop 0 and, once it is done, shuts
 * the group down. {@link #shutdown()} (any thread, idempotent) first runs the
 * {@linkplain #onShutdown shutdown actions} (servers stop accepting on every loop), then on every
 * loop cancels what is left, waits for it and closes the loop (asyncio.run's epilogue, per loop);
 * {@link #close()} does that and waits until every loop's thread has ended.
 *
 * <h2>Failures</h2>
 * An error nobody can receive (a failed task nobody awaited, a callback that threw) goes to the
 * group's {@link ExceptionHandler} with the loop it happened on; the default logs it naming the
 * loop. A loop whose thread dies (an {@link Error} escaped it) is reported the same way and
 * shuts the whole group down, so the others do not go on unnoticed: {@link #run} then throws
 * {@link LoopGroupException} and {@link #failures()} lists what happened.
 *
 * <h2>Interleaved mode (deterministic tests)</h2>
 * {@link Builder#interleaved(LoopClock, Long)} builds a group whose loops are all stepped, one
 * iteration at a time, by the thread that calls {@link #run}, on the clock given (a virtual clock
 * in tests). Which loop steps next is drawn from the seed (null: round robin), and each loop
 * also shuffles its own ready tasks by a seed derived from it, so a cross-loop race replays from
 * its seed exactly like a single-loop one. The thread rules stay those of separate threads: a
 * task of one loop that touches another loop's state directly gets {@link WrongThreadException}
 * there too. The testing kit's {@code GroupTestRun} builds on this.
 */
public final class LoopGroup implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final int id = GROUPS.incrementAndGet();
    private final EventLoop[] loops;
    private final Thread[] threads;
    /** Threaded mode: per loop, the promise its keeper task waits on; completed to stop the loop. */
    private final Promise<?>[] stops;
    private final ExceptionHandler handler;
    private final List<Runnable> shutdownActions = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final AtomicBoolean ran = new AtomicBoolean();
    private final CountDownLatch ended;
    private final AtomicInteger nextLoop = new AtomicInteger();

    // Interleaved mode only (all touched by the one driver thread).
    private final boolean interleaved;
    private final LoopClock sharedClock;
    private final SplittableRandom pickRandom;
    private int lastPicked = -1;

    private LoopGroup(Builder b) {
        int n = b.loops;
        this.loops = new EventLoop[n];
        this.threads = new Thread[n];
        this.stops = new Promise<?>[n];
        this.handler = b.handler;
        this.interleaved = b.interleaved;
        this.sharedClock = b.clock;
        this.pickRandom = b.seed == null ? null : new SplittableRandom(b.seed);
        this.ended = new CountDownLatch(interleaved ? 0 : n);
        if (interleaved) {
            for (int i = 0; i < n; i++) {
                EventLoop.Builder lb = loopBuilder(b, i);
                lb.clock(sharedClock);
                if (b.seed != null) {
                    lb.scheduleSeed(b.seed * 31 + i);
                }
                loops[i] = adopt(lb.build(), i);
            }
            return;
        }
        CountDownLatch started = new CountDownLatch(n);
        Throwable[] buildError = new Throwable[1];
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> loopThread(b, index, started, buildError), "jasyncio-group-" + id + "-loop-" + i);
            t.setDaemon(b.daemon);
            threads[i] = t;
            t.start();
        }
        awaitUninterruptibly(started);
        if (buildError[0] != null) {
            shutdown();
            awaitEnd();
            throw new IllegalStateException("a loop of the group could not be built: " + buildError[0], buildError[0]);
        }
    }

    private EventLoop.Builder loopBuilder(Builder b, int index) {
        EventLoop.Builder lb = EventLoop.builder();
        if (b.perLoop != null) {
            b.perLoop.accept(lb);
        }
        lb.exceptionHandler((loop, report) -> report(loop, report));
        return lb;
    }

    private EventLoop adopt(EventLoop loop, int index) {
        loop.group = this;
        loop.groupIndex = index;
        return loop;
    }

    /** The body of loop {@code index}'s thread: build the loop here, run its keeper until the group stops. */
    private void loopThread(Builder b, int index, CountDownLatch started, Throwable[] buildError) {
        EventLoop loop;
        Promise<Void> stop;
        try {
            loop = adopt(loopBuilder(b, index).build(), index);
            stop = new Promise<>(loop);
            loops[index] = loop;
            stops[index] = stop;
        } catch (Throwable e) {
            synchronized (buildError) {
                buildError[0] = e;
            }
            started.countDown();
            ended.countDown();
            return;
        }
        started.countDown();
        try {
            // The keeper is the loop's main task: when the group completes `stop`, EventLoop.run's
            // epilogue cancels what is left on this loop, waits for it and closes the loop.
            loop.run(() -> {
                stop.await();
                return null;
            });
        } catch (Throwable e) {
            loopDied(loop, e);
        } finally {
            ended.countDown();
        }
    }

    private void loopDied(EventLoop loop, Throwable e) {
        failures.add(e);
        report(loop, new ErrorReport(loop.name() + " failed and stopped; shutting the rest of the group down", e, null, null));
        shutdown();
    }

    private void report(EventLoop loop, ErrorReport report) {
        if (handler != null) {
            try {
                handler.handle(loop, report);
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "jasyncio: the loop group's exception handler threw", e);
            }
        }
        LOG.log(Level.ERROR, "jasyncio: " + loop.name() + ": " + report.message(), report.exception());
    }

    /**
     * A new builder: as many loops as the JVM has processors, threaded.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A threaded group of {@code loops} loops with the default settings, started.
     *
     * @param loops how many loops (and threads)
     * @return the running group
     */
    public static LoopGroup of(int loops) {
        return builder().loops(loops).build();
    }

    /** Settings of a group. */
    public static final class Builder {
        private int loops = Runtime.getRuntime().availableProcessors();
        private Consumer<EventLoop.Builder> perLoop;
        private ExceptionHandler handler;
        private boolean daemon;
        private boolean interleaved;
        private LoopClock clock;
        private Long seed;

        private Builder() {
        }

        /**
         * How many loops (default: {@link Runtime#availableProcessors()}).
         *
         * @param loops at least 1
         * @return this builder
         */
        public Builder loops(int loops) {
            if (loops < 1) {
                throw new IllegalArgumentException("a loop group needs at least one loop, not " + loops);
            }
            this.loops = loops;
            return this;
        }

        /**
         * Settings applied to each loop's builder (engine, debug, slow-callback threshold). The
         * exception handler set there is replaced by the group's; the clock and seed too in
         * interleaved mode.
         *
         * @param perLoop applied to every loop's builder, on that loop's thread
         * @return this builder
         */
        public Builder eachLoop(Consumer<EventLoop.Builder> perLoop) {
            this.perLoop = perLoop;
            return this;
        }

        /**
         * Receives every loop's errors nobody else can, with the loop. Called on that loop's
         * thread, so it must be thread-safe. Default: log at ERROR naming the loop.
         *
         * @param handler the handler, or null for the default
         * @return this builder
         */
        public Builder exceptionHandler(ExceptionHandler handler) {
            this.handler = handler;
            return this;
        }

        /**
         * Daemon loop threads (default false: a group not closed keeps the JVM alive, as a thread
         * pool does).
         *
         * @param daemon true for daemon threads
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Interleaved mode, for deterministic tests: every loop runs on the thread that calls
         * {@link LoopGroup#run}, one iteration at a time, on {@code clock} (shared by all the loops);
         * the next loop to step is drawn from {@code seed}, or taken in turn if it is null.
         *
         * @param clock the clock every loop shares, typically a virtual clock
         * @param seed the schedule seed, or null for round robin over loops and FIFO within each
         * @return this builder
         */
        public Builder interleaved(LoopClock clock, Long seed) {
            this.interleaved = true;
            this.clock = Objects.requireNonNull(clock, "clock");
            this.seed = seed;
            return this;
        }

        /**
         * The group, its loops started (threaded) or ready to be stepped by {@link LoopGroup#run}
         * (interleaved).
         *
         * @return the group
         */
        public LoopGroup build() {
            return new LoopGroup(this);
        }
    }

    // ------------------------------------------------------------------ what users call

    /**
     * How many loops the group has.
     *
     * @return the number of loops
     */
    public int size() {
        return loops.length;
    }

    /**
     * Loop {@code index}. Thread-safe (use the loop itself only through its thread-safe doors
     * from outside it).
     *
     * @param index from 0 to {@code size() - 1}
     * @return the loop
     */
    public EventLoop loop(int index) {
        return loops[index];
    }

    /**
     * Every loop, in index order.
     *
     * @return the loops
     */
    public List<EventLoop> loops() {
        return List.of(loops);
    }

    /**
     * The next loop in turn (round robin over the group); thread-safe. For spreading work
     * ({@code Async.awaitOn(group.next(), ...)}).
     *
     * @return a loop of the group
     */
    public EventLoop next() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    /**
     * The index of {@code loop} in this group, or -1 if it is not one of its loops.
     *
     * @param loop a loop
     * @return its index, or -1
     */
    public int indexOf(EventLoop loop) {
        return loop != null && loop.group == this ? loop.groupIndex : -1;
    }

    /**
     * The group of the loop running the calling code, or null if that loop belongs to no group
     * (or no loop runs here).
     *
     * @return the current group, or null
     */
    public static LoopGroup currentOrNull() {
        EventLoop here = EventLoop.currentOrNull();
        return here == null ? null : here.group;
    }

    /**
     * True in interleaved mode (every loop stepped by one thread).
     *
     * @return whether the group is interleaved
     */
    public boolean isInterleaved() {
        return interleaved;
    }

    /**
     * Runs {@code main} as a task on loop 0, waits for it on the calling thread, then shuts the
     * group down and waits for every loop to end ({@link #close()}). Returns main's value or throws
     * its exception (a checked one wrapped in {@link CompletionException}); if a loop failed,
     * throws {@link LoopGroupException} instead, with main's own error suppressed in it. Once per
     * group; not from one of the group's own loops.
     *
     * @param <T> main's value type
     * @param main the main task's code
     * @return main's value
     */
    public <T> T run(java.util.concurrent.Callable<? extends T> main) {
        Objects.requireNonNull(main, "main");
        checkNotOnOwnLoop("run");
        if (!ran.compareAndSet(false, true)) {
            throw new IllegalStateException("LoopGroup.run runs once per group: this group has run (or is running) already");
        }
        if (interleaved) {
            return runInterleaved(main);
        }
        Throwable mainError = null;
        T value = null;
        try {
            CompletableFuture<T> f = loops[0].submit(main);
            value = f.get();
        } catch (ExecutionException e) {
            mainError = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            mainError = e;
        } catch (RuntimeException e) {
            mainError = e; // the loop closed first, or main's future was cancelled by the shutdown
        } finally {
            close();
        }
        return outcome(value, mainError);
    }

    private <T> T outcome(T value, Throwable mainError) {
        if (!failures.isEmpty()) {
            LoopGroupException e = new LoopGroupException("a loop of " + name() + " failed: " + failures.get(0),
                    failures.get(0));
            for (int i = 1; i < failures.size(); i++) {
                e.addSuppressed(failures.get(i));
            }
            if (mainError != null) {
                e.addSuppressed(mainError);
            }
            throw e;
        }
        if (mainError == null) {
            return value;
        }
        if (mainError instanceof RuntimeException r) {
            throw r;
        }
        if (mainError instanceof Error err) {
            throw err;
        }
        throw new CompletionException(mainError);
    }

    /**
     * Registers an action to run when {@link #shutdown()} begins, before any task is cancelled;
     * it runs on the thread that calls shutdown and must be thread-safe (hand loop work over with
     * {@code callSoonThreadsafe}). Servers over the group use it to stop accepting on every loop
     * first. Runs at once if shutdown has begun.
     *
     * @param action the action
     */
    public void onShutdown(Runnable action) {
        Objects.requireNonNull(action, "action");
        shutdownActions.add(action);
        if (shutdownStarted.get() && shutdownActions.remove(action)) {
            action.run();
        }
    }

    /**
     * Begins a graceful shutdown and returns at once: runs the shutdown actions, then on every loop
     * cancels the tasks left, waits for them and closes the loop. Thread-safe, idempotent.
     */
    public void shutdown() {
        if (!shutdownStarted.compareAndSet(false, true)) {
            return;
        }
        runShutdownActions();
        if (interleaved) {
            return; // the driver (run) does the rest on its thread
        }
        for (int i = 0; i < loops.length; i++) {
            EventLoop loop = loops[i];
            Promise<?> stop = stops[i];
            if (loop == null || stop == null) {
                continue;
            }
            try {
                loop.callSoonThreadsafe(() -> stop.complete(null));
            } catch (LoopClosedException e) {
                // that loop has ended already
            }
        }
    }

    private void runShutdownActions() {
        for (Runnable r : shutdownActions) {
            shutdownActions.remove(r);
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "jasyncio: a shutdown action of " + name() + " threw", e);
            }
        }
    }

    /**
     * True once every loop has ended (closed, its thread finished).
     *
     * @return whether the group has terminated
     */
    public boolean isTerminated() {
        if (interleaved) {
            for (EventLoop l : loops) {
                if (!l.isClosed()) {
                    return false;
                }
            }
            return true;
        }
        return ended.getCount() == 0;
    }

    /**
     * Loops whose thread died with an error, in the order they died (empty normally).
     *
     * @return the failures
     */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /**
     * {@link #shutdown()}, then waits until every loop's thread has ended. Not from one of the
     * group's own loops (it would wait for itself): there, call {@code shutdown()}.
     */
    @Override
    public void close() {
        checkNotOnOwnLoop("close");
        if (interleaved) {
            if (!ran.get()) {
                for (EventLoop l : loops) {
                    l.close();
                }
            }
            return;
        }
        shutdown();
        awaitEnd();
    }

    private void awaitEnd() {
        awaitUninterruptibly(ended);
        for (Thread t : threads) {
            if (t != null) {
                boolean interrupted = false;
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void checkNotOnOwnLoop(String what) {
        EventLoop here = EventLoop.currentOrNull();
        if (here != null && here.group == this && !interleaved) {
            throw new IllegalStateException(what + " called on " + here.name() + ": it would wait for its own loop;"
                    + " call group.shutdown() there instead (it returns at once)");
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** "LoopGroup-3": for thread names and messages. */
    String name() {
        return "LoopGroup-" + id;
    }

    @Override
    public String toString() {
        return "LoopGroup[" + name() + ", loops=" + loops.length + (interleaved ? ", interleaved" : "")
                + (shutdownStarted.get() ? ", shut down" : "") + "]";
    }

    // ------------------------------------------------------------------ interleaved mode

    private <T> T runInterleaved(java.util.concurrent.Callable<? extends T> main) {
        for (EventLoop l : loops) {
            l.beginShared();
        }
        Throwable mainError = null;
        T value = null;
        try {
            Task<T> mainTask = loops[0].spawn("main", main);
            drive(mainTask::isDone);
            try {
                value = mainTask.resultNow();
            } catch (RuntimeException | Error e) {
                mainError = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            }
            shutdownStarted.set(true);
            runShutdownActions();
            for (EventLoop l : loops) {
                l.cancelAllTasks("the loop group is shutting down");
            }
            drive(this::noTaskLeft);
        } catch (RuntimeException | Error e) {
            if (mainError == null) {
                mainError = e;
            } else {
                mainError.addSuppressed(e);
            }
        } finally {
            for (EventLoop l : loops) {
                l.endShared();
                try {
                    l.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "jasyncio: closing " + l.name() + " failed", e);
                }
            }
        }
        return outcome(value, mainError);
    }

    private boolean noTaskLeft() {
        for (EventLoop l : loops) {
            if (l.liveTaskCount() > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Steps the loops until {@code done}: a loop with work, picked by the seed (or in turn); when
     * none has any, real outside waits are polled (time does not move meanwhile, as on a lone loop
     * with a virtual clock), else the loop with the earliest timer lets its clock move to it.
     */
    private void drive(BooleanSupplier done) {
        int n = loops.length;
        int[] candidates = new int[n];
        while (!done.getAsBoolean()) {
            int c = 0;
            for (int i = 0; i < n; i++) {
                if (loops[i].hasWorkNow()) {
                    candidates[c++] = i;
                }
            }
            if (c > 0) {
                int pick;
                if (pickRandom != null) {
                    pick = candidates[pickRandom.nextInt(c)];
                } else {
                    pick = candidates[0];
                    for (int k = 0; k < c; k++) {
                        if (candidates[k] > lastPicked) {
                            pick = candidates[k];
                            break;
                        }
                    }
                }
                lastPicked = pick;
                loops[pick].stepShared(false);
                continue;
            }
            boolean outside = false;
            for (EventLoop l : loops) {
                if (l.waitsOutside()) {
                    outside = true;
                    l.pollShared(1_000_000); // 1 ms of real time per loop waiting for the outside
                }
            }
            if (outside) {
                continue;
            }
            EventLoop earliest = loops[0];
            for (EventLoop l : loops) {
                if (l.nextDeadline() < earliest.nextDeadline()) {
                    earliest = l;
                }
            }
            if (earliest.nextDeadline() == Long.MAX_VALUE && sharedClock == LoopClock.system()) {
                throw new IllegalStateException("deadlock: every task of every loop of " + name()
                        + " is waiting, and no timer, I/O or other thread can wake any of them");
            }
            earliest.stepShared(true); // a virtual clock jumps to the timer (or reports the deadlock)
        }
    }
}
