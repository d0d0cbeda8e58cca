package io.jasyncio.bench;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The core runtime's hot paths, each beside its nearest peer in the same run. Every benchmark
 * runs a batch of {@link #BATCH} operations per invocation (so loop start-up is amortised) and
 * reports time per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CoreBenchmarks {

    static final int BATCH = 10_000;
    static final ContinuationScope SCOPE = new ContinuationScope("bench");

    EventLoop loop;
    ScheduledThreadPoolExecutor stpe;

    @Setup
    public void setUp() {
        loop = new EventLoop();
        stpe = new ScheduledThreadPoolExecutor(1);
        stpe.setRemoveOnCancelPolicy(true);
    }

    @TearDown
    public void tearDown() {
        loop.close();
        stpe.shutdownNow();
    }

    // ---------------------------------------------------------------- spawn + await

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object spawnAwait() {
        return loop.runUntilComplete(() -> {
            int sum = 0;
            for (int i = 0; i < BATCH; i++) {
                sum += Async.spawn(() -> 1).await();
            }
            return sum;
        });
    }

    // ---------------------------------------------------------------- spawn + await at scale

    /** Tasks each scaled invocation runs in all, in rounds of {@link Scale#tasks}. */
    static final int SCALED_TOTAL = 1_000_000;
    static final Callable<Integer> ONE = () -> 1;

    /**
     * How many tasks a round spawns before it awaits any. Every invocation runs
     * {@link #SCALED_TOTAL} tasks (a million rounds of one, a thousand rounds of a thousand, ...,
     * one round of a million), so each row reports nanoseconds per task and the sizes compare
     * directly: a cost that grows with the number of tasks alive shows as a ratio above 1.
     *
     * <p>The list of a round is kept for the whole trial and cleared between rounds. A list made
     * per invocation would be a 4 MB array at a million tasks, allocated straight into G1's old
     * generation; once dead it still holds a million tasks alive in every young collection until a
     * concurrent cycle reclaims it (2 GB survived one collection in a trial run), which measures
     * the collector, not the loop. The forks get a 2 GB young generation, which a round of a million
     * tasks (144 MB) fits in, and a heap touched at start-up, so that page faults on first use land
     * in no row.
     */
    @State(Scope.Thread)
    public static class Scale {
        @Param({"1", "1000", "100000", "1000000"})
        public int tasks;
        List<Task<Integer>> round;
        Continuation[] continuations;

        @Setup
        public void setUp() {
            round = new ArrayList<>(tasks);
            continuations = new Continuation[tasks];
        }
    }

    /** Spawn N, then await them in spawn order (the seeds' {@code for t in tasks: await t}). */
    @Benchmark
    @OperationsPerInvocation(SCALED_TOTAL)
    @Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
            "-Xms4g", "-Xmx4g", "-Xmn2g", "-XX:+AlwaysPreTouch"})
    public Object spawnAwaitInSpawnOrder(Scale scale) {
        int n = scale.tasks;
        List<Task<Integer>> tasks = scale.round;
        return loop.runUntilComplete(() -> {
            long sum = 0;
            for (int r = 0; r < SCALED_TOTAL / n; r++) {
                tasks.clear();
                for (int i = 0; i < n; i++) {
                    tasks.add(Async.spawn(ONE));
                }
                for (int i = 0; i < n; i++) {
                    sum += tasks.get(i).await();
                }
            }
            return sum;
        });
    }

    /** Spawn N, then await them from the last to the first. */
    @Benchmark
    @OperationsPerInvocation(SCALED_TOTAL)
    @Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
            "-Xms4g", "-Xmx4g", "-Xmn2g", "-XX:+AlwaysPreTouch"})
    public Object spawnAwaitInReverseOrder(Scale scale) {
        int n = scale.tasks;
        List<Task<Integer>> tasks = scale.round;
        return loop.runUntilComplete(() -> {
            long sum = 0;
            for (int r = 0; r < SCALED_TOTAL / n; r++) {
                tasks.clear();
                for (int i = 0; i < n; i++) {
                    tasks.add(Async.spawn(ONE));
                }
                for (int i = n - 1; i >= 0; i--) {
                    sum += tasks.get(i).await();
                }
            }
            return sum;
        });
    }

    /** Spawn N, then {@code gather} them: the awaiter parks once and the loop runs all N. */
    @Benchmark
    @OperationsPerInvocation(SCALED_TOTAL)
    @Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
            "-Xms4g", "-Xmx4g", "-Xmn2g", "-XX:+AlwaysPreTouch"})
    public Object spawnAwaitViaGather(Scale scale) {
        int n = scale.tasks;
        List<Task<Integer>> tasks = scale.round;
        return loop.runUntilComplete(() -> {
            long sum = 0;
            for (int r = 0; r < SCALED_TOTAL / n; r++) {
                tasks.clear();
                for (int i = 0; i < n; i++) {
                    tasks.add(Async.spawn(ONE));
                }
                for (int v : Async.gather(tasks)) {
                    sum += v;
                }
            }
            return sum;
        });
    }

    /**
     * The floor of the three rows above, at the same sizes and with the same flags: create N raw
     * continuations, then run each to its end in creation order (what awaiting an unstarted task
     * does, with no scheduler at all). A million of them pay the same cache and collector effects
     * as a million tasks, so the fair measure of the rows above is their growth from 1,000 to
     * 1,000,000 against this row's (issue 14).
     */
    @Benchmark
    @OperationsPerInvocation(SCALED_TOTAL)
    @Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
            "-Xms4g", "-Xmx4g", "-Xmn2g", "-XX:+AlwaysPreTouch"})
    public Object spawnAwaitFloorRawContinuations(Scale scale) {
        int n = scale.tasks;
        Continuation[] round = scale.continuations; // lives for the trial, as the rows' lists do
        long sum = 0;
        for (int r = 0; r < SCALED_TOTAL / n; r++) {
            for (int i = 0; i < n; i++) {
                round[i] = new Continuation(SCOPE, NOTHING);
            }
            for (int i = 0; i < n; i++) {
                round[i].run();
                sum += round[i].isDone() ? 1 : 0;
            }
        }
        return sum;
    }

    static final Runnable NOTHING = () -> { };

    /** The floor: create a raw continuation and run it to the end. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawContinuationCreateRun(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            Continuation c = new Continuation(SCOPE, () -> bh.consume(1));
            c.run();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void virtualThreadStartJoin() throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            Thread t = Thread.startVirtualThread(() -> { });
            t.join();
        }
    }

    /**
     * The peer as a user of virtual threads would write it: start+join from inside a virtual
     * thread, on one carrier (like our one loop thread), so the join parks a virtual thread, not
     * the platform benchmark thread. The outer virtual thread's own start+join is amortised over
     * the batch (about 3 ns per op).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xmx2g",
            "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public void virtualThreadStartJoinInVirtualThread() throws InterruptedException {
        Thread outer = Thread.startVirtualThread(() -> {
            try {
                for (int i = 0; i < BATCH; i++) {
                    Thread.startVirtualThread(() -> { }).join();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        outer.join();
    }

    // ---------------------------------------------------------------- yield round trip

    /** Two tasks yielding to each other; one op = one yield (one task suspends, the other resumes). */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public Object yieldBetweenTwoTasks() {
        return loop.runUntilComplete(() -> {
            Task<Object> other = Async.spawn(() -> {
                for (int i = 0; i < BATCH; i++) {
                    Async.yieldNow();
                }
                return null;
            });
            for (int i = 0; i < BATCH; i++) {
                Async.yieldNow();
            }
            return other.await();
        });
    }

    /** The floor: one resume + one suspend of a raw continuation. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawContinuationResumeSuspend() {
        Continuation c = new Continuation(SCOPE, () -> {
            while (true) {
                Continuation.yield(SCOPE);
            }
        });
        for (int i = 0; i < BATCH; i++) {
            c.run();
        }
    }

    /** Two virtual threads calling Thread.yield on one carrier; one op = one yield. */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    @Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xmx2g",
            "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public void virtualThreadYieldOneCarrier() throws Exception {
        Thread a = Thread.startVirtualThread(() -> { for (int i = 0; i < BATCH; i++) Thread.yield(); });
        Thread b = Thread.startVirtualThread(() -> { for (int i = 0; i < BATCH; i++) Thread.yield(); });
        a.join();
        b.join();
    }

    // ---------------------------------------------------------------- timers

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object timerScheduleCancel() {
        return loop.runUntilComplete(() -> {
            EventLoop l = Async.currentLoop();
            Runnable r = () -> { };
            Duration d = Duration.ofSeconds(10);
            for (int i = 0; i < BATCH; i++) {
                l.callLater(d, r).cancel();
            }
            return null;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void scheduledThreadPoolScheduleCancel() {
        Runnable r = () -> { };
        for (int i = 0; i < BATCH; i++) {
            ScheduledFuture<?> f = stpe.schedule(r, 10, TimeUnit.SECONDS);
            f.cancel(false);
        }
    }

    // ---------------------------------------------------------------- completed future

    /** Awaiting a promise that is already complete: no suspension, just the state check. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object awaitCompletedPromise(Blackhole bh) {
        return loop.runUntilComplete(() -> {
            Promise<Integer> p = new Promise<>();
            p.complete(1);
            for (int i = 0; i < BATCH; i++) {
                bh.consume(p.await());
            }
            return null;
        });
    }

    /** The peer: join() of a completed CompletableFuture. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void joinCompletedCompletableFuture(Blackhole bh) {
        java.util.concurrent.CompletableFuture<Integer> f = java.util.concurrent.CompletableFuture.completedFuture(1);
        for (int i = 0; i < BATCH; i++) {
            bh.consume(f.join());
        }
    }
}
