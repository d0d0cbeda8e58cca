package io.jasyncio;

import io.jasyncio.internal.access.Access;
import io.jasyncio.internal.engine.CoroutineEngine;
import io.jasyncio.internal.engine.EngineSelection;
import io.jasyncio.internal.io.IoBackend;
import io.jasyncio.internal.io.SelectorBackend;
import io.jasyncio.internal.timer.TimerHeap;
import io.jasyncio.time.LoopClock;
import io.jasyncio.time.WaitAwareClock;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.jasyncio.diagnostics.LoopMetrics;
import io.jasyncio.diagnostics.TaskDump;

/**
 * A single-threaded event loop: it runs tasks (coroutines) one at a time, fires timers, and polls
 * its I/O backend (one {@link Selector}) for I/O readiness and for wake-ups from other threads.
 *
 * <h2>One iteration</h2>
 * <pre>
 *   poll the I/O backend (no wait if something is ready; else until the next timer, or forever)
 *   move callbacks submitted from other threads to the ready queue
 *   move due timers to the ready queue
 *   run what was in the ready queue when the iteration began, in FIFO order
 * </pre>
 * Work scheduled while an iteration runs waits for the next one, so I/O is polled between any two
 * rounds of callbacks and no task can starve the others by yielding in a loop.
 *
 * <h2>Threads</h2>
 * A loop belongs to one thread: the one that created it until it first runs, then the one running
 * it. Every method here except {@link #callSoonThreadsafe}, {@link #submit}, {@link #time()},
 * {@link #isRunning()} and {@link #isClosed()} throws {@link WrongThreadException} when called from
 * another thread; the message names the thread-safe alternative.
 *
 * <h2>Lifecycle</h2>
 * {@link #run(Callable)} is {@code asyncio.run}: run a main task to completion, cancel and drain the
 * rest, shut the default executor down and close. {@link #runUntilComplete} and {@link
 * #runForever()} leave the loop open for reuse; {@link #close()} releases it.
 */
public final class EventLoop implements AutoCloseable {

    static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();

    static {
        // The low-level room's door into the kernel (see io.jasyncio.internal.access).
        Access.setKernel(new KernelBridge());
    }
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    final CoroutineEngine engine;
    /** True when coroutine code runs on the loop thread itself (the continuation engine). */
    final boolean coroutinesOnLoopThread;
    private final LoopClock clock;
    /** The clock again if it wants a say in how long the loop blocks, else null. */
    private final WaitAwareClock waitAwareClock;
    /** The loop's I/O backend: the selector and the channel registrations. */
    final IoBackend io;
    private final ReadyQueue ready = new ReadyQueue();
    /**
     * How many entries at the head of {@code ready} this iteration still has to run (FIFO mode):
     * what was ready when it began, less what it ran or what was taken out meanwhile.
     */
    private int batchLeft;
    final TimerHeap timers;
    /**
     * What the timer heap asks about its entries: a sleeping task's entry is stale once the task
     * no longer sleeps until that deadline (the sleep was cancelled or already woken), a callback
     * timer's once it is cancelled.
     */
    private static final TimerHeap.Liveness TIMER_LIVENESS = (target, deadline) ->
            target instanceof Task<?> t ? t.isSleepingUntil(deadline) : !((TimerHandle) target).isCancelled();
    /** Non-null in seeded-schedule mode: the only source of scheduling randomness. */
    private final SplittableRandom scheduleRandom;
    private Object[] batch = new Object[0];
    private final ConcurrentLinkedQueue<Handle> inbox = new ConcurrentLinkedQueue<>();
    /** Set while the loop may be blocked in select, so other threads know to wake it. */
    private volatile boolean mayBlock;
    private volatile boolean closed;
    private volatile boolean running;
    private volatile Thread thread;
    private boolean stopping;
    Task<?> currentTask;

    private ExceptionHandler exceptionHandler;
    /** The installed instrument, or null: every hook site checks this field and nothing else. */
    Instrument instrument;
    private boolean debug;
    private final long slowCallbackNanos;
    /** The watchdog's threshold for this loop; 0 when it is off. */
    final long stallThresholdNanos;
    private ExecutorService defaultExecutor;
    private long taskCounter;

    // Live (not yet finished) tasks, as an intrusive doubly linked list in spawn order: the loop's
    // strong reference that keeps a fire-and-forget task from being garbage-collected.
    private Task<?> liveHead, liveTail;
    private int liveCount;

    private final SigintHandling sigint;
    /** Set on the loop thread when Ctrl-C cancelled the main task of {@link #run}. */
    private boolean interrupted;
    /** Actions to run at {@link #close()}, in registration order ({@link #atClose}). */
    private final java.util.LinkedHashSet<CloseHook> closeHooks = new java.util.LinkedHashSet<>();

    /** Tasks suspended until another thread completes something; a virtual clock must not jump past them. */
    int outsideWaits;

    // Failed tasks whose exception nobody has retrieved yet; reported when the task is collected
    // or, at the latest, when the loop closes.
    final UnretrievedFailures unretrieved = new UnretrievedFailures(this);

    // ---- what other threads read: the watchdog, dumps, metrics (see LoopWatch). The loop writes
    // these with plain stores (release order where an object is published), others read them racily.
    /** This loop's number in the process: 1, 2, ... */
    final long loopId;
    /** What watches this loop from other threads: counters, the stall state, the stack gate. */
    final LoopWatch watch;

    /** A loop with the default settings: system clock, logging exception handler, debug off. */
    public EventLoop() {
        this(new Builder());
    }

    private EventLoop(Builder b) {
        this.engine = b.engineInstance != null ? b.engineInstance
                : b.engine != null ? EngineSelection.choose(b.engine) : EngineSelection.defaultEngine();
        this.coroutinesOnLoopThread = engine.runsOnResumingThread();
        this.clock = b.clock;
        this.waitAwareClock = clock instanceof WaitAwareClock w ? w : null;
        this.debug = b.debug;
        this.slowCallbackNanos = b.slowCallback.toNanos();
        this.stallThresholdNanos = b.stallThreshold.toNanos();
        this.exceptionHandler = b.exceptionHandler;
        this.instrument = b.instrument;
        this.thread = Thread.currentThread();
        this.scheduleRandom = b.scheduleSeed != null ? new SplittableRandom(b.scheduleSeed) : null;
        this.timers = new TimerHeap(TIMER_LIVENESS, scheduleRandom);
        this.io = new SelectorBackend(new IoDispatcher());
        this.sigint = b.sigint;
        this.loopId = LoopWatch.nextLoopId();
        this.watch = new LoopWatch(this);
        LoopWatch.register(this);
    }

    /**
     * Settings for a new loop.
     *
     * @return a new builder with the default settings (or the thread's defaults, see
     *     {@code io.jasyncio.lowlevel.Loops.setThreadDefaults})
     */
    public static Builder builder() {
        return new Builder();
    }

    private static final ThreadLocal<Consumer<Builder>> THREAD_DEFAULTS = new ThreadLocal<>();

    /** {@code io.jasyncio.lowlevel.Loops.setThreadDefaults}: what every new builder on this thread starts from. */
    static void setThreadDefaults(Consumer<Builder> defaults) {
        if (defaults == null) {
            THREAD_DEFAULTS.remove();
        } else {
            THREAD_DEFAULTS.set(defaults);
        }
    }

    /** Builds an {@link EventLoop}; every setting has a sensible default. */
    public static final class Builder {
        private LoopClock clock = LoopClock.system();
        private boolean debug = Boolean.getBoolean("jasyncio.debug");
        private Duration slowCallback = Duration.ofMillis(100);
        private Duration stallThreshold = Watchdog.DEFAULT_THRESHOLD;
        private ExceptionHandler exceptionHandler;
        private Instrument instrument;
        private String engine;
        private CoroutineEngine engineInstance;
        private Long scheduleSeed;
        private SigintHandling sigint = SigintHandling.EXIT;

        private Builder() {
            Consumer<Builder> defaults = THREAD_DEFAULTS.get();
            if (defaults != null) {
                defaults.accept(this);
            }
        }

        /**
         * Seeded-schedule mode, for tests: whenever several callbacks or tasks are ready in one
         * iteration, the loop runs them in an order drawn from a random generator seeded with
         * {@code seed}, and timers due at the same instant fire in a seeded order too. The same
         * seed and the same program give the same schedule, exactly; different seeds expose
         * order-dependent bugs that FIFO order hides. Default: off (FIFO).
         *
         * @param seed the seed of the schedule
         * @return this builder
         */
        public Builder scheduleSeed(long seed) {
            this.scheduleSeed = seed;
            return this;
        }

        /**
         * The clock timers and {@link EventLoop#time()} use. Default: {@link LoopClock#system()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(LoopClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Debug mode (default: the system property {@code jasyncio.debug}): records where each task
         * was spawned, for reports about it, and logs callbacks or task steps that hold the loop
         * longer than {@link #slowCallback(Duration)}.
         *
         * @param debug true for debug mode
         * @return this builder
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * The threshold for debug mode's slow-step warnings. Default 100 ms.
         *
         * @param threshold how long a callback or task step may hold the loop before it is logged
         * @return this builder
         * @throws IllegalArgumentException if {@code threshold} is negative
         */
        public Builder slowCallback(Duration threshold) {
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("slowCallback must not be negative: " + threshold);
            }
            this.slowCallback = threshold;
            return this;
        }

        /**
         * The blocked-loop watchdog's threshold for this loop: when one task step or callback holds
         * the loop thread this long, the watchdog logs a warning once, naming the task and showing
         * the loop thread's live stack (the blocking call), then once more with the total when the
         * step ends. {@link Duration#ZERO} switches it off for this loop. Default: the
         * {@code jasyncio.watchdog} system property ({@code off}, or a duration such as
         * {@code 500ms} or {@code 2s}), else 1 s; see {@code docs/observability.md} for why.
         *
         * @param threshold how long a step may hold the loop before it is reported; zero for never
         * @return this builder
         * @throws IllegalArgumentException if {@code threshold} is negative
         */
        public Builder stallThreshold(Duration threshold) {
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("stallThreshold must not be negative: " + threshold);
            }
            this.stallThreshold = threshold;
            return this;
        }

        /**
         * Receives errors nobody else can. Default: log at ERROR through {@link System.Logger}.
         *
         * @param handler the handler, or {@code null} for the logging default
         * @return this builder
         */
        public Builder exceptionHandler(ExceptionHandler handler) {
            this.exceptionHandler = handler;
            return this;
        }

        /**
         * Installs {@code instrument}, whose hooks the loop calls as it spawns, runs, parks and wakes
         * tasks and as it iterates and waits for I/O. Default: none, which costs one null check
         * per hook site.
         *
         * @param instrument the instrument, or {@code null} for none
         * @return this builder
         */
        public Builder instrument(Instrument instrument) {
            this.instrument = instrument;
            return this;
        }

        /**
         * Forces a coroutine engine for this loop: {@code continuation}, {@code portable} or
         * {@code auto}. Default: the JVM-wide choice of the {@code jasyncio.engine} property.
         *
         * @param engine {@code continuation}, {@code portable} or {@code auto}
         * @return this builder
         */
        public Builder engine(String engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * What {@link EventLoop#run} does with Ctrl-C (SIGINT) while the main task runs. Default
         * {@link SigintHandling#EXIT}, as asyncio's runner: cancel the main task, let it clean up,
         * exit with status 130. Embedders that own the JVM's exit choose {@link SigintHandling#THROW}
         * or {@link SigintHandling#OFF}.
         *
         * @param handling what to do on Ctrl-C
         * @return this builder
         */
        public Builder sigint(SigintHandling handling) {
            this.sigint = Objects.requireNonNull(handling, "handling");
            return this;
        }

        /** For the core's tests: this engine instance (for example one that injects faults) wins over the name. */
        Builder coroutineEngine(CoroutineEngine engine) {
            this.engineInstance = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * A new loop with these settings, not yet running.
         *
         * @return the loop
         */
        public EventLoop build() {
            return new EventLoop(this);
        }
    }

    // ------------------------------------------------------------------ current loop and threads

    /**
     * The loop running the calling code.
     *
     * @return the current loop
     * @throws IllegalStateException if no loop runs on this thread (start one with {@link Async#run})
     */
    public static EventLoop current() {
        EventLoop loop = CURRENT.get();
        if (loop == null || !loop.running) {
            throw new IllegalStateException("no event loop is running on thread '" + Thread.currentThread().getName()
                    + "'; start one with Async.run(...), or from another thread use loop.submit(...)");
        }
        return loop;
    }

    /** The loop running the calling code, or null (also {@code io.jasyncio.lowlevel.Loops.currentOrNull}). Thread-safe. */
    static EventLoop currentOrNull() {
        EventLoop loop = CURRENT.get();
        return loop != null && loop.running ? loop : null;
    }

    /**
     * The task running the calling code, or null when a plain callback is running (asyncio's
     * {@code current_task()}). Loop thread only.
     *
     * @return the current task, or {@code null} in a plain callback
     */
    public Task<?> currentTask() {
        checkThread("currentTask");
        return currentTask;
    }

    /** True if the caller may use this loop's single-threaded methods. */
    boolean inLoopContext() {
        if (sharedThread) {
            EventLoop here = CURRENT.get();
            return here == this || (here == null && Thread.currentThread() == thread);
        }
        return Thread.currentThread() == thread || CURRENT.get() == this;
    }

    void checkThread(String what) {
        if (sharedThread) {
            checkSharedThread(what);
            return;
        }
        if (Thread.currentThread() != thread && CURRENT.get() != this) {
            throw new WrongThreadException(what + " called from thread '" + Thread.currentThread().getName()
                    + "', but this event loop belongs to thread '" + thread.getName()
                    + "'. From other threads use loop.callSoonThreadsafe(...) or loop.submit(...).");
        }
    }

    /**
     * The thread check of a loop whose group steps every loop on one thread (a deterministic
     * test): the thread alone proves nothing there, so the caller must be this loop's own code
     * (or the group's driver between steps). Code of a sibling loop is refused as it would be
     * when the loops run on threads of their own, so a test catches what production would race on.
     */
    private void checkSharedThread(String what) {
        EventLoop here = CURRENT.get();
        if (here == this || (here == null && Thread.currentThread() == thread)) {
            return;
        }
        throw new WrongThreadException(what + " called from " + (here != null ? "a task of " + here.name()
                : "thread '" + Thread.currentThread().getName() + "'") + ", but this object belongs to " + name()
                + ". Between loops use Async.awaitOn(loop, ...), loop.submit(...), loop.callSoonThreadsafe(...)"
                + " or a CrossLoopChannel.");
    }

    // ------------------------------------------------------------------ loop groups

    /** The group this loop belongs to, or null; set once, before the loop runs. */
    LoopGroup group;
    /** This loop's index in its group (0 for a loop of no group). */
    int groupIndex;
    /** True when the group steps all its loops on one thread ({@link LoopGroup} interleaved mode). */
    boolean sharedThread;

    /** "loop 2 of LoopGroup[...]" or "EventLoop[...]": for messages. */
    String name() {
        return group == null ? toString() : "loop " + groupIndex + " of " + group.name();
    }

    /** Interleaved groups: marks the loop running on the calling (driver) thread, with no step in progress. */
    void beginShared() {
        checkOpen();
        thread = Thread.currentThread();
        sharedThread = true;
        running = true;
        stopping = false;
    }

    /**
     * Interleaved groups: one iteration of this loop on the driver thread. With {@code mayWait}
     * false it never blocks and never consults the clock (the group decides when time moves);
     * with it true the iteration waits as a loop of its own would, the clock deciding how long.
     */
    void stepShared(boolean mayWait) {
        EventLoop before = CURRENT.get();
        CURRENT.set(this);
        try {
            runOnce(mayWait);
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** Interleaved groups: one non-blocking poll of this loop's selector for at most {@code nanos}. */
    void pollShared(long nanos) {
        EventLoop before = CURRENT.get();
        CURRENT.set(this);
        try {
            if (io.hasInterest()) {
                io.poll(nanos);
            }
            runOnce(false);
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** True if an iteration now would run something: ready work, handed-over work, or a due timer. */
    boolean hasWorkNow() {
        if (!ready.isEmpty() || !inbox.isEmpty()) {
            return true;
        }
        timers.pruneTop();
        return !timers.isEmpty() && timers.peekDeadline() <= clock.nanoTime();
    }

    /** The earliest live timer's deadline, or {@link Long#MAX_VALUE} if there is none. */
    long nextDeadline() {
        timers.pruneTop();
        return timers.isEmpty() ? Long.MAX_VALUE : timers.peekDeadline();
    }

    /** True if the loop waits on something from outside the group: a channel's readiness or another thread. */
    boolean waitsOutside() {
        return io.hasInterest() || outsideWaits > 0;
    }

    /** Unfinished tasks. */
    int liveTaskCount() {
        return liveCount;
    }

    /** Interleaved groups: the end of the group's life for this loop; close() may follow. */
    void endShared() {
        running = false;
    }

    /** Cancels every live task, as {@link #run}'s epilogue does, reporting those that fail meanwhile. */
    void cancelAllTasks(String why) {
        for (Task<?> t : allTasks()) {
            t.cancel(why);
            t.addListener(a -> {
                if (a.state() == Awaitable.State.FAILED) {
                    Task<?> failed = (Task<?>) a;
                    failed.markRetrieved();
                    callExceptionHandler(new ErrorReport("task '" + failed.getName()
                            + "' failed while the loop group shut down", failed.failureOrNull(), failed, null));
                }
            });
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LoopClosedException("the event loop is closed");
        }
    }

    /**
     * The name of the coroutine engine in use: {@code continuation} or {@code portable}.
     *
     * @return the engine's name
     */
    public String engineName() {
        return engine.name();
    }

    // ------------------------------------------------------------------ time and callbacks

    /**
     * Now, in nanoseconds on this loop's monotonic clock. Thread-safe.
     *
     * @return the time, in nanoseconds
     */
    public long time() {
        return clock.nanoTime();
    }

    /**
     * The clock this loop runs on.
     *
     * @return the clock
     */
    public LoopClock clock() {
        return clock;
    }

    /**
     * Runs {@code callback} on the loop soon, after what is already ready (asyncio's {@code call_soon}).
     *
     * @param callback the code to run on the loop thread
     * @return a handle that can cancel the call
     */
    public Handle callSoon(Runnable callback) {
        checkThread("callSoon");
        checkOpen();
        Handle h = new Handle(callback);
        ready.add(h);
        return h;
    }

    /**
     * Runs {@code callback} on the loop after {@code delay} (a zero or negative delay means soon).
     *
     * @param delay how long from now
     * @param callback the code to run on the loop thread
     * @return a handle that can cancel the call
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        // Saturate absurd delays (ChronoUnit.FOREVER) to about 146 years, as sleep does, rather
        // than fail in Duration.toNanos or overflow into the past.
        long nanos = Math.min(CancelScope.saturatedNanos(delay), Long.MAX_VALUE / 2);
        return callAt(time() + nanos, callback);
    }

    /**
     * Runs {@code callback} on the loop at {@code deadlineNanos} on this loop's {@link #time()}.
     *
     * @param deadlineNanos when, in nanoseconds on {@link #time()}
     * @param callback the code to run on the loop thread
     * @return a handle that can cancel the call
     */
    public TimerHandle callAt(long deadlineNanos, Runnable callback) {
        checkThread("callAt");
        checkOpen();
        TimerHandle h = new TimerHandle(this, deadlineNanos, callback);
        timers.add(deadlineNanos, h);
        return h;
    }

    /**
     * Runs {@code callback} on the loop soon; callable from any thread, and the only way to hand
     * work to the loop from another thread (asyncio's {@code call_soon_threadsafe}).
     *
     * @param callback the code to run on the loop thread
     * @return a handle that can cancel the call
     * @throws LoopClosedException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        Handle h = new Handle(callback);
        if (closed) {
            throw new LoopClosedException("the event loop is closed");
        }
        inbox.add(h);
        if (closed && inbox.remove(h)) {
            // close() ran between the check and the add and has already drained the inbox.
            throw new LoopClosedException("the event loop is closed");
        }
        if (mayBlock) {
            io.wakeup();
        }
        return h;
    }

    /** A thread-safe callback that must hear about it if the loop closes before running it. */
    interface Rejectable {
        void rejected(LoopClosedException e);
    }

    void timerCancelled() {
        timers.noteStale();
    }

    void schedule(Task<?> task) {
        ready.add(task);
        task.stateSince = LoopWatch.coarseStamp;
    }

    /** Tasks being started inside their awaiters right now, one inside the other ({@link Task#startInline}). */
    int inlineDepth;

    /**
     * True if an awaiter may start a task that has not started at once, out of its turn: not when
     * the schedule is seeded, where the seeded order must stay the only thing that decides who
     * runs next (and where an iteration's entries have all left the queue before the first runs).
     */
    boolean mayStartInline() {
        return scheduleRandom == null;
    }

    /**
     * Takes {@code item} out of the ready queue if it is at either end, in O(1), and says whether
     * it did. An awaiter starting a task inline finds it at the tail when it spawned it just
     * before, and at the head when it awaits what it spawned in spawn order. Anywhere else the
     * entry stays, and the task marks it taken: a search would scan the queue, and awaiting N tasks
     * in some order would cost N² (139 s for a million, when this searched from the tail).
     */
    boolean takeIfAtAnEnd(Object item) {
        if (ready.peekFirst() == item) {
            ready.pollFirst();
            if (batchLeft > 0) {
                batchLeft--; // the head is always this iteration's
            }
            return true;
        }
        if (ready.peekLast() == item) {
            if (ready.size() == batchLeft) {
                batchLeft--; // nothing was added since the iteration began: the tail is its too
            }
            ready.pollLast();
            return true;
        }
        return false;
    }

    /**
     * Takes back the entry {@link #schedule} just added for {@code task}, whose suspension then
     * failed: nothing has run since, so it is the last one.
     */
    void unscheduleLast(Task<?> task) {
        if (ready.peekLast() != task) {
            throw new IllegalStateException("internal error: the last ready entry is not task '" + task.getName() + "'");
        }
        ready.pollLast();
    }

    void enqueue(Handle handle) {
        ready.add(handle);
    }

    // ------------------------------------------------------------------ I/O readiness
    // The public face of these is io.jasyncio.lowlevel.Readiness (through KernelBridge); each keeps
    // the loop's thread and closed checks here, where the state is.

    /**
     * Where the backend hands back what was registered with it: a task waiting for readiness is
     * woken (with the error, if its channel was closed meanwhile), a reader or writer callback's
     * handle goes to the ready queue.
     */
    private final class IoDispatcher implements IoBackend.Dispatcher {
        @Override
        public void ready(Object target) {
            if (target instanceof Task<?> t) {
                t.wake(null);
            } else {
                enqueue((Handle) target);
            }
        }

        @Override
        public void closed(Object target, RuntimeException error) {
            ((Task<?>) target).wakeWithError(error);
        }
    }

    void addCallback(SelectableChannel channel, boolean write, Runnable callback) throws ClosedChannelException {
        checkThread(write ? "addWriter" : "addReader");
        checkOpen();
        Objects.requireNonNull(callback, "callback");
        io.setCallback(channel, write, new Handle(callback));
    }

    boolean removeCallback(SelectableChannel channel, boolean write) {
        checkThread(write ? "removeWriter" : "removeReader");
        return io.removeCallback(channel, write);
    }

    void closeChannel(SelectableChannel channel) {
        checkThread("closeChannel");
        io.closeChannel(channel, new ChannelClosedException("the channel was closed while a task waited on it"));
    }

    /** Parks {@code me}, the running task of this loop, until the channel is ready. */
    void waitReady(Task<?> me, SelectableChannel channel, boolean write) throws ClosedChannelException {
        me.throwIfCancelled();
        me.park(io.addWaiter(channel, write, me), true);
    }

    List<SelectableChannel> registeredChannels() {
        checkThread("registeredChannels");
        return closed ? new ArrayList<>() : io.registeredChannels();
    }

    // ------------------------------------------------------------------ instrument

    // Which task hook instrumentTask calls.
    static final int SPAWNED = 0, BEFORE_STEP = 1, AFTER_STEP = 2, PARKED = 3, WOKEN = 4, EXITED = 5;

    /** Calls the instrument's task hook {@code hook}; callers check {@code instrument != null} first. */
    void instrumentTask(int hook, Task<?> task) {
        Instrument in = instrument;
        if (in == null) {
            return; // removed meanwhile
        }
        try {
            switch (hook) {
                case SPAWNED -> in.taskSpawned(task);
                case BEFORE_STEP -> in.beforeTaskStep(task);
                case AFTER_STEP -> in.afterTaskStep(task);
                case PARKED -> in.taskParked(task);
                case WOKEN -> in.taskWoken(task);
                default -> in.taskExited(task);
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            instrumentFailed(in, e);
        }
    }

    private void instrumentFailed(Instrument in, Throwable e) {
        instrument = null;
        callExceptionHandler(new ErrorReport("the instrument " + in + " threw; it is removed from the loop", e, null, null));
    }

    // ------------------------------------------------------------------ loop-locals

    /** The values of {@code io.jasyncio.lowlevel.LoopLocal}s for this loop, indexed by their slot. */
    private Object[] loopLocals = new Object[8];

    Object loopLocal(int slot) {
        checkThread("LoopLocal.get");
        Object[] a = loopLocals;
        return slot < a.length ? a[slot] : null;
    }

    void setLoopLocal(int slot, Object value) {
        checkThread("LoopLocal.set");
        if (slot >= loopLocals.length) {
            loopLocals = Arrays.copyOf(loopLocals, Math.max(slot + 1, loopLocals.length * 2));
        }
        loopLocals[slot] = value;
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Starts {@code body} as a new task on this loop (asyncio's {@code create_task}).
     *
     * @param <T> the type of the task's value
     * @param body the task's code
     * @return the new task, already scheduled
     */
    public <T> Task<T> spawn(Callable<? extends T> body) {
        return spawn(null, body);
    }

    /**
     * Starts {@code body} as a new task with a name (null: {@code Task-N}).
     *
     * @param <T> the type of the task's value
     * @param name the task's name, or {@code null}
     * @param body the task's code
     * @return the new task, already scheduled
     */
    public <T> Task<T> spawn(String name, Callable<? extends T> body) {
        checkThread("spawn");
        checkOpen();
        Objects.requireNonNull(body, "body");
        Task<T> t = new Task<>(this, name, body, ++taskCounter);
        linkLive(t);
        ready.add(t);
        t.stateSince = LoopWatch.coarseStamp;
        if (JfrEvents.taskEnabled) {
            t.jfrEvent(JfrEvents.taskBegin());
        }
        if (instrument != null) {
            instrumentTask(SPAWNED, t);
        }
        return t;
    }

    /**
     * Starts {@code body} as a task on this loop from any thread (asyncio's
     * {@code run_coroutine_threadsafe}). Cancelling the returned future cancels the task.
     *
     * @param <T> the type of the task's value
     * @param body the task's code
     * @return a future completed with the task's outcome; it fails with {@link LoopClosedException} if the
     *     loop closes first
     */
    public <T> CompletableFuture<T> submit(Callable<? extends T> body) {
        Objects.requireNonNull(body, "body");
        var result = new Awaitable.LinkedCompletableFuture<T>();
        final class Submission implements Runnable, Rejectable {
            @Override
            public void run() {
                if (result.isDone()) {
                    return; // cancelled before it could start
                }
                Task<T> t = spawn(body);
                result.link(t);
                if (result.isCancelled()) {
                    // The caller's cancel() ran between our isDone() check and link(): it saw no
                    // task to cancel, so cancel it here. (Both sides may cancel; that is harmless.)
                    t.cancel("cancelled through its CompletableFuture");
                }
                t.completeInto(result);
            }

            @Override
            public void rejected(LoopClosedException e) {
                result.completeExceptionally(e);
            }
        }
        callSoonThreadsafe(new Submission());
        return result;
    }

    /**
     * The tasks of this loop that have not finished, in spawn order.
     *
     * @return the unfinished tasks
     */
    public List<Task<?>> allTasks() {
        checkThread("allTasks");
        List<Task<?>> out = new ArrayList<>(liveCount);
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            out.add(t);
        }
        return out;
    }

    private void linkLive(Task<?> t) {
        t.prevLive = liveTail;
        // Plain stores, on purpose: a VarHandle here cost spawn+await measurably (it deepens the
        // inlining of the hot path). A dump on another thread reads these racily: x86 keeps stores
        // in order, a task's id is final, and every other field it reads may be null or stale.
        if (liveTail == null) {
            liveHead = t;
        } else {
            liveTail.nextLive = t;
        }
        liveTail = t;
        liveCount++;
    }

    /** The first live task, for a dump on another thread (racy). */
    Task<?> liveHeadForDump() {
        return liveHead;
    }

    /** The last live task, as last written (racy from another thread). */
    Task<?> liveTailRacy() {
        return liveTail;
    }

    /** How many tasks are live, as last written (racy from another thread). */
    int liveCountRacy() {
        return liveCount;
    }

    /** Ready entries, as last written (racy from another thread: clamped, never thrown). */
    int readyCountRacy() {
        try {
            return Math.max(0, ready.size());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Whether the loop thread may be blocked in select right now (volatile read). */
    boolean mayBeBlockedInSelect() {
        return mayBlock;
    }

    /** The loop's thread, for stacks and names (volatile read). */
    Thread threadForDump() {
        return thread;
    }

    /**
     * A dump of this loop's tasks: ids, names, states, what each waits on, who waits for it, its
     * suspended stack, its group and, in debug mode, its spawn site; with deadlocks (cycles of
     * tasks awaiting each other or each other's locks). Thread-safe: call it from any thread, while
     * the loop runs, waits, or is blocked in a step; it never changes what the loop does next (to
     * read suspended stacks it may hold the loop between two steps for about a millisecond at a
     * time). See {@link TaskDump}.
     *
     * @return the dump
     */
    public TaskDump dumpTasks() {
        return TaskDumper.dump(List.of(this));
    }

    /**
     * A dump of the tasks of every event loop of this process that is not closed, as {@link
     * #dumpTasks()} takes for one. Thread-safe; this is what {@code ./jasyncio ps PID} and the JMX
     * operation {@code io.jasyncio:type=Diagnostics#dumpTasks} print.
     *
     * @return the dump
     */
    public static TaskDump dumpAllLoops() {
        return TaskDumper.dump(LoopWatch.loops());
    }

    /**
     * This loop's counters: live tasks, ready queue, steps, busy and waiting time, stalls,
     * channels, timers. Thread-safe and cheap; over JMX as {@code io.jasyncio:type=EventLoop,id=N}.
     *
     * @return the counters as the loop last wrote them
     */
    public LoopMetrics metrics() {
        return watch.metrics();
    }

    /**
     * This loop's number in the process (1 for the first loop made, then 2, ...), as dumps and
     * JMX name it.
     *
     * @return the id
     */
    public long id() {
        return loopId;
    }

    void unlinkLive(Task<?> t) {
        Task<?> p = t.prevLive, n = t.nextLive;
        if (p == null) {
            liveHead = n;
        } else {
            p.nextLive = n;
        }
        if (n == null) {
            liveTail = p;
        } else {
            n.prevLive = p;
        }
        t.prevLive = t.nextLive = null;
        liveCount--;
    }

    // ------------------------------------------------------------------ errors and settings

    /**
     * Hands {@code report} to the exception handler (asyncio's {@code call_exception_handler}).
     *
     * @param report the error to hand on
     */
    public void callExceptionHandler(ErrorReport report) {
        ExceptionHandler h = exceptionHandler;
        if (h != null) {
            try {
                h.handle(this, report);
                return;
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "the event loop's exception handler threw", t);
            }
        }
        LOG.log(Level.ERROR, report.message(), report.exception());
    }

    /**
     * Sets the handler for errors nobody else can receive; null restores the logging default.
     *
     * @param handler the handler, or {@code null} for the logging default
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        checkThread("setExceptionHandler");
        this.exceptionHandler = handler;
    }

    /**
     * The handler set on the builder or with {@link #setExceptionHandler}; null for the logging default.
     *
     * @return the handler, or {@code null}
     */
    public ExceptionHandler exceptionHandler() {
        return exceptionHandler;
    }

    /**
     * True in debug mode: see {@link Builder#debug(boolean)}.
     *
     * @return whether debug mode is on
     */
    public boolean isDebug() {
        return debug;
    }

    /**
     * Turns debug mode on or off from now on (tasks spawned earlier keep what they recorded). Loop thread
     * only.
     *
     * @param debug true for debug mode
     */
    public void setDebug(boolean debug) {
        checkThread("setDebug");
        this.debug = debug;
    }

    // ------------------------------------------------------------------ executors

    /**
     * The executor {@link Async#toThread} uses: created on first use, with
     * {@code min(32, cores + 4)} daemon threads (asyncio's default), shut down by {@link #run}.
     *
     * @return the default executor
     */
    public ExecutorService defaultExecutor() {
        checkThread("defaultExecutor");
        checkOpen();
        if (defaultExecutor == null) {
            int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            defaultExecutor = Executors.newFixedThreadPool(n,
                    Thread.ofPlatform().daemon(true).name("jasyncio-worker-", 1).factory());
        }
        return defaultExecutor;
    }

    /**
     * Replaces the default executor (the old one is not shut down).
     *
     * @param executor the new default executor
     */
    public void setDefaultExecutor(ExecutorService executor) {
        checkThread("setDefaultExecutor");
        this.defaultExecutor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Shuts the default executor down and waits, suspending the current task, until its running
     * calls finish (asyncio's {@code shutdown_default_executor}). Must run inside a task.
     */
    public void shutdownDefaultExecutor() {
        checkThread("shutdownDefaultExecutor");
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            return;
        }
        ex.shutdown();
        CompletableFuture<Void> terminated = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("jasyncio-executor-shutdown").start(() -> {
            try {
                while (!ex.awaitTermination(1, TimeUnit.HOURS)) {
                    // keep waiting: asyncio waits for running calls too
                }
                terminated.complete(null);
            } catch (InterruptedException e) {
                terminated.completeExceptionally(e);
            }
        });
        Async.await(terminated);
    }

    // ------------------------------------------------------------------ running

    /**
     * True while one of the run methods is executing. Thread-safe.
     *
     * @return whether the loop is running
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * True once {@link #close()} has completed. Thread-safe.
     *
     * @return whether the loop is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * asyncio's {@code run}: runs {@code main} as a task until it completes, then cancels every
     * task still alive and waits for them, shuts the default executor down, closes the loop, and
     * returns main's value or throws its exception (a checked one wrapped in
     * {@link java.util.concurrent.CompletionException}).
     *
     * <p>Ctrl-C (SIGINT) while main runs cancels main, as asyncio's runner does; once main and the
     * other tasks have unwound and the loop has closed, the JVM exits with status 130, or this
     * throws {@link KeyboardInterruptException}; a second Ctrl-C exits at once. See
     * {@link Builder#sigint(SigintHandling)} and {@link SigintHandling}.
     *
     * @param <T> the type of main's value
     * @param main the main coroutine
     * @return main's value
     */
    public <T> T run(Callable<? extends T> main) {
        Objects.requireNonNull(main, "main");
        Task<T> mainTask;
        try {
            mainTask = enterAndSpawn(main);
        } catch (RuntimeException e) {
            // Refused to start. Close the loop as run() promises, unless it is running already
            // (re-entered from its own task, or running on another thread): that loop is not ours
            // to close, and trying would replace the real error with close()'s own.
            if (!running && inLoopContext()) {
                close();
            }
            throw e;
        }
        Runnable sigintOff = sigint == SigintHandling.OFF ? null : SignalHandlers.installInterrupt(this, () -> {
            if (!mainTask.isDone()) {
                interrupted = true;
                mainTask.cancel("interrupted by Ctrl-C (SIGINT)");
            }
        });
        boolean exit = false;
        try {
            runLoop(mainTask);
            finishRemainingTasks();
            if (interrupted && mainTask.isCancelled()) {
                // asyncio.run raises KeyboardInterrupt here, which ends the interpreter with 130.
                CancelledException why;
                try {
                    mainTask.resultNow();
                    throw new AssertionError("a cancelled task has no result");
                } catch (CancelledException e) {
                    why = e;
                }
                if (sigint == SigintHandling.THROW) {
                    throw new KeyboardInterruptException(why);
                }
                exit = true;
                return null; // never returned: System.exit below, once the loop is closed
            }
            return resultAfterRun(mainTask);
        } finally {
            if (sigintOff != null) {
                sigintOff.run();
            }
            close();
            if (exit) {
                System.exit(KeyboardInterruptException.EXIT_STATUS);
            }
        }
    }

    /**
     * Runs {@code main} as a task until it completes and returns its value, leaving the loop open
     * and any other tasks where they are.
     *
     * @param <T> the type of main's value
     * @param main the main coroutine
     * @return main's value
     */
    public <T> T runUntilComplete(Callable<? extends T> main) {
        Task<T> t = enterAndSpawn(main);
        runLoop(t);
        return resultAfterRun(t);
    }

    private static <T> T resultAfterRun(Awaitable<T> a) {
        if (!a.isDone()) {
            throw new IllegalStateException("the event loop was stopped before " + a + " completed: it is not done");
        }
        return a.resultNow();
    }

    /**
     * Runs the loop until {@code awaitable} is done, then returns its value or throws its error.
     *
     * @param <T> the type of the value
     * @param awaitable the promise or task to wait for
     * @return its value
     */
    public <T> T runUntilComplete(Awaitable<T> awaitable) {
        if (awaitable.loop != this) {
            throw new IllegalArgumentException("the awaitable belongs to another event loop");
        }
        enter();
        runLoop(awaitable);
        return resultAfterRun(awaitable);
    }

    /** Runs the loop until {@link #stop()} is called. */
    public void runForever() {
        enter();
        runLoop(null);
    }

    /**
     * Makes a running loop return from its run method after the current iteration. From another
     * thread: {@code loop.callSoonThreadsafe(loop::stop)}.
     */
    public void stop() {
        checkThread("stop");
        stopping = true;
    }

    private <T> Task<T> enterAndSpawn(Callable<? extends T> main) {
        enter();
        try {
            return spawn("main", main);
        } catch (RuntimeException e) {
            leave();
            throw e;
        }
    }

    private void enter() {
        checkOpen();
        EventLoop other = CURRENT.get();
        if (other != null && other.running) {
            throw new IllegalStateException("cannot start an event loop while another one is running on thread '"
                    + Thread.currentThread().getName() + "'; spawn a task on the running loop instead");
        }
        if (running) {
            throw new IllegalStateException("this event loop is already running (on thread '" + thread.getName() + "')");
        }
        thread = Thread.currentThread();
        CURRENT.set(this);
        watch.entered();
        running = true;
        stopping = false;
    }

    private void leave() {
        running = false;
        watch.left();
        CURRENT.remove();
    }

    private void runLoop(Awaitable<?> until) {
        Awaitable.Listener stopWhenDone = a -> stopping = true;
        try {
            if (until != null) {
                // Stop as soon as the awaited thing completes, like asyncio's done-callback.
                until.addListener(stopWhenDone);
            }
            while (!stopping) {
                runOnce();
            }
        } finally {
            if (until != null) {
                // If stop() ended this run first, the hook must not stop a later run.
                until.removeListener(stopWhenDone);
            }
            leave();
        }
    }

    /** Cancels every live task and runs the loop until all have finished (asyncio.run's epilogue). */
    private void finishRemainingTasks() {
        enter();
        try {
            List<Task<?>> left = allTasks();
            if (!left.isEmpty()) {
                for (Task<?> t : left) {
                    t.cancel("the event loop is shutting down");
                }
                Promise<Void> allDone = new Promise<>(this);
                int[] pending = {left.size()};
                for (Task<?> t : left) {
                    t.addListener(a -> {
                        if (a.state() == Awaitable.State.FAILED) {
                            Task<?> failed = (Task<?>) a;
                            failed.markRetrieved();
                            callExceptionHandler(new ErrorReport("task '" + failed.getName()
                                    + "' failed while the event loop shut down", failed.failureOrNull(), failed, null));
                        }
                        if (--pending[0] == 0) {
                            allDone.complete(null);
                        }
                    });
                }
                runLoopUntil(allDone);
            }
            if (defaultExecutor != null) {
                Task<Object> shutdown = spawn("shutdown-default-executor", () -> {
                    shutdownDefaultExecutor();
                    return null;
                });
                runLoopUntil(shutdown);
            }
        } finally {
            leave();
        }
    }

    private void runLoopUntil(Awaitable<?> until) {
        until.addListener(a -> stopping = true);
        stopping = false;
        while (!stopping) {
            runOnce();
        }
    }

    /** One iteration; see the class comment. */
    private void runOnce() {
        runOnce(true);
    }

    /** One iteration; with {@code mayWait} false it neither blocks nor asks the clock (interleaved groups). */
    private void runOnce(boolean mayWait) {
        watch.iteration();
        Instrument in = instrument;
        if (in != null) {
            try {
                in.iterationStarted(this);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                instrumentFailed(in, e);
            }
        }
        long timeout;
        boolean idle = false;
        if (!ready.isEmpty() || stopping || !mayWait) {
            timeout = 0;
        } else {
            timers.pruneTop();
            long untilTimer = timers.isEmpty() ? -1 : Math.max(0, timers.peekDeadline() - clock.nanoTime());
            timeout = waitAwareClock == null ? untilTimer
                    : waitAwareClock.beforeBlocking(untilTimer, io.hasInterest() || outsideWaits > 0);
            idle = true;
        }
        if (timeout != 0 || io.hasInterest()) {
            if (instrument != null) {
                pollInstrumented(timeout);
            } else {
                poll(timeout);
            }
        }
        Handle h;
        while ((h = inbox.poll()) != null) {
            ready.add(h);
        }
        if (idle && waitAwareClock != null) {
            waitAwareClock.afterBlocking(!ready.isEmpty());
        }
        if (!timers.isEmpty()) {
            long now = clock.nanoTime();
            Object due;
            while ((due = timers.pollDue(now)) != null) {
                if (due instanceof Task<?> t) {
                    t.wakeFromSleep();
                } else {
                    ready.add(due);
                }
            }
        }
        unretrieved.reportCollected();
        if (scheduleRandom != null) {
            runShuffledBatch();
            return;
        }
        boolean timed = debug || JfrEvents.stepEnabled;
        LoopWatch w = watch;
        for (batchLeft = ready.size(); batchLeft > 0; ) {
            batchLeft--;
            Object item = ready.pollFirst();
            w.beforeItem();
            if (timed) {
                runTimed(item);
            } else {
                runItem(item);
            }
        }
    }

    /** Seeded mode: this iteration's ready work, in a Fisher-Yates order drawn from the seed. */
    private void runShuffledBatch() {
        int n = ready.size();
        if (batch.length < n) {
            batch = new Object[Math.max(n, batch.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            batch[i] = ready.pollFirst();
        }
        for (int i = n - 1; i > 0; i--) {
            int j = scheduleRandom.nextInt(i + 1);
            Object t = batch[i];
            batch[i] = batch[j];
            batch[j] = t;
        }
        boolean timed = debug || JfrEvents.stepEnabled;
        for (int i = 0; i < n; i++) {
            Object item = batch[i];
            batch[i] = null;
            watch.beforeItem();
            if (timed) {
                runTimed(item);
            } else {
                runItem(item);
            }
        }
    }

    private void runItem(Object item) {
        if (item instanceof Task<?> t) {
            t.runFromReadyQueue();
        } else {
            Handle h = (Handle) item;
            try {
                h.run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                callExceptionHandler(new ErrorReport("exception in callback " + h.callback(), e, null, h));
            }
        }
    }

    private void runTimed(Object item) {
        long t0 = System.nanoTime();
        if (JfrEvents.stepEnabled) {
            JfrEvents.timedStep(this, item, () -> runItem(item));
        } else {
            runItem(item);
        }
        long took = System.nanoTime() - t0;
        if (debug && took >= slowCallbackNanos) {
            LOG.log(Level.WARNING, "jasyncio: " + item + " held the event loop for " + took / 1_000_000 + " ms");
        }
    }

    private void pollInstrumented(long timeoutNanos) {
        Instrument in = instrument;
        try {
            in.beforeIoWait(this, timeoutNanos);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            instrumentFailed(in, e);
        }
        poll(timeoutNanos);
        in = instrument;
        if (in != null) {
            try {
                in.afterIoWait(this);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                instrumentFailed(in, e);
            }
        }
    }

    private void poll(long timeoutNanos) {
        if (timeoutNanos == 0) {
            io.poll(0);
            return;
        }
        // Other threads wake the selector only while this flag is up; the inbox is checked after
        // raising it, so a callback handed over in between is never slept through.
        mayBlock = true;
        long t0 = System.nanoTime();
        Object jfr = JfrEvents.ioWaitEnabled ? JfrEvents.ioWaitBegin() : null;
        try {
            io.poll(inbox.isEmpty() ? timeoutNanos : 0);
        } finally {
            mayBlock = false;
            watch.waited(System.nanoTime() - t0);
            if (jfr != null) {
                JfrEvents.ioWaitEnd(jfr, this, timeoutNanos);
            }
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes the loop: reports failed tasks whose exception nobody retrieved, drops callbacks and
     * timers still pending, closes the selector and shuts the default executor down without
     * waiting. Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkThread("close");
        if (running) {
            throw new IllegalStateException("cannot close a running event loop; call stop() first");
        }
        runCloseHooks();
        SignalHandlers.removeAll(this);
        unretrieved.reportAll();
        closed = true;
        LoopClosedException rejection = new LoopClosedException("the event loop closed before running this callback");
        for (Handle h; (h = inbox.poll()) != null; ) {
            ready.add(h);
        }
        ready.forEach(item -> {
            if (item instanceof Handle h && h.callback() instanceof Rejectable r) {
                r.rejected(rejection);
            }
        });
        // Tasks still pending are dropped, never resumed; a thread waiting on one through
        // toCompletableFuture() or submit() must hear about it rather than wait forever.
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            t.rejectForeignWaiters(new LoopClosedException("the event loop closed while task '" + t.getName()
                    + "' was still pending"));
        }
        ready.clear();
        timers.clear();
        io.close();
        LoopWatch.unregister(this);
        if (defaultExecutor != null) {
            defaultExecutor.shutdown();
        }
    }

    /**
     * Runs {@code action} on this loop's thread when the loop closes, before it drops its pending
     * callbacks and closes its selector: for resources that can outlive the tasks that made them
     * and that the loop must release (child processes, which {@code io.jasyncio.process} kills and
     * reaps this way). Hooks run in registration order; one that throws is reported to the
     * exception handler and the others still run. Cancelling the returned handle unregisters the
     * hook, in O(1). Loop thread only.
     *
     * @param action what to run at close
     * @return a handle whose {@code cancel()} unregisters the hook
     * @throws LoopClosedException if the loop is closed already
     */
    public Handle atClose(Runnable action) {
        checkThread("atClose");
        checkOpen();
        CloseHook h = new CloseHook(action);
        closeHooks.add(h);
        return h;
    }

    /** A close hook: cancelling it takes it out of the loop's set at once, not at close. */
    private final class CloseHook extends Handle {
        CloseHook(Runnable action) {
            super(action);
        }

        @Override
        public void cancel() {
            super.cancel();
            closeHooks.remove(this);
        }
    }

    private void runCloseHooks() {
        while (!closeHooks.isEmpty()) {
            CloseHook h = closeHooks.iterator().next();
            closeHooks.remove(h);
            try {
                h.run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                callExceptionHandler(new ErrorReport("exception in close hook " + h.callback(), e, null, h));
            }
        }
    }

    // ------------------------------------------------------------------ signals

    /**
     * Runs {@code callback} on this loop's thread each time the process receives {@code signal}
     * (asyncio's {@code loop.add_signal_handler}), until {@link #removeSignalHandler} or
     * {@link #close()}. Signals belong to the process: a later call for the same signal, from
     * this loop or another, replaces this one. The callback runs between steps, like a
     * {@link #callSoonThreadsafe} callback, never on the JVM's signal thread. Loop thread only.
     *
     * <p>Implemented over the JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}, no
     * flag needed); while a handler is installed the JVM's own action for the signal (for INT,
     * TERM and HUP: run the shutdown hooks and exit) does not happen.
     *
     * @param signal the signal to catch
     * @param callback what to run on the loop each time it arrives
     * @throws ReservedSignalException if the JVM or the OS keeps {@code signal} (QUIT, SEGV, ILL, FPE, KILL, STOP)
     * @throws UnsupportedOperationException if the platform has no such signal, or on the module path
     *     without the {@code jdk.unsupported} module (add {@code --add-modules jdk.unsupported})
     * @throws LoopClosedException if the loop is closed
     */
    public void addSignalHandler(Signal signal, Runnable callback) {
        checkThread("addSignalHandler");
        checkOpen();
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(callback, "callback");
        SignalHandlers.add(this, signal, callback);
    }

    /**
     * Removes this loop's handler for {@code signal} and gives the signal back to the JVM's own
     * handling (asyncio's {@code remove_signal_handler}). Loop thread only.
     *
     * @param signal the signal
     * @return true if this loop had a handler for it
     */
    public boolean removeSignalHandler(Signal signal) {
        checkThread("removeSignalHandler");
        Objects.requireNonNull(signal, "signal");
        return SignalHandlers.remove(this, signal);
    }

    @Override
    public String toString() {
        return "EventLoop[" + (group != null ? "loop " + groupIndex + " of " + group.name() + ", " : "")
                + (closed ? "closed" : running ? "running" : "idle") + ", engine=" + engine.name()
                + ", tasks=" + liveCount + "]";
    }
}
