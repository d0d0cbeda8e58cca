package io.jasyncio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The everyday API, as static methods that act on the current task and its loop: the Java face of
 * {@code asyncio}'s module functions.
 *
 * <pre>{@code
 * String greeting = Async.run(() -> {
 *     Task<String> a = Async.spawn(() -> { Async.sleep(Duration.ofSeconds(1)); return "hello"; });
 *     Task<String> b = Async.spawn(() -> { Async.sleep(Duration.ofSeconds(2)); return "world"; });
 *     return a.await() + " " + b.await();     // about 2 s, not 3
 * });
 * }</pre>
 *
 * <p>Any method, at any call depth inside a task, may call the suspending methods here
 * ({@code sleep}, {@code await}, {@code gather}, ...): there is no async/await colouring. Called
 * outside a task they throw {@link IllegalStateException} saying so.
 *
 * <p>What library authors and test harnesses need beyond this (the suspension primitive, channel
 * readiness, per-loop doors) is in {@link io.jasyncio.lowlevel}.
 *
 * <p>Errors: a failure thrown by awaited work comes back as itself if unchecked, or wrapped in
 * {@link CompletionException} if checked. Cancellation is {@link CancelledException}, timeouts
 * {@link AsyncTimeoutException}.
 */
public final class Async {

    private Async() {
    }

    // ------------------------------------------------------------------ running

    /**
     * asyncio's {@code run}: makes a new loop, runs {@code main} on it as a task until it
     * completes, cancels and drains whatever tasks remain, shuts the default executor down, closes
     * the loop and returns main's value (or throws its exception). Ctrl-C cancels main, lets it and
     * the other tasks clean up, and exits the JVM with status 130, as {@code asyncio.run} does
     * ({@link SigintHandling}).
     *
     * @param <T> the type of main's value
     * @param main the main coroutine
     * @return main's value
     * @throws IllegalStateException if a loop is already running on this thread
     */
    public static <T> T run(Callable<? extends T> main) {
        return new EventLoop().run(main);
    }

    /**
     * Like {@link #run(Callable)} on a loop built from {@code settings}.
     *
     * @param <T> the type of main's value
     * @param settings the loop's settings (clock, engine, exception handler, ...)
     * @param main the main coroutine
     * @return main's value
     */
    public static <T> T run(EventLoop.Builder settings, Callable<? extends T> main) {
        return settings.build().run(main);
    }

    /**
     * The loop running the calling code.
     *
     * @return the current loop
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static EventLoop currentLoop() {
        return EventLoop.current();
    }

    /**
     * The task running the calling code.
     *
     * @return the current task
     * @throws IllegalStateException if the caller is not inside a task
     */
    public static Task<?> currentTask() {
        return Task.current();
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Starts {@code body} as a new task on the current loop (asyncio's {@code create_task}).
     *
     * @param <T> the type of the task's value
     * @param body the task's code
     * @return the new task, already scheduled
     */
    public static <T> Task<T> spawn(Callable<? extends T> body) {
        return EventLoop.current().spawn(body);
    }

    /**
     * Starts {@code body} as a named task on the current loop.
     *
     * @param <T> the type of the task's value
     * @param name the task's name
     * @param body the task's code
     * @return the new task, already scheduled
     */
    public static <T> Task<T> spawn(String name, Callable<? extends T> body) {
        return EventLoop.current().spawn(name, body);
    }

    /**
     * Opens a {@link TaskGroup} owned by the current task; use it in try-with-resources.
     *
     * @return the new group
     * @throws IllegalStateException if the caller is not inside a task
     */
    public static TaskGroup taskGroup() {
        return new TaskGroup(Task.current());
    }

    // ------------------------------------------------------------------ suspending

    /**
     * Suspends the current task for {@code duration} (zero or negative: {@link #yieldNow()}).
     *
     * @param duration how long to sleep, on the loop's clock
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        Task.currentFor(null, "sleep()").sleepNanos(CancelScope.saturatedNanos(duration));
    }

    /**
     * Suspends the current task for {@code millis} milliseconds.
     *
     * @param millis how long to sleep, in milliseconds on the loop's clock
     */
    public static void sleep(long millis) {
        sleep(Duration.ofMillis(millis));
    }

    /**
     * Lets every other ready task run once, then continues (asyncio's {@code sleep(0)}). Always a
     * suspension point, so it also throws if the task has been cancelled.
     */
    public static void yieldNow() {
        Task.currentFor(null, "yieldNow()").yieldNow();
    }

    /**
     * Same as {@code awaitable.await()}.
     *
     * @param <T> the type of the value
     * @param awaitable the promise or task to wait for
     * @return its value
     */
    public static <T> T await(Awaitable<T> awaitable) {
        return awaitable.await();
    }

    /**
     * Suspends the current task until {@code stage} completes on whatever thread completes it, and
     * returns its value. A stage already complete returns at once. If the awaiting task is
     * cancelled, it stops waiting; the stage is left alone.
     *
     * @param <T> the type of the value
     * @param stage the stage to wait for, completed on any thread
     * @return its value
     * @throws RuntimeException the stage's failure if unchecked, a checked one in {@link CompletionException}
     */
    public static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        if (stage instanceof CompletableFuture<T> cf && isDoneIfSupported(cf)) {
            try {
                return cf.get();
            } catch (ExecutionException e) {
                throw unchecked(e.getCause());
            } catch (java.util.concurrent.CancellationException e) {
                CancelledException c = new CancelledException("the awaited CompletableFuture was cancelled");
                c.initCause(e);
                throw c;
            } catch (InterruptedException e) {
                throw new AssertionError("a done CompletableFuture cannot block", e);
            }
        }
        EventLoop loop = Task.currentFor(null, "await(CompletionStage)").loop;
        Promise<T> p = new Promise<>(loop);
        p.origin = stage;
        stage.whenComplete((value, error) -> post(loop, () -> {
            if (error == null) {
                p.complete(value);
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof java.util.concurrent.CancellationException ce && !(cause instanceof CancelledException)) {
                    CancelledException c = new CancelledException("the awaited CompletionStage was cancelled");
                    c.initCause(ce);
                    p.fail(c);
                } else {
                    p.fail(cause);
                }
            }
        }));
        return awaitOutside(loop, p);
    }

    /** Awaits {@code p}, which another thread completes, counted so a virtual clock waits for it. */
    private static <T> T awaitOutside(EventLoop loop, Promise<T> p) {
        loop.outsideWaits++;
        try {
            return p.await();
        } finally {
            loop.outsideWaits--;
        }
    }

    /**
     * {@code cf.isDone()}, or false for the stage {@link CompletableFuture#minimalCompletionStage()}
     * returns: a CompletableFuture subclass whose isDone (and get) throw UnsupportedOperationException.
     */
    private static boolean isDoneIfSupported(CompletableFuture<?> cf) {
        try {
            return cf.isDone();
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Runs {@code body} as a task on {@code loop} and awaits it here, from a task of another loop
     * (Seastar's {@code submit_to}): the cross-loop door of a {@link LoopGroup}. The value, or the
     * typed error, comes back as if the task were local. Cancellation is carried both ways: if the
     * calling task is cancelled, the remote task is cancelled too and this waits (shielded) until
     * it has ended before throwing, so nothing outlives the awaiter; if the remote task is
     * cancelled on its loop, this throws {@link CancelledException}. On the caller's own loop it
     * is a plain spawn and await.
     *
     * @param <T> the type of the value
     * @param loop the loop to run {@code body} on
     * @param body the task's code
     * @return the task's value
     * @throws CancelledException if either side is cancelled
     * @throws LoopClosedException if {@code loop} is closed, or closes before the task ends
     */
    public static <T> T awaitOn(EventLoop loop, Callable<? extends T> body) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(body, "body");
        Task<?> me = Task.currentFor(null, "awaitOn");
        EventLoop here = me.loop;
        if (loop == here) {
            Task<T> local = here.spawn(body);
            try {
                return local.await();
            } catch (CancelledException e) {
                if (!local.isDone()) {
                    local.cancel("cancelled by its awaiter (Async.awaitOn)");
                }
                throw e;
            }
        }
        RemoteCall<T> call = new RemoteCall<>(here, loop, body);
        try {
            loop.callSoonThreadsafe(call);
        } catch (LoopClosedException e) {
            LoopClosedException typed = new LoopClosedException("Async.awaitOn: " + loop.name() + " is closed");
            typed.initCause(e);
            throw typed;
        }
        // A sibling loop stepped by the same driver is no outside wait; one on another thread is.
        boolean outside = !(here.sharedThread && loop.sharedThread && here.group == loop.group);
        if (outside) {
            here.outsideWaits++;
        }
        try {
            return call.result.await();
        } catch (CancelledException e) {
            if (call.result.isDone()) {
                throw e; // the remote task was cancelled on its loop
            }
            post(loop, call::cancel);
            shield(() -> {
                try {
                    call.result.await();
                } catch (RuntimeException ignored) {
                    // its outcome no longer matters: we were cancelled
                }
                return null;
            });
            throw e;
        } finally {
            if (outside) {
                here.outsideWaits--;
            }
        }
    }

    // ------------------------------------------------------------------ cancellation and timeouts

    /**
     * Runs {@code body} in the current task with a deadline {@code timeout} from now (asyncio's
     * {@code timeout()} and {@code wait_for}): if it has not finished by then, the suspension point
     * it is at throws {@link CancelledException}, and once that has unwound the body this throws
     * {@link AsyncTimeoutException}. For a movable deadline use {@link CancelScope#failAfter}.
     *
     * @param <T> the type of the body's value
     * @param <E> the checked exception the body may throw
     * @param timeout how long the body may run
     * @param body the code to run
     * @return the body's value
     * @throws E the body's exception, as thrown
     */
    public static <T, E extends Exception> T withTimeout(Duration timeout, ThrowingSupplier<? extends T, E> body) throws E {
        return CancelScope.failAfter(timeout).run(body);
    }

    /**
     * asyncio's {@code wait_for} for a call: the same as {@link #withTimeout}.
     *
     * @param <T> the type of the body's value
     * @param <E> the checked exception the body may throw
     * @param timeout how long the body may run
     * @param body the code to run
     * @return the body's value
     * @throws E the body's exception, as thrown
     */
    public static <T, E extends Exception> T waitFor(Duration timeout, ThrowingSupplier<? extends T, E> body) throws E {
        return withTimeout(timeout, body);
    }

    /**
     * Runs {@code body} with a deadline {@code timeout} from now; if the deadline cuts it short,
     * returns null instead of throwing (Trio's {@code move_on_after}).
     *
     * @param <T> the type of the body's value
     * @param <E> the checked exception the body may throw
     * @param timeout how long the body may run
     * @param body the code to run
     * @return the body's value, or {@code null} if the deadline cut it short
     * @throws E the body's exception, as thrown
     */
    public static <T, E extends Exception> T moveOnAfter(Duration timeout, ThrowingSupplier<? extends T, E> body) throws E {
        return CancelScope.moveOnAfter(timeout).run(body);
    }

    /**
     * Runs {@code body} shielded from cancellation: cancelling the task or an enclosing scope does
     * not interrupt it, and takes effect at the first suspension point after it. For cleanup that
     * must await (closing a connection politely). Give a shielded body a timeout of its own.
     *
     * @param <T> the type of the body's value
     * @param <E> the checked exception the body may throw
     * @param body the code to run shielded
     * @return the body's value
     * @throws E the body's exception, as thrown
     */
    public static <T, E extends Exception> T shield(ThrowingSupplier<? extends T, E> body) throws E {
        CancelScope s = CancelScope.create();
        s.setShield(true);
        return s.run(body);
    }

    // ------------------------------------------------------------------ combinators

    /**
     * Waits for all of {@code awaitables} and returns their values in the given order. If one
     * fails or is cancelled, throws that (the first to do so in time) at once; the others keep
     * running. An empty list returns an empty list.
     *
     * <p>Tasks among them that have not started yet are started here, in the given order, inside
     * the calling task, as {@link Awaitable#await()} starts a task it awaits: each runs up to its
     * first suspension or its end, sooner than the loop would have reached it. So a gather of tasks
     * that finish without suspending returns without suspending. Under a seeded schedule nothing
     * starts early.
     *
     * @param <T> the type of the values
     * @param awaitables the promises and tasks to wait for
     * @return their values, in the given order, as a fixed-size list (elements can be set, not added)
     */
    @SafeVarargs
    public static <T> List<T> gather(Awaitable<? extends T>... awaitables) {
        return gather(Arrays.asList(awaitables));
    }

    /**
     * {@link #gather(Awaitable[])} over a list.
     *
     * @param <T> the type of the values
     * @param awaitables the promises and tasks to wait for
     * @return their values, in the given order, as a fixed-size list (elements can be set, not added)
     */
    public static <T> List<T> gather(List<? extends Awaitable<? extends T>> awaitables) {
        Objects.requireNonNull(awaitables, "awaitables");
        Task<?> me = Task.currentFor(null, "gather");
        // One pass over the inputs (at a million tasks each pass costs about as much as running
        // them, issue 9): start what has not started, inside this task, as awaiting each would
        // (Task.startInline: they run in the order the loop would have run them, only sooner,
        // while their gatherer waits for them anyway); take the value of what is then done; keep
        // the rest, usually none, for a Join. A failure found on the way ends the gather at once.
        PagedList<T> out = new PagedList<>(awaitables.size());
        List<Awaitable<? extends T>> pending = null;
        int[] pendingAt = null;
        int i = 0;
        for (Awaitable<? extends T> a : awaitables) {
            if (a.loop != me.loop) {
                throw Join.foreignInput(a);
            }
            if (a instanceof Task<?> t && t != me && !t.isDone()) {
                me.throwIfCancelled();
                t.startInline(me);
            }
            Awaitable.State s = a.state();
            if (s == Awaitable.State.SUCCESS) {
                out.append(a.resultNow());
            } else if (s != Awaitable.State.PENDING) {
                a.resultNow(); // throws its failure or cancellation
            } else {
                if (pending == null) {
                    pending = new ArrayList<>();
                    pendingAt = new int[8];
                } else if (pending.size() == pendingAt.length) {
                    pendingAt = Arrays.copyOf(pendingAt, pendingAt.length * 2);
                }
                pendingAt[pending.size()] = i;
                pending.add(a);
                out.append(null);
            }
            i++;
        }
        if (pending != null) {
            Join join = join(pending, WaitMode.FIRST_EXCEPTION, false);
            if (join.firstFailed != null) {
                join.firstFailed.resultNow(); // throws its failure or cancellation
            }
            for (int k = 0; k < pending.size(); k++) {
                out.set(pendingAt[k], pending.get(k).resultNow());
            }
        }
        return out;
    }

    /**
     * Waits for all of {@code awaitables} to end and returns how each ended, in the given order
     * (asyncio's {@code gather(..., return_exceptions=True)}). Never throws for their failures.
     *
     * @param <T> the type of the values
     * @param awaitables the promises and tasks to wait for
     * @return how each ended, in the given order, as a fixed-size list (elements can be set, not added)
     */
    public static <T> List<Outcome<T>> gatherSettled(List<? extends Awaitable<? extends T>> awaitables) {
        join(awaitables, WaitMode.ALL_COMPLETED, false);
        PagedList<Outcome<T>> out = new PagedList<>(awaitables.size());
        for (Awaitable<? extends T> a : awaitables) {
            out.append(outcomeOf(a));
        }
        return out;
    }

    /**
     * {@link #gatherSettled(List)} over varargs.
     *
     * @param <T> the type of the values
     * @param awaitables the promises and tasks to wait for
     * @return how each ended, in the given order, as a fixed-size list (elements can be set, not added)
     */
    @SafeVarargs
    public static <T> List<Outcome<T>> gatherSettled(Awaitable<? extends T>... awaitables) {
        return gatherSettled(Arrays.asList(awaitables));
    }

    /**
     * Waits until {@code mode} is met or {@code timeout} passes (null: no limit), and returns what
     * was done and what was pending then (asyncio's {@code wait}). Throws nothing for the
     * awaitables' failures and does not cancel anything on timeout.
     *
     * @param <T> the type of the values
     * @param awaitables the promises and tasks to wait for
     * @param mode when to return: first completed, first exception, or all completed
     * @param timeout the longest to wait, or {@code null} for no limit
     * @return the done and the pending awaitables
     */
    public static <T> WaitResult<T> wait(List<? extends Awaitable<T>> awaitables, WaitMode mode, Duration timeout) {
        Objects.requireNonNull(mode, "mode");
        if (timeout == null) {
            join(awaitables, mode, false);
        } else {
            moveOnAfter(timeout, () -> join(awaitables, mode, false));
        }
        Set<Awaitable<T>> done = new LinkedHashSet<>(), pending = new LinkedHashSet<>();
        for (Awaitable<T> a : awaitables) {
            (a.isDone() ? done : pending).add(a);
        }
        return new WaitResult<>(done, pending);
    }

    /**
     * The awaitables in the order they complete (asyncio's {@code as_completed}): the iterator's
     * {@code next()} suspends until another one is done and returns it, done. Read its value with
     * {@code resultNow()}.
     *
     * @param <T> the type of the values
     * @param awaitables the promises and tasks to wait for
     * @return the awaitables, each as it completes
     */
    public static <T> Iterable<Awaitable<T>> asCompleted(List<? extends Awaitable<T>> awaitables) {
        List<? extends Awaitable<T>> inputs = List.copyOf(awaitables);
        return () -> new Iterator<>() {
            private Join join;
            private int handedOut;

            @Override
            public boolean hasNext() {
                return handedOut < inputs.size();
            }

            @Override
            @SuppressWarnings("unchecked")
            public Awaitable<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Task<?> me = Task.currentFor(null, "asCompleted");
                if (join == null) {
                    Join j = new Join(inputs, WaitMode.FIRST_COMPLETED, me, true);
                    j.start();
                    join = j; // only once it listens: a failed start is retried by the next call
                }
                join.await(me);
                handedOut++;
                return (Awaitable<T>) join.completed.poll();
            }
        };
    }

    private static Join join(List<? extends Awaitable<?>> awaitables, WaitMode mode, boolean keepOrder) {
        Objects.requireNonNull(awaitables, "awaitables");
        Task<?> me = Task.currentFor(null, "gather/wait");
        Join j = new Join(awaitables, mode, me, keepOrder);
        try {
            if (!j.start()) {
                j.await(me);
            }
        } finally {
            j.run(); // stop listening to whatever is still pending
        }
        return j;
    }

    @SuppressWarnings("unchecked")
    private static <T> Outcome<T> outcomeOf(Awaitable<? extends T> a) {
        if (a.state() == Awaitable.State.SUCCESS) {
            return new Outcome.Success<>((T) a.resultNow());
        }
        if (a.isCancelled()) {
            try {
                a.resultNow();
            } catch (CancelledException e) {
                return new Outcome.Failure<>(e);
            }
        }
        return new Outcome.Failure<>(a.exceptionNow());
    }

    // ------------------------------------------------------------------ threads

    /**
     * Runs blocking {@code call} on the loop's default executor and suspends until it returns
     * (asyncio's {@code to_thread}); the loop keeps running meanwhile. If the awaiting task is
     * cancelled, it stops waiting, but the call itself cannot be interrupted and runs to its end.
     *
     * @param <T> the type of the call's value
     * @param call the blocking call
     * @return the call's value
     */
    public static <T> T toThread(Callable<? extends T> call) {
        EventLoop loop = Task.currentFor(null, "toThread").loop;
        return runInExecutor(loop.defaultExecutor(), call);
    }

    /**
     * Runs {@code call} on {@code executor} and suspends until it returns (asyncio's
     * {@code run_in_executor}), for CPU-bound work or a pool of your own.
     *
     * @param <T> the type of the call's value
     * @param executor where to run the call
     * @param call the call
     * @return the call's value
     * @throws RejectedExecutionException if the executor refuses the call
     */
    public static <T> T runInExecutor(Executor executor, Callable<? extends T> call) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(call, "call");
        Task<?> me = Task.currentFor(null, "runInExecutor");
        EventLoop loop = me.loop;
        me.throwIfCancelled();
        Promise<T> p = new Promise<>(loop);
        Promise.WorkerCall origin = new Promise.WorkerCall(call);
        p.origin = origin;
        executor.execute(() -> {
            origin.thread = Thread.currentThread();
            T value;
            try {
                value = call.call();
            } catch (Throwable e) {
                post(loop, () -> p.fail(e));
                return;
            }
            post(loop, () -> p.complete(value));
        });
        return awaitOutside(loop, p);
    }

    private static void post(EventLoop loop, Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (LoopClosedException ignored) {
            // The loop is gone and so is whoever waited; nothing to deliver to.
        }
    }

    // ------------------------------------------------------------------ errors

    /**
     * {@code t} as an unchecked exception to throw: itself if it is a RuntimeException or Error,
     * else wrapped in {@link CompletionException}.
     */
    static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new CompletionException(t);
    }
}
