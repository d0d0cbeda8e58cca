package io.jasyncio;

import static io.jasyncio.TestSupport.REAL_TIMEOUT_SECONDS;
import static io.jasyncio.TestSupport.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExecutorTest {

    @Test
    void toThreadRunsTheCallOnAWorkerThreadAndReturnsItsValue() {
        Thread loopThread = Thread.currentThread();
        int r = Async.run(() -> {
            Thread worker = Async.toThread(Thread::currentThread);
            assertNotSame(loopThread, worker);
            assertTrue(worker.getName().startsWith("jasyncio-worker-"), worker.getName());
            assertTrue(worker.isDaemon());
            return Async.toThread(() -> 6 * 7);
        });
        assertEquals(42, r);
    }

    @Test
    void theLoopKeepsRunningWhileACallBlocks() {
        String r = Async.run(() -> {
            CountDownLatch released = new CountDownLatch(1);
            Task<Boolean> blocking = Async.spawn(() -> Async.toThread(
                    () -> released.await(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            // This task runs on the loop while the call above blocks its worker thread; the call
            // can only return true if the loop got here.
            Task<Void> releaser = Async.spawn(() -> {
                Async.yieldNow();
                released.countDown();
                return null;
            });
            releaser.await();
            assertTrue(blocking.await(), "the loop was blocked while the call ran");
            return "ok";
        });
        assertEquals("ok", r);
    }

    @Test
    void manyCallsRunInParallelOnTheDefaultExecutor() {
        Async.run(() -> {
            int n = 4; // the default pool has min(32, cores + 4) >= 5 threads
            CountDownLatch all = new CountDownLatch(n);
            List<Task<Boolean>> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ts.add(Async.spawn(() -> Async.toThread(() -> {
                    all.countDown();
                    // Every call waits for all the others: only possible if they run at once.
                    return all.await(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                })));
            }
            for (Task<Boolean> t : ts) {
                assertTrue(t.await());
            }
            return null;
        });
    }

    @Test
    void runInExecutorUsesTheGivenExecutor() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-pool"));
        try {
            String name = Async.run(() -> Async.runInExecutor(pool, () -> Thread.currentThread().getName()));
            assertEquals("my-pool", name);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        // A plain Executor (not a service) works too.
        assertEquals("inline-free", Async.run(() -> Async.runInExecutor(r -> new Thread(r).start(), () -> "inline-free")));
    }

    @Test
    void setDefaultExecutorChangesWhereToThreadRuns() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "custom-default"));
        try {
            String name = Async.run(() -> {
                EventLoop loop = Async.currentLoop();
                loop.setDefaultExecutor(pool);
                assertSame(pool, loop.defaultExecutor());
                return Async.toThread(() -> Thread.currentThread().getName());
            });
            assertEquals("custom-default", name);
            assertTrue(pool.isShutdown(), "asyncio.run shuts down whatever default executor the loop had");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shutdownDefaultExecutorWaitsForRunningCallsAndLaterCallsAreRejected() {
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Task<String> call = Async.spawn(() -> Async.toThread(() -> {
                started.countDown();
                release.await();
                return "finished";
            }));
            ExecutorService executor = loop.defaultExecutor();
            assertTrue(Async.runInExecutor(r -> new Thread(r).start(),
                    () -> started.await(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            Task<Void> shutdown = Async.spawn(() -> {
                loop.shutdownDefaultExecutor();
                return null;
            });
            Async.yieldNow();
            assertTrue(executor.isShutdown());
            assertFalse(shutdown.isDone(), "shutdown waits while a call is still running");
            release.countDown();
            shutdown.await();
            assertTrue(executor.isTerminated());
            assertEquals("finished", call.await());
            assertThrows(RejectedExecutionException.class, () -> Async.toThread(() -> 1));
            return null;
        });
    }

    @Test
    void aRejectedCallFailsAtOnceWithRejectedExecutionException() {
        ExecutorService dead = Executors.newSingleThreadExecutor();
        dead.shutdown();
        Async.run(() -> {
            assertThrows(RejectedExecutionException.class, () -> Async.runInExecutor(dead, () -> "never"));
            Async.yieldNow(); // the task is fine afterwards
            return null;
        });
    }

    @Test
    void failuresOfTheCallPropagate() {
        IllegalStateException boom = new IllegalStateException("boom");
        IOException io = new IOException("io");
        Async.run(() -> {
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Async.toThread(() -> {
                throw boom;
            })));
            CompletionException wrapped = assertThrows(CompletionException.class, () -> Async.toThread(() -> {
                throw io;
            }));
            assertSame(io, wrapped.getCause());
            return null;
        });
    }

    @Test
    void cancellingTheAwaiterAbandonsTheWaitButNotTheCall() throws Exception {
        CountDownLatch callStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> callEnd = new AtomicReference<>();
        List<ErrorReport> reports = TestSupport.reports();
        Async.run(EventLoop.builder().exceptionHandler((l, r) -> reports.add(r)), () -> {
            Task<String> t = Async.spawn(() -> Async.toThread(() -> {
                callStarted.countDown();
                release.await();
                callEnd.set("call finished");
                return "value nobody reads";
            }));
            assertTrue(Async.toThread(() -> callStarted.await(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            t.cancel("no longer interested");
            assertEquals("no longer interested", assertThrows(CancelledException.class, t::await).getMessage());
            assertEquals(null, callEnd.get(), "the call is still blocked: the wait was abandoned, not the call");
            release.countDown();
            return null;
        });
        // Async.run waited for the default executor, so the call has ended; its late result went nowhere.
        assertEquals("call finished", callEnd.get());
        assertEquals(List.of(), reports);
    }

    @Test
    void executorCallsNeedATask() {
        assertThrowsWithMessage(IllegalStateException.class, () -> Async.toThread(() -> 1), "no event loop");
        EventLoop loop = new EventLoop();
        try {
            List<Throwable> seen = new ArrayList<>();
            loop.callSoon(() -> {
                try {
                    Async.toThread(() -> 1);
                } catch (Throwable e) {
                    seen.add(e);
                }
                try {
                    Async.runInExecutor(Runnable::run, () -> 1);
                } catch (Throwable e) {
                    seen.add(e);
                }
                loop.stop();
            });
            loop.runForever();
            assertEquals(2, seen.size());
            for (Throwable e : seen) {
                assertTrue(e instanceof IllegalStateException && e.getMessage().contains("plain callback"), e.toString());
            }
        } finally {
            loop.close();
        }
    }
}
