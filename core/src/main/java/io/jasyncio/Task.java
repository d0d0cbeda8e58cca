package io.jasyncio;

import io.jasyncio.internal.access.AbortHook;
import io.jasyncio.internal.engine.CoroutineEngine;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A coroutine scheduled on an event loop, and the {@link Awaitable} of its result (asyncio's
 * Task). Make one with {@link Async#spawn}, {@link EventLoop#spawn} or {@link TaskGroup#spawn}.
 *
 * <p>A task is kept alive by its loop until it finishes, so a task nobody holds still runs to the
 * end. If it fails and nobody retrieves its exception (by awaiting it, {@code resultNow},
 * {@code exceptionNow}, a task group or a {@code CompletableFuture}), the failure goes to the
 * loop's exception handler when the task is garbage-collected or, at the latest, when the loop closes.
 *
 * <h2>Run states</h2>
 * One field, {@code runState}, holds the state; every transition below is asserted (under
 * {@code -ea}, as the tests run) from the state the table says it leaves.
 * <pre>
 *   runState    in ready queue   parkedOn    coroutine
 *   NEW         yes              null        not created
 *   RUNNING     no (*)           null        executing (loop.currentTask == this)
 *   SCHEDULED   yes              null        suspended (woken, or yielded)
 *   PARKED      no (*)           non-null    suspended, waiting on parkedOn
 *   DONE        no (*)           null        finished
 * </pre>
 * Transitions:
 * <pre>
 *   NEW       → RUNNING     the loop reaches the task's entry, or an awaiter starts it inline (*)
 *   SCHEDULED → RUNNING     the loop reaches the task's entry
 *   RUNNING   → PARKED      park(): registered on what it waits for, then suspended
 *   RUNNING   → SCHEDULED   yieldNow()
 *   PARKED    → SCHEDULED   wake(), its sleep's timer, or a cancellation that aborts the wait
 *   PARKED    → RUNNING     the engine could not suspend: the park is undone, the error thrown
 *   SCHEDULED → RUNNING     the same for a yield: its queue entry is taken back
 *   RUNNING   → DONE        the body returned or threw
 * </pre>
 * PARKED is left exactly once per park, and always through {@code abandonPark} unless the wait
 * was satisfied: nothing the task waited on keeps a trace of it afterwards.
 *
 * <p>(*) An inline start takes the task's entry from its spawn out of the ready queue when it is
 * at either end (the usual cases, in O(1)); anywhere else the entry stays, marked taken
 * ({@code SPAWN_ENTRY_TAKEN}), because removing it would scan the queue, and the loop drops it when
 * it gets there. It is the task's oldest entry, so a taken task that is scheduled again meanwhile
 * still runs once per turn, in order.
 *
 * <h2>Cancellation</h2>
 * {@link #cancel(String)} is level-triggered: the task's current suspension point (or, if it has
 * not started, its first) throws {@link CancelledException}, and so does every later one until the
 * task ends. A task that catches the exception and returns a value without suspending again
 * completes normally with that value: nothing it produced is thrown away.
 *
 * @param <T> the type of the task's value
 */
public final class Task<T> extends Awaitable<T> {

    /**
     * How many tasks may be started inside their awaiters at once, one inside the other. Each such
     * start nests a coroutine on the loop thread's stack, so a chain of tasks each awaiting the
     * next at once would otherwise overflow it; past the limit, awaiting parks as usual.
     */
    static final int INLINE_DEPTH_LIMIT = 16;

    private static final Object SLEEPING = new SleepMarker();
    /**
     * What a sleeping task parks on until its timer entry is in the heap: the entry is added by
     * {@link #step()} once the coroutine has suspended (see {@link #sleepNanos}).
     */
    private static final Object SLEEP_UNARMED = new SleepMarker();
    private static final Object NO_ABORT = new Marker("suspend");

    private record Marker(String name) {
    }

    /** What a sleeping task parks on. */
    static final class SleepMarker {
        @Override
        public String toString() {
            return "sleep";
        }
    }

    // The run states of the table in the class comment, in the one field runState.
    static final byte NEW = 0, RUNNING = 1, SCHEDULED = 2, PARKED = 3, DONE = 4;
    private static final String[] STATE_NAMES = {"NEW", "RUNNING", "SCHEDULED", "PARKED", "DONE"};

    /** Where the task is in the table of the class comment; changed only through {@link #moveTo}. */
    private byte runState = NEW;

    /** What every task's coroutine runs: one function for all, so a coroutine costs no lambda. */
    private static final java.util.function.Consumer<Task<?>> RUN_BODY = new RunBody();

    /**
     * {@link #RUN_BODY}'s class. Also a Runnable, which the continuation engine runs as the
     * continuation's body itself (see ContinuationEngine.create): a method reference would put
     * its own frame and the engine's under every parked task, and a parked task's frozen stack
     * holds every frame below the park, in the tier it was entered in (issue 14).
     */
    private static final class RunBody implements java.util.function.Consumer<Task<?>>, Runnable {
        @Override
        public void accept(Task<?> task) {
            task.runBody();
        }

        @Override
        public void run() {
            // Called by the continuation engine only, so the class is loaded only when it is in use.
            ((Task<?>) io.jasyncio.internal.engine.ContinuationEngine.currentTarget()).runBody();
        }
    }

    private Callable<? extends T> body;
    private CoroutineEngine.Coroutine coroutine;
    private final long id;

    /**
     * Six yes/no facts in one byte (a task is the thing there are a million of): the bits below.
     * Loop thread only, except {@link #CANCEL_REQUESTED}, which a dump reads racily.
     */
    private byte flags;
    /** An awaiter started this task inline, so the entry its spawn put in the ready queue is void. */
    private static final int SPAWN_ENTRY_TAKEN = 1;
    /** {@link #cancel} was called. */
    private static final int CANCEL_REQUESTED = 2;
    /** The current park may be cut short by a cancellation. */
    private static final int PARK_CANCELLABLE = 4;
    /** The current park is the low-level API's ({@link #parkForUser}). */
    private static final int PARKED_BY_USER = 8;
    /** Its outcome was retrieved (awaited, read, or handed to a group or a future). */
    private static final int RETRIEVED = 16;
    /**
     * The wake value kept in the outcome field is an exception for park() to throw (a
     * cancellation, mostly), not its result: a flag rather than a field of its own (issue 14).
     */
    private static final int WAKE_THROWS = 32;

    private boolean has(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag, boolean on) {
        flags = (byte) (on ? flags | flag : flags & ~flag);
    }

    /** Innermost open cancel scope of this task; scopes link outward through parent. */
    CancelScope innermostScope;

    private Object parkedOn;

    Task<?> prevLive, nextLive;

    // ---- read by dumps on other threads (racily; see TaskDumper)
    /** LoopWatch.coarseStamp when the task entered its current state (an int, see LoopWatch.stamp). */
    int stateSince;
    /** The deadline of the current sleep, on the loop's clock. */
    long sleepDeadline;
    /** The group that spawned it, or null. */
    TaskGroup group;

    /** The next live task, for a dump on another thread (racy). */
    Task<?> nextLiveRacy() {
        return nextLive;
    }
    /** Fields few tasks need, made on first use: null for most tasks. */
    private Rare rare;

    /**
     * What few tasks have: a name given, a cancellation message, a failure nobody has retrieved
     * yet, where it was spawned (debug mode), its JFR event (a recording that asks for task events
     * is rare). Kept apart because a task is the thing there are a million of: in the task they
     * would make every one 20 bytes larger (issue 14).
     */
    private static final class Rare {
        String name;
        String cancelMessage;
        UnretrievedFailures.Entry unretrievedRef;
        Throwable createdAt;
        /** Its JFR TaskLife event, when a recording wanted it at spawn. */
        Object jfrEvent;
    }

    private Rare rare() {
        Rare r = rare;
        if (r == null) {
            rare = r = new Rare();
        }
        return r;
    }

    Task(EventLoop loop, String name, Callable<? extends T> body, long id) {
        super(loop);
        this.body = body;
        this.id = id;
        if (name != null) {
            rare().name = name;
        }
        if (loop.isDebug()) {
            rare().createdAt = new Throwable("task spawned here");
        }
    }

    /** Keeps the JFR TaskLife event begun at spawn, to commit when the task ends. */
    void jfrEvent(Object event) {
        if (event != null) {
            rare().jfrEvent = event;
        }
    }

    /** Where the task was spawned, in debug mode only; else null. */
    Throwable createdAt() {
        return rare != null ? rare.createdAt : null;
    }

    // ------------------------------------------------------------------ run state

    /**
     * Moves the run state to {@code to}, asserting it was {@code from} (or {@code orFrom}, if not
     * -1): a transition the table does not have is a kernel bug, found under {@code -ea}.
     */
    private void moveTo(int from, int orFrom, byte to) {
        assert runState == from || runState == orFrom
                : "task '" + getName() + "': " + STATE_NAMES[runState] + " -> " + STATE_NAMES[to]
                + " is not a transition (expected from " + STATE_NAMES[from] + (orFrom >= 0 ? " or " + STATE_NAMES[orFrom] : "")
                + ")";
        runState = to;
    }

    private void moveTo(int from, byte to) {
        moveTo(from, -1, to);
    }

    /** The run state's name, for tests and reports. */
    String runState() {
        return STATE_NAMES[runState];
    }

    // ------------------------------------------------------------------ public surface

    /**
     * The task running the calling code.
     *
     * @return the current task
     * @throws IllegalStateException if the caller is not inside a task
     */
    public static Task<?> current() {
        EventLoop loop = EventLoop.current();
        Task<?> t = loop.currentTask;
        if (t == null) {
            throw new IllegalStateException("not inside a task (a plain callback is running)");
        }
        return t;
    }

    /**
     * The task's name: the one it was given, else {@code Task-}<i>n</i>.
     *
     * @return the name
     */
    public String getName() {
        String name = rare != null ? rare.name : null;
        return name != null ? name : "Task-" + id;
    }

    /**
     * The task's number, unique within its loop (1 for the loop's first task, then 2, ...): what
     * dumps and {@code Task-}<i>n</i> names use.
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    /**
     * Renames the task (asyncio's {@code set_name}).
     *
     * @param name the new name, not null
     */
    public void setName(String name) {
        rare().name = Objects.requireNonNull(name, "name");
    }

    /**
     * True once {@link #cancel} has been called on this task (asyncio's {@code cancelling() > 0}).
     *
     * @return whether cancellation was requested
     */
    public boolean isCancelRequested() {
        return has(CANCEL_REQUESTED);
    }

    @Override
    public boolean cancel(String message) {
        loop.checkThread("Task.cancel");
        if (isDone()) {
            return false;
        }
        if (!has(CANCEL_REQUESTED)) {
            set(CANCEL_REQUESTED, true);
            if (message != null) {
                rare().cancelMessage = message;
            }
        }
        cancellationChanged();
        return true;
    }

    // ------------------------------------------------------------------ running

    /**
     * The running task, for an operation that must suspend. {@code loop} is the loop the awaited
     * thing belongs to, or null for "whatever loop runs here".
     */
    static Task<?> currentFor(EventLoop loop, String what) {
        EventLoop here = EventLoop.currentOrNull();
        if (here == null) {
            throw new IllegalStateException(what + " called outside a coroutine: no event loop is running on thread '"
                    + Thread.currentThread().getName() + "'. Run the code inside Async.run(...) or a task; from plain"
                    + " threads use toCompletableFuture() or loop.submit(...).");
        }
        if (loop != null && here != loop) {
            throw new IllegalStateException(what + " on an awaitable of another event loop (" + loop.name() + ", while"
                    + " this task runs on " + here.name() + "): run the work there and await it here with"
                    + " Async.awaitOn(loop, callable), pass values with a CrossLoopChannel, or bridge with"
                    + " toCompletableFuture() and Async.await(CompletionStage)");
        }
        Task<?> t = here.currentTask;
        if (t == null) {
            throw new IllegalStateException(what + " called from a plain callback, not a task: only tasks can suspend."
                    + " Spawn a task for code that must wait.");
        }
        return t;
    }

    /**
     * Starts this task now, inside {@code awaiter}, which is about to wait for it: the task runs
     * up to its first suspension or its end, nested in the awaiter's coroutine, and the awaiter
     * goes on from there (without suspending at all if the task finished). That saves the two
     * task switches of parking the awaiter and coming back, for the common
     * {@code spawn(...).await()}. Only for a task that has not started, whose entry from its spawn
     * is therefore still in the ready queue (see the table's note on that entry); it then runs
     * earlier than the loop's FIFO order would have run it, which nothing may rely on, as the
     * awaiter is waiting for it anyway (and under a seeded schedule it does not happen), nor deeper
     * than {@link #INLINE_DEPTH_LIMIT}. Returns false if it did not start the task.
     */
    boolean startInline(Task<?> awaiter) {
        if (coroutine != null || body == null || loop.inlineDepth >= INLINE_DEPTH_LIMIT || !loop.mayStartInline()) {
            return false;
        }
        set(SPAWN_ENTRY_TAKEN, !loop.takeIfAtAnEnd(this));
        loop.inlineDepth++;
        try {
            step();
        } catch (Throwable e) {
            if (body != null) {
                // It never got to run (its stack could not even be set up on top of the awaiter's):
                // it must run from the queue later, with a fresh coroutine.
                coroutine = null;
                runState = NEW;
                if (has(SPAWN_ENTRY_TAKEN)) {
                    set(SPAWN_ENTRY_TAKEN, false);
                } else {
                    loop.schedule(this);
                }
            }
            throw e;
        } finally {
            loop.inlineDepth--;
            loop.currentTask = awaiter;
        }
        return true;
    }

    /** The loop reached an entry of this task in its ready queue. */
    void runFromReadyQueue() {
        if (has(SPAWN_ENTRY_TAKEN)) {
            set(SPAWN_ENTRY_TAKEN, false); // the oldest entry, so this one: started inline already
            return;
        }
        step();
    }

    /** One step: resume the coroutine until it suspends or ends. */
    private void step() {
        assert !isDone() : "task '" + getName() + "' resumed after it finished";
        CoroutineEngine.Coroutine c = coroutine;
        if (c == null) {
            coroutine = c = loop.engine.create(RUN_BODY, this);
        }
        moveTo(NEW, SCHEDULED, RUNNING);
        if (loop.instrument != null) {
            loop.instrumentTask(EventLoop.BEFORE_STEP, this);
        }
        loop.currentTask = this;
        try {
            c.resume();
        } finally {
            loop.currentTask = null;
        }
        if (parkedOn == SLEEP_UNARMED) {
            armSleep();
        }
        if (loop.instrument != null) {
            loop.instrumentTask(EventLoop.AFTER_STEP, this);
        }
        assert runState != RUNNING : "task '" + getName() + "' left its step still RUNNING";
        if (c.isDone()) {
            coroutine = null;
        }
    }

    /** The coroutine's body; runs inside the coroutine. */
    void runBody() {
        if (!loop.coroutinesOnLoopThread) {
            EventLoop.CURRENT.set(loop); // not setCurrent: nothing would clear its entry when this thread ends
        }
        Callable<? extends T> b = body;
        body = null;
        T value;
        try {
            value = b.call();
        } catch (Throwable e) {
            finishExceptionally(e);
            return;
        }
        moveTo(RUNNING, DONE);
        loop.unlinkLive(this);
        setSuccess(value);
        if (rare != null && rare.jfrEvent != null) {
            JfrEvents.taskEnd(rare.jfrEvent, this);
        }
        if (loop.instrument != null) {
            loop.instrumentTask(EventLoop.EXITED, this);
        }
    }

    private void finishExceptionally(Throwable e) {
        moveTo(RUNNING, DONE);
        loop.unlinkLive(this);
        if (e instanceof CancelledException c && TaskGroupException.ridingOn(c) != null) {
            e = TaskGroupException.ridingOn(c); // the group's failure outranks the cancellation
        }
        if (e instanceof CancelledException c) {
            setCancelled(c);
        } else {
            setFailure(e);
            if (!has(RETRIEVED)) {
                rare().unretrievedRef = loop.unretrieved.track(this, e);
            }
        }
        if (rare != null && rare.jfrEvent != null) {
            JfrEvents.taskEnd(rare.jfrEvent, this);
        }
        if (loop.instrument != null) {
            loop.instrumentTask(EventLoop.EXITED, this);
        }
    }

    @Override
    void markRetrieved() {
        set(RETRIEVED, true);
        if (rare != null && rare.unretrievedRef != null) {
            loop.unretrieved.forget(rare.unretrievedRef);
            rare.unretrievedRef = null;
        }
    }

    // ------------------------------------------------------------------ suspension (the one primitive)

    /**
     * Suspends this task, which must be the running one, until it is woken. {@code on} is what it
     * waits on, used to abort the wait on cancellation: an {@link Awaitable} (the task is removed
     * from its waiters), {@link #SLEEPING} (the timer entry goes stale), {@link #SLEEP_UNARMED}
     * (no timer entry yet: nothing to undo), a Runnable (user abort code) or another marker
     * (nothing to undo). If {@code cancellable}, a cancellation that arrives meanwhile aborts the
     * wait and is thrown from here.
     *
     * <p>Callers check for a pending cancellation first ({@link #throwIfCancelled()}) when the
     * wait is cancellable, and register on what they wait for before calling this.
     *
     * <p>If the engine cannot suspend, the park is undone as a cancellation would undo it (the
     * registration removed, a Runnable run) and the engine's error is thrown from here, with an
     * Error from the hook attached as suppressed: the task runs on, no longer parked.
     */
    Object park(Object on, boolean cancellable) {
        moveTo(RUNNING, PARKED);
        stateSince = LoopWatch.coarseStamp;
        parkedOn = on;
        set(PARK_CANCELLABLE, cancellable);
        if (loop.instrument != null) {
            loop.instrumentTask(EventLoop.PARKED, this);
        }
        try {
            loop.engine.suspend();
        } catch (Throwable e) {
            suspendFailed(e);
            throw e;
        }
        assert runState == RUNNING : "task '" + getName() + "' resumed from a park while " + STATE_NAMES[runState];
        if (has(WAKE_THROWS)) {
            throw takeWakeThrow();
        }
        return takeWakeValue();
    }

    // The rare paths of park() live in methods of their own: park() stays small enough for the
    // JIT to inline into its callers, and every sleeping task's frozen stack holds its frames.

    /**
     * The engine could not suspend (a stack too deep to freeze, or pinned). It threw without having
     * suspended, so nothing ran meanwhile: the task is still parked, and must not be once the error
     * leaves park().
     */
    private void suspendFailed(Throwable e) {
        try {
            abandonPark(false);
        } catch (Throwable hookError) {
            e.addSuppressed(hookError);
        } finally {
            moveTo(PARKED, RUNNING);
        }
    }

    /** The wake-up's error, kept where its value would be ({@link #WAKE_THROWS}), for park() to throw. */
    private RuntimeException takeWakeThrow() {
        set(WAKE_THROWS, false);
        RuntimeException t = (RuntimeException) takeWakeValue();
        if (t instanceof CancelledException c && loop.isDebug()) {
            // Made by whoever cancelled (another task, a timer): give it this task's stack, the
            // line it was interrupted at, rather than the canceller's.
            c.captureStackTraceHere();
        }
        return t;
    }

    /** The low-level API's park ({@code io.jasyncio.lowlevel.Suspension.park}). */
    Object parkForUser(AbortHook abort) {
        throwIfCancelled();
        set(PARKED_BY_USER, true);
        try {
            return park(abort != null ? abort : NO_ABORT, true);
        } finally {
            set(PARKED_BY_USER, false);
        }
    }

    /**
     * Ends a park of the low-level API with {@code value}, or with {@code error} thrown if it is
     * not null. Loop thread only; at most once per park.
     */
    void wakeUp(Object value, RuntimeException error) {
        loop.checkThread("Waker.wake");
        if (parkedOn == null || !has(PARKED_BY_USER)) {
            throw new IllegalStateException("task '" + getName() + "' is not suspended in Suspension.park"
                    + " (already woken, cancelled, or waiting on something else)");
        }
        if (error != null) {
            wakeWithError(error);
        } else {
            wake(value);
        }
    }

    /** PARKED → SCHEDULED with {@code value} as park()'s result. */
    void wake(Object value) {
        if (parkedOn == null) {
            throw new IllegalStateException("task '" + getName() + "' is not suspended");
        }
        parkedOn = null;
        keepWakeValue(value);
        scheduleWoken();
    }

    /** PARKED → SCHEDULED, making park() throw {@code error}. */
    void wakeWithError(RuntimeException error) {
        if (parkedOn == null) {
            throw new IllegalStateException("task '" + getName() + "' is not suspended");
        }
        parkedOn = null;
        wakeThrowing(error);
        scheduleWoken();
    }

    /** The wake-up about to be scheduled makes park() throw {@code error}. */
    private void wakeThrowing(RuntimeException error) {
        keepWakeValue(error);
        set(WAKE_THROWS, true);
    }

    /** PARKED → SCHEDULED: the park is over (parkedOn already cleared); the task runs again later. */
    private void scheduleWoken() {
        moveTo(PARKED, SCHEDULED);
        loop.schedule(this);
        if (loop.instrument != null) {
            loop.instrumentTask(EventLoop.WOKEN, this);
        }
    }

    /**
     * Sleeps for {@code nanos} on the loop's clock. The timer entry is not added here but by
     * {@link #step()}, after the coroutine has suspended (nothing runs in between): the timer
     * heap's insertion, with the many values it keeps live, then runs on the loop's stack rather
     * than in a frame of the sleeping task's, and every sleeping task's frozen stack holds those
     * frames (issue 14).
     */
    void sleepNanos(long nanos) {
        throwIfCancelled();
        if (nanos <= 0) {
            yieldNow();
            return;
        }
        long now = loop.time();
        // Saturate absurd durations to about 146 years rather than overflow into the past.
        sleepDeadline = nanos > Long.MAX_VALUE / 2 ? now + Long.MAX_VALUE / 2 : now + nanos;
        park(SLEEP_UNARMED, true);
    }

    /** The sleep that suspended in this step gets its timer entry; it waits on it from now on. */
    private void armSleep() {
        parkedOn = SLEEPING;
        loop.timers.add(sleepDeadline, this);
    }

    boolean isParkedOn(Object on) {
        return parkedOn == on;
    }

    /**
     * Whether a timer entry due at {@code deadline} is this task's current sleep. An entry of an
     * earlier sleep (cancelled) can pass only if it is due at the very same instant, and then it
     * wakes the task exactly when the current sleep's entry would have: so no token per sleep is
     * needed to tell them apart (issue 14: four bytes of each task, four of each timer entry).
     */
    boolean isSleepingUntil(long deadline) {
        return parkedOn == SLEEPING && sleepDeadline == deadline;
    }

    void wakeFromSleep() {
        parkedOn = null;
        scheduleWoken();
    }

    void yieldNow() {
        throwIfCancelled();
        moveTo(RUNNING, SCHEDULED);
        loop.schedule(this);
        try {
            loop.engine.suspend();
        } catch (Throwable e) {
            // Not suspended (see park): the entry just added must not resume the task later.
            loop.unscheduleLast(this);
            moveTo(SCHEDULED, RUNNING);
            throw e;
        }
        // A yield has no result to lose, so a cancellation that arrived while the task waited
        // for its turn is delivered here, at this suspension point, not at the next one.
        throwIfCancelled();
    }

    // ------------------------------------------------------------------ cancellation

    void throwIfCancelled() {
        if ((flags & CANCEL_REQUESTED) != 0 || innermostScope != null) {
            RuntimeException e = pendingCancellation();
            if (e != null) {
                throw e;
            }
        }
    }

    /**
     * The exception a suspension point should throw now, or null. The outermost cancelled scope
     * not hidden behind a shield wins, so that the exception unwinds as far as it has to in one go;
     * the task's own cancellation counts as the outermost scope.
     */
    RuntimeException pendingCancellation() {
        CancelScope found = null;
        for (CancelScope s = innermostScope; s != null; s = s.parent) {
            if (s.isCancelled()) {
                found = s;
            }
            if (s.isShield()) {
                return found == null ? null : found.deliver();
            }
        }
        if (has(CANCEL_REQUESTED)) {
            return new CancelledException(rare != null ? rare.cancelMessage : null, null, loop.isDebug());
        }
        return found == null ? null : found.deliver();
    }

    /** Re-evaluates a parked task after a cancellation (or shield) change that may concern it. */
    void cancellationChanged() {
        if (parkedOn == null || !has(PARK_CANCELLABLE)) {
            return;
        }
        RuntimeException ex = pendingCancellation();
        if (ex == null) {
            return;
        }
        boolean abandoned = false;
        try {
            abandoned = abandonPark(true);
        } finally {
            if (abandoned || parkedOn == null) {
                wakeThrowing(ex);
                scheduleWoken(); // even if the abort hook threw an Error: the task must hear of its cancellation
            } else {
                // The abort answered "too late": a wake-up is on its way. The park goes on until it
                // comes, and the cancellation is thrown at the next suspension point.
                set(PARK_CANCELLABLE, false);
            }
        }
    }

    /**
     * PARKED → not parked, with nothing left of the park: the one place a wait is undone, for a
     * cancellation and for a suspension the engine could not make alike. Takes the task off what
     * it waited on: the sleep's timer entry goes stale, the task leaves the awaitable's waiters, a
     * Runnable (a join, an I/O registration) runs, an {@link AbortHook} (the low-level API's
     * abort) is asked. An exception from a hook goes to the loop's exception handler; a
     * {@link VirtualMachineError} from one is rethrown, after the park is already gone.
     *
     * <p>Returns false, leaving the task parked, only when an {@code AbortHook} answers that it is
     * too late (a wake-up is on its way) and {@code mayRefuse} is set; without it (the engine could
     * not suspend, so the task never really parked) the park is gone whatever the hook answers.
     */
    private boolean abandonPark(boolean mayRefuse) {
        Object on = parkedOn;
        parkedOn = null; // first: a wake from inside a hook finds the task no longer parked, and fails
        if (on instanceof AbortHook h) {
            boolean undone = true;
            try {
                undone = h.tryAbort();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                loop.callExceptionHandler(new ErrorReport("the abort of a suspended task threw", e, this, null));
            }
            if (!undone && mayRefuse) {
                parkedOn = on; // too late: the task stays parked for the wake-up on its way
                return false;
            }
            return true;
        }
        if (on == SLEEPING) {
            loop.timers.noteStale();
        } else if (on == SLEEP_UNARMED) {
            return true; // the timer entry was not added yet: nothing to undo
        } else if (on instanceof Awaitable<?> a) {
            a.removeWaiter(this);
        } else if (on instanceof Runnable r) {
            try {
                r.run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                loop.callExceptionHandler(new ErrorReport("the abort hook of a suspended task threw", e, this, null));
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ for dumps (any thread, racy)

    /** What it is parked on, as last written; null when not parked. */
    Object parkedOnRacy() {
        return parkedOn;
    }

    /** Its coroutine, null before it starts and after it ends. */
    CoroutineEngine.Coroutine coroutineRacy() {
        return coroutine;
    }

    /** Its run state's name, as last written (NEW, RUNNING, SCHEDULED, PARKED, DONE). */
    String runStateNameRacy() {
        byte s = runState;
        return s >= 0 && s < STATE_NAMES.length ? STATE_NAMES[s] : "?";
    }

    /** True once {@link #cancel} was called, as last written. */
    boolean cancelRequestedRacy() {
        return has(CANCEL_REQUESTED);
    }

    /** For the portable engine: the live stack of the coroutine's own thread, else null. */
    StackTraceElement[] coroutineThreadStack() {
        CoroutineEngine.Coroutine c = coroutine;
        return c == null ? null : c.ownThreadStack();
    }

    @Override
    String describe() {
        return getName() + ", ";
    }
}
