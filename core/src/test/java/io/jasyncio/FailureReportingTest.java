package io.jasyncio;

import static io.jasyncio.TestSupport.REAL_TIMEOUT_SECONDS;
import static io.jasyncio.TestSupport.runVirtual;
import static io.jasyncio.TestSupport.sleepMs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jasyncio.lowlevel.Suspension;
import io.jasyncio.lowlevel.Waker;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No exception is ever silently lost, and nothing is reported twice or by mistake. */
class FailureReportingTest {

    @Test
    void aFailureNobodyRetrievedIsReportedWhenTheLoopCloses() {
        List<ErrorReport> reports = TestSupport.reports();
        IllegalStateException boom = new IllegalStateException("boom");
        EventLoop loop = VirtualTestClock.loopOn(new VirtualTestClock()).exceptionHandler((l, r) -> reports.add(r)).build();
        List<Task<?>> keep = new ArrayList<>(); // a strong reference: only the close can report it
        loop.runUntilComplete(() -> {
            keep.add(Async.spawn("doomed", () -> {
                sleepMs(1);
                throw boom;
            }));
            sleepMs(5);
            return null;
        });
        assertTrue(keep.get(0).isDone());
        assertEquals(List.of(), reports, "not reported while it could still be retrieved");
        loop.close();
        assertEquals(1, reports.size(), reports.toString());
        ErrorReport r = reports.get(0);
        assertSame(boom, r.exception());
        assertSame(keep.get(0), r.task());
        assertTrue(r.message().contains("'doomed'") && r.message().contains("never retrieved")
                && r.message().contains("when the loop closed"), r.message());
        loop.close();
        assertEquals(1, reports.size(), "reported once");
    }

    static Stream<Arguments> waysToRetrieve() {
        return Stream.of(
                arguments("await", (Consumer<Task<String>>) t -> {
                    try {
                        t.await();
                    } catch (IllegalStateException expected) {
                        // retrieved
                    }
                }),
                arguments("resultNow", (Consumer<Task<String>>) t -> {
                    try {
                        t.resultNow();
                    } catch (IllegalStateException expected) {
                        // retrieved
                    }
                }),
                arguments("exceptionNow", (Consumer<Task<String>>) Task::exceptionNow),
                arguments("toCompletableFuture", (Consumer<Task<String>>) Task::toCompletableFuture),
                arguments("gather", (Consumer<Task<String>>) t -> {
                    try {
                        Async.gather(t);
                    } catch (IllegalStateException expected) {
                        // retrieved
                    }
                }),
                arguments("gatherSettled", (Consumer<Task<String>>) t -> Async.gatherSettled(List.of(t))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waysToRetrieve")
    void aRetrievedFailureIsNotReported(String how, Consumer<Task<String>> retrieve) {
        List<ErrorReport> reports = TestSupport.reports();
        runVirtual(reports, () -> {
            Task<String> t = Async.spawn(() -> {
                throw new IllegalStateException("retrieved");
            });
            Async.yieldNow();
            Async.yieldNow();
            assertTrue(t.isDone());
            retrieve.accept(t);
            return null;
        });
        assertEquals(List.of(), reports);
    }

    @Test
    void aFailureRetrievedBeforeTheTaskEvenFinishedIsNotReported() {
        List<ErrorReport> reports = TestSupport.reports();
        runVirtual(reports, () -> {
            Task<String> t = Async.spawn(() -> {
                sleepMs(5);
                throw new IllegalStateException("awaited");
            });
            t.toCompletableFuture();
            sleepMs(10);
            return null;
        });
        assertEquals(List.of(), reports);
    }

    @Test
    void cancellationsAreNeverReported() {
        List<ErrorReport> reports = TestSupport.reports();
        runVirtual(reports, () -> {
            Task<String> t = Async.spawn(() -> {
                Async.sleep(Duration.ofHours(1));
                return "x";
            });
            sleepMs(1);
            t.cancel();
            sleepMs(1);
            assertTrue(t.isCancelled());
            return null;
        });
        assertEquals(List.of(), reports);
    }

    @Test
    void aFireAndForgetFailureIsReportedExactlyOnce() {
        List<ErrorReport> reports = TestSupport.reports();
        runVirtual(reports, () -> {
            Async.spawn(() -> {
                throw new IllegalArgumentException("nobody looks");
            });
            sleepMs(10);
            return null;
        });
        assertEquals(1, reports.size(), reports.toString());
        assertEquals("nobody looks", reports.get(0).exception().getMessage());
        assertTrue(reports.get(0).message().contains("never retrieved"), reports.get(0).message());
    }

    @Test
    void aCollectedFailedTaskIsReportedWithoutWaitingForClose() {
        List<ErrorReport> reports = TestSupport.reports();
        boolean[] reportedWhileRunning = {false};
        runVirtual(reports, () -> {
            spawnFailingTaskNobodyHolds();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REAL_TIMEOUT_SECONDS);
            while (reports.isEmpty() && System.nanoTime() < deadline) {
                System.gc();
                Async.yieldNow(); // each loop iteration looks for collected tasks
            }
            reportedWhileRunning[0] = !reports.isEmpty();
            return null;
        });
        assertTrue(reportedWhileRunning[0], "the collected task was not reported while the loop ran");
        assertEquals(1, reports.size(), reports.toString());
        ErrorReport r = reports.get(0);
        assertTrue(r.message().contains("garbage-collected"), r.message());
        assertNull(r.task(), "the task itself is gone");
        assertEquals("collected", r.exception().getMessage());
    }

    private static void spawnFailingTaskNobodyHolds() {
        Async.spawn(() -> {
            throw new IllegalStateException("collected");
        });
    }

    @Test
    void aTaskFailingWhileRunShutsDownIsReported() {
        List<ErrorReport> reports = TestSupport.reports();
        IllegalStateException cleanupFailure = new IllegalStateException("cleanup failed");
        runVirtual(reports, () -> {
            Async.spawn("bad-cleanup", () -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    throw cleanupFailure;
                }
                return null;
            });
            sleepMs(1);
            return null;
        });
        assertEquals(1, reports.size(), reports.toString());
        assertSame(cleanupFailure, reports.get(0).exception());
        assertTrue(reports.get(0).message().contains("'bad-cleanup'")
                && reports.get(0).message().contains("shut down"), reports.get(0).message());
    }

    @Test
    void inDebugModeTheReportSaysWhereTheTaskWasSpawned() {
        List<ErrorReport> reports = TestSupport.reports();
        Async.run(VirtualTestClock.loopOn(new VirtualTestClock()).debug(true).exceptionHandler((l, r) -> reports.add(r)),
                () -> {
                    spawnFailingTaskFromAHelper();
                    sleepMs(1);
                    return null;
                });
        assertEquals(1, reports.size());
        Throwable[] suppressed = reports.get(0).exception().getSuppressed();
        assertEquals(1, suppressed.length);
        assertTrue(suppressed[0].getMessage().contains("spawned here"), suppressed[0].getMessage());
        assertTrue(Arrays.stream(suppressed[0].getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("spawnFailingTaskFromAHelper")));
    }

    private static void spawnFailingTaskFromAHelper() {
        Async.spawn(() -> {
            throw new IllegalStateException("from a helper");
        });
    }

    // ------------------------------------------------------------------ the loop keeps tasks alive

    @Test
    void aFireAndForgetTaskNobodyReferencesRunsToCompletionDespiteGc() {
        AtomicBoolean finished = new AtomicBoolean();
        runVirtual(() -> {
            spawnUnreferenced(finished);
            for (int i = 0; i < 3; i++) {
                System.gc();
                Async.yieldNow();
            }
            sleepMs(100);
            return null;
        });
        assertTrue(finished.get());
    }

    private static void spawnUnreferenced(AtomicBoolean finished) {
        Async.spawn(() -> {
            sleepMs(20);
            System.gc();
            Async.yieldNow();
            sleepMs(20);
            finished.set(true);
            return null;
        });
    }

    @Test
    void aTaskSuspendedOnNothingButItselfIsKeptAliveByTheLoop() {
        AtomicBoolean finished = new AtomicBoolean();
        runVirtual(() -> {
            // Only a weak reference from here; the task waits in Suspension.park, so no timer, no
            // promise and no other task holds it: nothing but the loop does.
            WeakReference<Task<?>> ref = spawnSuspended(finished);
            Async.yieldNow();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            Task<?> t = ref.get();
            assertNotNull(t, "the loop let a live task be garbage-collected");
            Waker.of(t).wake("go");
            t.await();
            return null;
        });
        assertTrue(finished.get());
    }

    private static WeakReference<Task<?>> spawnSuspended(AtomicBoolean finished) {
        return new WeakReference<>(Async.spawn(() -> {
            Object v = Suspension.park(null);
            finished.set("go".equals(v));
            return null;
        }));
    }
}
