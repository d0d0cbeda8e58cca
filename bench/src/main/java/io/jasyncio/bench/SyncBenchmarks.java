package io.jasyncio.bench;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.sync.AsyncQueue;
import io.jasyncio.sync.Lock;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Costs of {@code io.jasyncio.sync} beside their nearest JDK peers, in one run.
 *
 * <ul>
 *   <li>{@code queuePingPong}: two tasks on one loop bounce a value through two one-slot
 *       {@link AsyncQueue}s; one operation is one round trip (two puts, two gets, two task
 *       switches). Peer: {@code synchronousQueuePingPong}, the same between two virtual threads
 *       with two {@link SynchronousQueue}s.</li>
 *   <li>{@code lockTryWithResources} and {@code lockTryAcquireRelease}: an uncontended
 *       {@link Lock} acquired and released by a task; one operation is one pair. Peer:
 *       {@code reentrantLock}, an uncontended {@link ReentrantLock} lock/unlock.</li>
 * </ul>
 * The jasyncio benchmarks run a batch of {@link #BATCH} operations inside one task per
 * invocation, on a loop kept open for the whole trial, so that starting the task is spread over
 * the batch ({@code @OperationsPerInvocation}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
public class SyncBenchmarks {

    /** Operations per invocation for the batched benchmarks. */
    public static final int BATCH = 10_000;

    /** A loop kept open for the trial, with the engine under test. */
    @State(Scope.Thread)
    public static class Loop {
        @Param({"continuation", "portable"})
        public String engine;

        EventLoop loop;

        @Setup(Level.Trial)
        public void open() {
            loop = EventLoop.builder().engine(engine).build();
            if (!loop.engineName().equals(engine)) {
                throw new IllegalStateException("asked for the " + engine + " engine, got " + loop.engineName()
                        + " (is --add-exports java.base/jdk.internal.vm=ALL-UNNAMED missing?)");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            loop.close();
        }
    }

    /** The continuation engine only: for benchmarks that never suspend. */
    @State(Scope.Thread)
    public static class ContinuationLoop {
        EventLoop loop;
        final Lock lock = new Lock();

        @Setup(Level.Trial)
        public void open() {
            loop = EventLoop.builder().engine("continuation").build();
        }

        @TearDown(Level.Trial)
        public void close() {
            loop.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int queuePingPong(Loop s) {
        return s.loop.runUntilComplete(() -> {
            AsyncQueue<Integer> ping = AsyncQueue.fifo(1);
            AsyncQueue<Integer> pong = AsyncQueue.fifo(1);
            Task<Integer> echo = Async.spawn(() -> {
                int last = 0;
                for (int i = 0; i < BATCH; i++) {
                    last = ping.get();
                    pong.put(last);
                }
                return last;
            });
            int sum = 0;
            for (int i = 0; i < BATCH; i++) {
                ping.put(i);
                sum += pong.get();
            }
            return sum + echo.await();
        });
    }

    /** Two virtual threads, two SynchronousQueues: the JDK's closest equivalent of the above. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int synchronousQueuePingPong() throws InterruptedException {
        SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        int[] sum = {0};
        Thread echo = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < BATCH; i++) {
                    pong.put(ping.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread main = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < BATCH; i++) {
                    ping.put(i);
                    sum[0] += pong.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        main.join();
        echo.join();
        return sum[0];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @SuppressWarnings("try")
    public int lockTryWithResources(ContinuationLoop s) {
        Lock lock = s.lock;
        return s.loop.runUntilComplete(() -> {
            int n = 0;
            for (int i = 0; i < BATCH; i++) {
                try (Lock.Guard held = lock.acquire()) {
                    n++;
                }
            }
            return n;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int lockTryAcquireRelease(ContinuationLoop s) {
        Lock lock = s.lock;
        return s.loop.runUntilComplete(() -> {
            int n = 0;
            for (int i = 0; i < BATCH; i++) {
                if (lock.tryAcquire()) {
                    n++;
                    lock.release();
                }
            }
            return n;
        });
    }

    /** Runs an empty batch: what starting the task and the loop iteration cost, to subtract. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int emptyBatch(ContinuationLoop s) {
        return s.loop.runUntilComplete(() -> 0);
    }

    /**
     * The same peer on one carrier, like our one loop thread: the two virtual threads cannot run in
     * parallel, so every hand-off parks one and unparks the other.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
            "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public int synchronousQueuePingPongOneCarrier() throws InterruptedException {
        return synchronousQueuePingPong();
    }

    @State(Scope.Thread)
    public static class JdkLock {
        final ReentrantLock lock = new ReentrantLock();
    }

    @Benchmark
    public void reentrantLock(JdkLock s) {
        s.lock.lock();
        s.lock.unlock();
    }
}
