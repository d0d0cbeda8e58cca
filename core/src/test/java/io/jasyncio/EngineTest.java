package io.jasyncio;

import static io.jasyncio.TestSupport.REAL_TIMEOUT_SECONDS;
import static io.jasyncio.TestSupport.assertThrowsWithMessage;
import static io.jasyncio.TestSupport.sleepMs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.jasyncio.internal.engine.EngineSelection;
import io.jasyncio.lowlevel.Loops;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngineTest {

    // ------------------------------------------------------------------ selection

    @Test
    void theLoopUsesTheEngineTheJasyncioEnginePropertyAsksFor() {
        String wanted = System.getProperty("jasyncio.engine", "auto");
        String actual = Async.run(() -> Async.currentLoop().engineName());
        switch (wanted) {
            case "portable" -> assertEquals("portable", actual);
            case "continuation" -> assertEquals("continuation", actual);
            default -> assertEquals(EngineSelection.continuationsAvailable() ? "continuation" : "portable", actual);
        }
        assertEquals(actual, new EventLoop().engineName());
    }

    @Test
    void aLoopCanForceEitherEngine() {
        assertTrue(EngineSelection.continuationsAvailable(), "the test JVM runs with " + EngineSelection.FLAG);
        for (String name : List.of("continuation", "portable")) {
            String r = Async.run(EventLoop.builder().engine(name), () -> {
                sleepMs(1);
                return Async.currentLoop().engineName();
            });
            assertEquals(name, r);
        }
        assertEquals("portable", EventLoop.builder().engine(" PORTABLE ").build().engineName());
        assertEquals("continuation", EventLoop.builder().engine("auto").build().engineName());
    }

    @Test
    void anUnknownEngineNameIsRejected() {
        assertThrowsWithMessage(IllegalArgumentException.class, () -> EventLoop.builder().engine("fibers").build(),
                "auto, continuation or portable", "fibers");
    }

    // ------------------------------------------------------------------ where coroutine code runs

    @Test
    void withTheContinuationEngineNoOtherThreadEverRunsCoroutineCode() throws Exception {
        Thread loopThread = Thread.currentThread();
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger points = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        EventLoop theLoop = new EventLoop();
        if ("portable".equals(theLoop.engineName())) {
            theLoop.close();
            assumeFalse(true, "the portable engine runs coroutines on virtual threads by design");
        }
        try {
            theLoop.run(() -> {
                EventLoop loop = Async.currentLoop();
                Runnable mark = () -> {
                    seen.add(Thread.currentThread());
                    points.incrementAndGet();
                };
                List<Task<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    tasks.add(Async.spawn(() -> {
                        mark.run();
                        Async.yieldNow();
                        mark.run();
                        sleepMs(n % 3);
                        mark.run();
                        Promise<Integer> p = new Promise<>();
                        pool.execute(() -> loop.callSoonThreadsafe(() -> p.complete(n)));
                        p.await();
                        mark.run();
                        CompletableFuture<Integer> cf = CompletableFuture.supplyAsync(() -> n, pool);
                        Async.await(cf);
                        mark.run();
                        if (n % 20 == 0) {
                            Async.toThread(() -> n);
                            mark.run();
                            Async.runInExecutor(pool, () -> n);
                            mark.run();
                        }
                        try (TaskGroup g = Async.taskGroup()) {
                            g.spawn(() -> {
                                mark.run();
                                sleepMs(1);
                                mark.run();
                                return null;
                            });
                        }
                        mark.run();
                        Task<?> victim = Async.spawn(() -> {
                            try {
                                Async.sleep(Duration.ofHours(1));
                            } finally {
                                mark.run();
                            }
                            return null;
                        });
                        Async.yieldNow();
                        victim.cancel();
                        Async.gatherSettled(List.of(victim));
                        mark.run();
                        Async.withTimeout(Duration.ofSeconds(30), () -> {
                            Async.yieldNow();
                            mark.run();
                            return null;
                        });
                        return n;
                    }));
                }
                Async.gather(tasks);
                return null;
            });
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(200 * 11 + 10 * 2, points.get(), "every point was reached");
        assertEquals(Set.of(loopThread), seen);
    }

    @Test
    void withThePortableEngineCoroutinesRunOnTheirOwnVirtualThreads() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Async.run(EventLoop.builder().engine("portable"), () -> {
            List<Task<Thread>> ts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ts.add(Async.spawn(() -> {
                    Thread before = Thread.currentThread();
                    Async.yieldNow();
                    assertTrue(before == Thread.currentThread(), "a coroutine stays on its own thread");
                    return before;
                }));
            }
            for (Task<Thread> t : ts) {
                threads.add(t.await());
            }
            return null;
        });
        assertEquals(10, threads.size());
        assertTrue(threads.stream().allMatch(Thread::isVirtual));
    }

    @ParameterizedTest
    @ValueSource(strings = {"continuation", "portable"})
    void onlyOneCoroutineRunsAtAnyMomentAndWritesAreVisibleWithoutVolatile(String engine) {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] plainCounter = {0};
        int tasks = 200, rounds = 50;
        Async.run(EventLoop.builder().engine(engine), () -> {
            EventLoop loop = Async.currentLoop();
            List<Task<?>> ts = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                ts.add(Async.spawn(() -> {
                    for (int r = 0; r < rounds; r++) {
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        int seen = plainCounter[0];
                        Thread.onSpinWait();
                        plainCounter[0] = seen + 1; // a lost update would show a second runner
                        inside.decrementAndGet();
                        if (r % 2 == 0) {
                            Async.yieldNow();
                        } else {
                            loop.callSoon(() -> {
                                if (inside.incrementAndGet() != 1) {
                                    overlaps.incrementAndGet();
                                }
                                plainCounter[0]++;
                                inside.decrementAndGet();
                            });
                            sleepMs(0);
                        }
                    }
                    return null;
                }));
            }
            Async.gather(ts);
            Async.yieldNow();
            return null;
        });
        assertEquals(0, overlaps.get());
        assertEquals(tasks * rounds + tasks * rounds / 2, plainCounter[0]);
    }

    // ------------------------------------------------------------------ same semantics

    @Test
    void bothEnginesProduceTheSameTraceForTheSameProgram() {
        List<String> continuation = traceOf("continuation");
        List<String> portable = traceOf("portable");
        assertTrue(continuation.size() > 20, continuation.toString());
        assertEquals(continuation, portable);
    }

    private static List<String> traceOf(String engine) {
        List<String> trace = new ArrayList<>();
        Async.run(VirtualTestClock.loopOn(new VirtualTestClock()).engine(engine), () -> {
            long t0 = Async.currentLoop().time();
            java.util.function.Consumer<String> log = s -> trace.add(s + "@" + (Async.currentLoop().time() - t0) / 1_000_000);
            List<Task<?>> ts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                ts.add(Async.spawn("w" + n, () -> {
                    log.accept("start " + n);
                    for (int k = 0; k < 3; k++) {
                        sleepMs(n + 1);
                        log.accept("tick " + n + "." + k);
                        Async.yieldNow();
                    }
                    return n;
                }));
            }
            Task<Object> victim = Async.spawn("victim", () -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    log.accept("victim cancelled: " + e.getMessage());
                    throw e;
                }
                return null;
            });
            Async.currentLoop().callLater(Duration.ofMillis(4), () -> victim.cancel("at 4"));
            try {
                Async.withTimeout(Duration.ofMillis(5), () -> {
                    Async.sleep(Duration.ofHours(1));
                    return null;
                });
            } catch (AsyncTimeoutException e) {
                log.accept("timed out");
            }
            try (TaskGroup g = Async.taskGroup()) {
                g.spawn(() -> {
                    sleepMs(2);
                    throw new IllegalStateException("child failed");
                });
                g.spawn(() -> {
                    try {
                        sleepMs(10);
                    } finally {
                        log.accept("sibling unwound");
                    }
                    return null;
                });
                sleepMs(10);
            } catch (TaskGroupException e) {
                log.accept("group: " + e.getCause().getMessage());
            }
            log.accept("gathered " + Async.gatherSettled(ts).stream().map(Outcome::get).toList());
            log.accept("victim state " + victim.state());
            return null;
        });
        return trace;
    }

    @Test
    void theMainThreadIsFreeAgainAfterEitherEngineRan() {
        for (String engine : List.of("continuation", "portable")) {
            Async.run(EventLoop.builder().engine(engine), () -> null);
            assertNull(Loops.currentOrNull(), "no loop is left registered on this thread");
            assertThrowsWithMessage(IllegalStateException.class, Async::currentLoop, "no event loop");
        }
    }

    // ------------------------------------------------------------------ the frames under a task

    /**
     * Every frame below a parked task's park is frozen with it for as long as it is parked, and a
     * frame entered while its code was still interpreted is about 100 bytes (issue 14): with the
     * continuation engine, the task's entry is the continuation's body itself, with no method
     * reference or engine frame between the continuation and {@code Task.runBody}.
     */
    @Test
    void withTheContinuationEngineOnlyTheTasksEntryIsBetweenTheContinuationAndTheTasksBody() {
        List<String> frames = Async.run(EventLoop.builder().engine("continuation"),
                () -> StackWalker.getInstance(StackWalker.Option.SHOW_HIDDEN_FRAMES)
                        .walk(s -> s.map(f -> f.getClassName() + "." + f.getMethodName()).toList()));
        int body = frames.indexOf("io.jasyncio.Task.runBody");
        int enter = frames.indexOf("jdk.internal.vm.Continuation.enter0");
        assertTrue(body >= 0 && enter > body, frames.toString());
        assertEquals(List.of("io.jasyncio.Task$RunBody.run"), frames.subList(body + 1, enter), frames.toString());
    }
}
