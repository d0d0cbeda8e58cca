package io.jasyncio;

import static io.jasyncio.TestSupport.REAL_TIMEOUT_SECONDS;
import static io.jasyncio.TestSupport.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InteropTest {

    /**
     * Completes {@code cf} from a new thread, started by a loop callback that can only run once
     * the calling task has suspended: so the await below really waits for another thread.
     */
    private static <T> void completeFromAnotherThreadAfterSuspending(CompletableFuture<T> cf, Consumer<CompletableFuture<T>> how) {
        Async.currentLoop().callSoon(() -> Thread.ofPlatform().name("completer").start(() -> how.accept(cf)));
    }

    @Test
    void awaitACompletionStageCompletedOnAnotherThread() {
        Thread loopThread = Thread.currentThread();
        String r = Async.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            completeFromAnotherThreadAfterSuspending(cf, f -> f.complete("from " + Thread.currentThread().getName()));
            String v = Async.await(cf);
            if (!TestSupport.portable()) {
                assertSame(loopThread, Thread.currentThread(), "the task resumes on the loop thread");
            }
            return v;
        });
        assertEquals("from completer", r);
    }

    @Test
    void awaitAnAlreadyCompleteStageDoesNotSuspend() {
        List<String> events = new ArrayList<>();
        Async.run(() -> {
            Async.spawn(() -> events.add("other task"));
            events.add(Async.await(CompletableFuture.completedFuture("done")));
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class,
                    () -> Async.await(CompletableFuture.failedFuture(boom))));
            events.add("still first");
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("done", "still first", "other task"), events);
    }

    @Test
    void awaitAFailedStage() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IOException io = new IOException("io");
        Async.run(() -> {
            CompletableFuture<String> unchecked = new CompletableFuture<>();
            completeFromAnotherThreadAfterSuspending(unchecked, f -> f.completeExceptionally(boom));
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> Async.await(unchecked)));

            CompletableFuture<String> checked = new CompletableFuture<>();
            completeFromAnotherThreadAfterSuspending(checked, f -> f.completeExceptionally(io));
            assertSame(io, assertThrows(CompletionException.class, () -> Async.await(checked)).getCause());

            // Already failed with a checked exception.
            assertSame(io, assertThrows(CompletionException.class,
                    () -> Async.await(CompletableFuture.failedFuture(io))).getCause());

            // A dependent stage wraps its failure in CompletionException; await unwraps it.
            CompletableFuture<String> source = new CompletableFuture<>();
            CompletableFuture<String> dependent = source.thenApply(s -> s + "!");
            completeFromAnotherThreadAfterSuspending(source, f -> f.completeExceptionally(boom));
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> Async.await(dependent)));
            return null;
        });
    }

    @Test
    void awaitACancelledStage() {
        Async.run(() -> {
            CompletableFuture<String> pending = new CompletableFuture<>();
            completeFromAnotherThreadAfterSuspending(pending, f -> f.cancel(false));
            CancelledException e = assertThrows(CancelledException.class, () -> Async.await(pending));
            assertInstanceOf(CancellationException.class, e.getCause());
            assertFalse(Task.current().isCancelRequested(), "the awaiting task itself is not cancelled");

            CompletableFuture<String> already = new CompletableFuture<>();
            already.cancel(false);
            CancelledException e2 = assertThrows(CancelledException.class, () -> Async.await(already));
            assertInstanceOf(CancellationException.class, e2.getCause());
            return null;
        });
    }

    @Test
    void awaitAStageThatIsNotACompletableFuture() {
        String r = Async.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            CompletionStage<String> minimal = cf.minimalCompletionStage();
            completeFromAnotherThreadAfterSuspending(cf, f -> f.complete("minimal"));
            String v = Async.await(minimal);
            // Already-complete minimal stages (CompletableFuture subclasses whose isDone throws).
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class,
                    () -> Async.await(CompletableFuture.<String>failedStage(boom))));
            return v + "+" + Async.await(CompletableFuture.completedStage("done"));
        });
        assertEquals("minimal+done", r);
    }

    @Test
    void cancellingTheAwaitingTaskLeavesTheStageAlone() {
        Async.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Task<String> t = Async.spawn(() -> Async.await(cf));
            Async.yieldNow();
            t.cancel();
            assertThrows(CancelledException.class, t::await);
            assertFalse(cf.isDone());
            cf.complete("late"); // completing it later is harmless
            Async.yieldNow();
            return null;
        });
    }

    // ------------------------------------------------------------------ toCompletableFuture

    @Test
    void toCompletableFutureMirrorsTheOutcome() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        List<CompletableFuture<String>> cfs = new ArrayList<>();
        List<ErrorReport> reports = TestSupport.reports();
        Async.run(EventLoop.builder().exceptionHandler((l, r) -> reports.add(r)), () -> {
            Task<String> ok = Async.spawn(() -> {
                Async.yieldNow();
                return "ok";
            });
            Task<String> failed = Async.spawn(() -> {
                Async.yieldNow();
                throw boom;
            });
            Task<String> cancelled = Async.spawn(() -> {
                Async.sleep(java.time.Duration.ofHours(1));
                return "never";
            });
            cfs.add(ok.toCompletableFuture());
            cfs.add(failed.toCompletableFuture());
            cfs.add(cancelled.toCompletableFuture());
            assertFalse(cfs.get(0).isDone());
            Async.yieldNow();
            cancelled.cancel("bye");
            Async.gatherSettled(ok, failed, cancelled);
            // Already done: the future is complete at once.
            assertEquals("ok", ok.toCompletableFuture().getNow(null));
            return null;
        });
        assertEquals("ok", cfs.get(0).get(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> cfs.get(1).get(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertSame(boom, e.getCause());
        assertTrue(cfs.get(2).isCancelled());
        assertThrows(CancellationException.class, () -> cfs.get(2).join());
        assertEquals(List.of(), reports, "a failure seen through a CompletableFuture counts as retrieved");
    }

    @Test
    void cancellingTheCompletableFutureFromAnotherThreadCancelsTheTask() {
        Async.run(() -> {
            Promise<String> never = new Promise<>();
            Task<String> t = Async.spawn(never::await);
            CompletableFuture<String> cf = t.toCompletableFuture();
            Thread canceller = Thread.ofPlatform().unstarted(() -> assertTrue(cf.cancel(true)));
            Async.currentLoop().callSoon(canceller::start);
            CancelledException e = assertThrows(CancelledException.class, t::await);
            assertEquals("cancelled through its CompletableFuture", e.getMessage());
            assertTrue(t.isCancelled());
            assertFalse(never.isDone());
            canceller.join();
            return null;
        });
    }

    // ------------------------------------------------------------------ submit

    @Test
    void submitFromAnotherThreadRunsATaskAndReturnsACompletableFuture() {
        AtomicReference<EventLoop> ranOn = new AtomicReference<>();
        AtomicReference<EventLoop> submittedTo = new AtomicReference<>();
        String r = Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            submittedTo.set(loop);
            CompletableFuture<String> answer = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                CompletableFuture<String> cf = loop.submit(() -> {
                    ranOn.set(Async.currentLoop());
                    Async.yieldNow();
                    return Task.current().getName();
                });
                try {
                    answer.complete("got " + cf.get(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS).startsWith("Task-"));
                } catch (Exception e) {
                    answer.completeExceptionally(e);
                }
            });
            return Async.await(answer);
        });
        assertEquals("got true", r);
        assertSame(submittedTo.get(), ranOn.get());
    }

    @Test
    void submitPropagatesFailuresAndCancellation() {
        IllegalStateException boom = new IllegalStateException("boom");
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
            Promise<String> never = new Promise<>();
            List<Task<?>> started = new ArrayList<>();
            Thread.ofPlatform().start(() -> {
                CompletableFuture<String> f = loop.submit(() -> {
                    throw boom;
                });
                try {
                    f.get(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    failure.complete(null);
                } catch (ExecutionException e) {
                    failure.complete(e.getCause());
                } catch (Exception e) {
                    failure.completeExceptionally(e);
                }
                CompletableFuture<String> c = loop.submit(() -> {
                    started.add(Task.current());
                    return never.await();
                });
                // Cancel only once the task has started, through the loop, then report.
                loop.callSoonThreadsafe(() -> Async.currentLoop().callSoon(() -> {
                    Thread.ofPlatform().start(() -> cancelled.complete(c.cancel(true)));
                }));
            });
            assertSame(boom, Async.await(failure));
            assertTrue(Async.await(cancelled));
            Async.yieldNow();
            Async.yieldNow();
            assertEquals(1, started.size());
            Task<?> t = started.get(0);
            assertThrows(CancelledException.class, t::await);
            assertTrue(t.isCancelled());
            return null;
        });
    }

    @Test
    void aSubmissionCancelledBeforeTheLoopPicksItUpNeverRuns() {
        EventLoop loop = new EventLoop();
        try {
            List<String> ran = new ArrayList<>();
            CompletableFuture<String> cf = loop.submit(() -> {
                ran.add("ran");
                return "x";
            });
            assertTrue(cf.cancel(true));
            loop.callSoonThreadsafe(loop::stop);
            loop.runForever();
            assertEquals(List.of(), ran);
            assertEquals(List.of(), loop.allTasks());
        } finally {
            loop.close();
        }
    }

    /**
     * A caller that cancels right after submitting races the loop's start of the task: whichever
     * side comes second must still see the cancellation, so no task is left waiting forever.
     */
    @Test
    void cancellingASubmissionWhileTheLoopStartsItAlwaysCancelsTheTask() {
        int submissions = 2_000;
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            Promise<Integer> never = new Promise<>();
            List<CompletableFuture<Integer>> futures = Async.toThread(() -> {
                List<CompletableFuture<Integer>> out = new ArrayList<>();
                for (int i = 0; i < submissions; i++) {
                    CompletableFuture<Integer> f = loop.submit(never::await);
                    out.add(f);
                    if (i % 2 == 1) {
                        Thread.onSpinWait(); // vary the gap so some cancels land mid-start
                    }
                    f.cancel(true);
                }
                return out;
            });
            for (int i = 0; i < 10 && loop.allTasks().size() > 1; i++) {
                Async.yieldNow();
            }
            assertEquals(List.of(Task.current()), loop.allTasks());
            assertTrue(futures.stream().allMatch(CompletableFuture::isCancelled));
            return null;
        });
    }

    @Test
    void submitToAClosedLoopFails() {
        EventLoop loop = new EventLoop();
        loop.close();
        assertThrowsWithMessage(LoopClosedException.class, () -> loop.submit(() -> 1), "closed");
    }

    @Test
    void twoLoopsOnTwoThreadsTalkThroughSubmitAndCompletableFutures() throws Exception {
        CompletableFuture<EventLoop> serverLoop = new CompletableFuture<>();
        CompletableFuture<Void> serverStop = new CompletableFuture<>();
        Thread server = Thread.ofPlatform().name("server-loop").start(() -> Async.run(() -> {
            serverLoop.complete(Async.currentLoop());
            Async.await(serverStop);
            return null;
        }));
        try {
            EventLoop remote = serverLoop.get(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String r = Async.run(() -> {
                EventLoop client = Async.currentLoop();
                CompletableFuture<String> reply = remote.submit(() -> {
                    Async.yieldNow();
                    EventLoop here = Async.currentLoop();
                    return "pong from " + (here == remote ? "the remote loop" : here == client ? "the client loop" : here);
                });
                return Async.await(reply);
            });
            assertEquals("pong from the remote loop", r);
        } finally {
            serverStop.complete(null);
            server.join(TimeUnit.SECONDS.toMillis(REAL_TIMEOUT_SECONDS));
        }
        assertFalse(server.isAlive());
    }
}
