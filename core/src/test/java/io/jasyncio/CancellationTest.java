package io.jasyncio;

import static io.jasyncio.TestSupport.millisSince;
import static io.jasyncio.TestSupport.ms;
import static io.jasyncio.TestSupport.now;
import static io.jasyncio.TestSupport.runVirtual;
import static io.jasyncio.TestSupport.sleepMs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jasyncio.lowlevel.Abort;
import io.jasyncio.lowlevel.Suspension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CancellationTest {

    private static final Duration HOUR = Duration.ofHours(1);

    /** What a suspension point left behind, for the per-point checks. */
    static final class Ctx {
        Promise<String> promise;
        Task<String> awaited;
        boolean abortRan;
        final List<Runnable> cleanup = new ArrayList<>();
    }

    @FunctionalInterface
    interface Point {
        void suspend(Ctx ctx) throws Exception;
    }

    private static final Consumer<Ctx> NOTHING_MORE = ctx -> {
    };

    /** The awaited thing itself is left alone by the cancellation of its awaiter. */
    private static final Consumer<Ctx> PROMISE_UNTOUCHED = ctx -> assertFalse(ctx.promise.isDone());
    private static final Consumer<Ctx> TASK_KEEPS_RUNNING = ctx -> {
        assertFalse(ctx.awaited.isDone(), "the awaited task must keep running");
        assertFalse(ctx.awaited.isCancelRequested());
    };

    static Stream<Arguments> suspensionPoints() {
        return Stream.of(
                point("sleep", ctx -> Async.sleep(HOUR), NOTHING_MORE),
                point("sleep forever", ctx -> Async.sleep(Duration.ofSeconds(Long.MAX_VALUE)), NOTHING_MORE),
                point("await promise", ctx -> newPromise(ctx).await(), PROMISE_UNTOUCHED),
                point("await promise with timeout", ctx -> newPromise(ctx).await(HOUR), PROMISE_UNTOUCHED),
                point("await task", ctx -> sleeper(ctx).await(), TASK_KEEPS_RUNNING),
                point("yieldNow", ctx -> Async.yieldNow(), NOTHING_MORE),
                point("sleep zero", ctx -> Async.sleep(Duration.ZERO), NOTHING_MORE),
                point("gather", ctx -> Async.gather(sleeper(ctx), newPromise(ctx)), TASK_KEEPS_RUNNING.andThen(PROMISE_UNTOUCHED)),
                point("gatherSettled", ctx -> Async.gatherSettled(List.of(newPromise(ctx))), PROMISE_UNTOUCHED),
                point("wait", ctx -> Async.wait(List.of(newPromise(ctx)), WaitMode.ALL_COMPLETED, null), PROMISE_UNTOUCHED),
                point("wait with timeout", ctx -> Async.wait(List.of(newPromise(ctx)), WaitMode.FIRST_COMPLETED, HOUR),
                        PROMISE_UNTOUCHED),
                point("asCompleted", ctx -> {
                    for (Awaitable<String> a : Async.asCompleted(List.of(newPromise(ctx)))) {
                        a.resultNow();
                    }
                }, PROMISE_UNTOUCHED),
                point("toThread", ctx -> {
                    CountDownLatch release = new CountDownLatch(1);
                    ctx.cleanup.add(release::countDown);
                    Async.toThread(() -> {
                        release.await();
                        return null;
                    });
                }, NOTHING_MORE),
                point("runInExecutor", ctx -> {
                    ExecutorService pool = Executors.newSingleThreadExecutor();
                    CountDownLatch release = new CountDownLatch(1);
                    ctx.cleanup.add(release::countDown);
                    ctx.cleanup.add(pool::shutdown);
                    Async.runInExecutor(pool, () -> {
                        release.await();
                        return null;
                    });
                }, NOTHING_MORE),
                point("await CompletionStage", ctx -> {
                    CompletableFuture<String> cf = new CompletableFuture<>();
                    ctx.cleanup.add(() -> assertFalse(cf.isDone(), "the stage is left alone"));
                    Async.await(cf);
                }, NOTHING_MORE),
                point("Suspension.park", ctx -> Suspension.park(Abort.undo(() -> ctx.abortRan = true)),
                        ctx -> assertTrue(ctx.abortRan, "the abort hook must run")),
                point("TaskGroup.close", ctx -> {
                    try (TaskGroup g = Async.taskGroup()) {
                        ctx.awaited = g.spawn(() -> {
                            Async.sleep(HOUR);
                            return "child";
                        });
                    }
                }, ctx -> assertTrue(ctx.awaited.isCancelled(), "the group's children are cancelled with its owner")),
                point("withTimeout body", ctx -> Async.withTimeout(HOUR, () -> {
                    Async.sleep(HOUR.multipliedBy(2));
                    return null;
                }), NOTHING_MORE),
                point("cancel scope body", ctx -> CancelScope.create().run(() -> {
                    Async.sleep(HOUR);
                    return null;
                }), NOTHING_MORE));
    }

    private static Arguments point(String name, Point p, Consumer<Ctx> check) {
        return arguments(name, p, check);
    }

    private static Promise<String> newPromise(Ctx ctx) {
        ctx.promise = new Promise<>();
        return ctx.promise;
    }

    private static Task<String> sleeper(Ctx ctx) {
        ctx.awaited = Async.spawn(() -> {
            Async.sleep(HOUR);
            return "awaited";
        });
        return ctx.awaited;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suspensionPoints")
    void cancellationIsDeliveredAtEverySuspensionPoint(String name, Point point, Consumer<Ctx> check) {
        List<String> events = new ArrayList<>();
        Ctx ctx = new Ctx();
        runVirtual(() -> {
            boolean[] reached = {false};
            Task<String> target = Async.spawn("target", () -> {
                try {
                    reached[0] = true;
                    point.suspend(ctx);
                    events.add("returned normally");
                    return "returned";
                } catch (CancelledException e) {
                    events.add("caught: " + e.getMessage());
                    // Level-triggered: every later suspension point throws too.
                    try {
                        Async.yieldNow();
                        events.add("yieldNow did not throw");
                    } catch (CancelledException again) {
                        events.add("again: " + again.getMessage());
                    }
                    try {
                        Async.sleep(ms(1));
                        events.add("sleep did not throw");
                    } catch (CancelledException again) {
                        events.add("again: " + again.getMessage());
                    }
                    throw e;
                } finally {
                    events.add("finally");
                }
            });
            // Run until the target is suspended at its point (the loop runs us only then).
            while (!reached[0]) {
                Async.yieldNow();
            }
            long t0 = now();
            assertTrue(target.cancel("stop " + name));
            CancelledException e = assertThrows(CancelledException.class, target::await);
            assertEquals("stop " + name, e.getMessage());
            assertTrue(target.isCancelled());
            assertEquals(0, millisSince(t0), "the cancellation must not wait for the suspension to end");
            check.accept(ctx);
            if (ctx.awaited != null) {
                ctx.awaited.cancel();
            }
            ctx.cleanup.forEach(Runnable::run);
            return null;
        });
        String m = "stop " + name;
        assertEquals(List.of("caught: " + m, "again: " + m, "again: " + m, "finally"), events);
    }

    // ------------------------------------------------------------------ before the first step

    @Test
    void aTaskCancelledBeforeItStartsRunsUntilItsFirstSuspensionPointAndThrowsThere() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                events.add("started");
                try {
                    sleepMs(10);
                    events.add("slept");
                } finally {
                    events.add("finally");
                }
                return "done";
            });
            t.cancel("early");
            assertEquals("early", assertThrows(CancelledException.class, t::await).getMessage());
            return null;
        });
        assertEquals(List.of("started", "finally"), events);
    }

    @Test
    void aTaskCancelledBeforeItStartsThatNeverSuspendsCompletesWithItsValue() {
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> "value");
            t.cancel();
            assertEquals("value", t.await());
            assertEquals(Awaitable.State.SUCCESS, t.state());
            return null;
        });
    }

    // ------------------------------------------------------------------ catching it

    @Test
    void aTaskThatCatchesTheCancellationAndReturnsWithoutSuspendingCompletesNormally() {
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                try {
                    Async.sleep(HOUR);
                    return "slept";
                } catch (CancelledException e) {
                    return "partial result";
                }
            });
            sleepMs(1);
            t.cancel();
            assertEquals("partial result", t.await());
            assertEquals(Awaitable.State.SUCCESS, t.state());
            assertFalse(t.isCancelled());
            assertTrue(t.isCancelRequested());
            return null;
        });
    }

    @Test
    void swallowingTheCancellationDoesNotUndoIt() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    try {
                        Async.sleep(HOUR);
                    } catch (CancelledException swallowed) {
                        events.add("swallowed " + i);
                    }
                }
                Async.yieldNow(); // and once more, uncaught
                return "unreachable";
            });
            sleepMs(1);
            long t0 = now();
            t.cancel();
            assertThrows(CancelledException.class, t::await);
            assertEquals(0, millisSince(t0));
            return null;
        });
        assertEquals(List.of("swallowed 0", "swallowed 1", "swallowed 2"), events);
    }

    @Test
    void theFirstCancelMessageWinsAndNoMessageMeansNull() {
        runVirtual(() -> {
            Task<Void> t = Async.spawn(() -> {
                Async.sleep(HOUR);
                return null;
            });
            Task<Void> u = Async.spawn(() -> {
                Async.sleep(HOUR);
                return null;
            });
            sleepMs(1);
            assertTrue(t.cancel("first"));
            assertTrue(t.cancel("second"));
            u.cancel();
            assertEquals("first", assertThrows(CancelledException.class, t::await).getMessage());
            assertNull(assertThrows(CancelledException.class, u::await).getMessage());
            return null;
        });
    }

    @Test
    void awaitingACancelledTaskThrowsACopyCausedByTheOriginal() {
        runVirtual(() -> {
            CancelledException[] inside = new CancelledException[1];
            Task<Void> t = Async.spawn(() -> {
                try {
                    Async.sleep(HOUR);
                    return null;
                } catch (CancelledException e) {
                    inside[0] = e;
                    throw e;
                }
            });
            sleepMs(1);
            t.cancel("bye");
            CancelledException outside = assertThrows(CancelledException.class, t::await);
            assertEquals("bye", outside.getMessage());
            assertSame(inside[0], outside.getCause());
            return null;
        });
    }

    // ------------------------------------------------------------------ finally and shield

    @Test
    void finallyBlocksRunInEveryFrame() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<Void> t = Async.spawn(() -> {
                try {
                    outerHelper(events);
                } finally {
                    events.add("task finally");
                }
                return null;
            });
            sleepMs(1);
            t.cancel();
            assertThrows(CancelledException.class, t::await);
            return null;
        });
        assertEquals(List.of("inner finally", "outer finally", "task finally"), events);
    }

    private static void outerHelper(List<String> events) {
        try {
            innerHelper(events);
        } finally {
            events.add("outer finally");
        }
    }

    private static void innerHelper(List<String> events) {
        try {
            Async.sleep(HOUR);
        } finally {
            events.add("inner finally");
        }
    }

    @Test
    void shieldLetsCleanupAwaitAndTheCancellationResumesAfterIt() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<Void> t = Async.spawn(() -> {
                try {
                    Async.sleep(HOUR);
                } finally {
                    long t0 = now();
                    String r = Async.shield(() -> {
                        sleepMs(20);
                        Task<String> helper = Async.spawn(() -> {
                            sleepMs(5);
                            return "flushed";
                        });
                        return helper.await();
                    });
                    events.add(r + " after " + millisSince(t0) + " ms");
                    try {
                        Async.yieldNow();
                        events.add("no throw after the shield");
                    } catch (CancelledException e) {
                        events.add("cancelled again after the shield");
                    }
                }
                return null;
            });
            sleepMs(1);
            t.cancel();
            assertThrows(CancelledException.class, t::await);
            return null;
        });
        assertEquals(List.of("flushed after 25 ms", "cancelled again after the shield"), events);
    }

    @Test
    void aTaskCancelledWhileShieldedFinishesTheShieldedPartFirst() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                Async.shield(() -> {
                    sleepMs(50);
                    events.add("shielded part done");
                    return null;
                });
                events.add("after shield");
                sleepMs(1);
                return "unreachable";
            });
            sleepMs(10);
            long t0 = now();
            t.cancel("later");
            assertEquals("later", assertThrows(CancelledException.class, t::await).getMessage());
            assertEquals(40, millisSince(t0));
            return null;
        });
        assertEquals(List.of("shielded part done", "after shield"), events);
    }

    // ------------------------------------------------------------------ abandoned waits

    @Test
    void aCancelledAwaiterLeavesTheAwaitedTaskRunningAndIsNoLongerItsWaiter() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<String> awaited = Async.spawn(() -> {
                sleepMs(20);
                events.add("awaited finished");
                return "value";
            });
            Promise<String> other = new Promise<>();
            Task<String> awaiter = Async.spawn(() -> {
                try {
                    return awaited.await();
                } catch (CancelledException e) {
                    // Park again, shielded, on something else. If the abandoned wait were still
                    // registered, the awaited task's completion would wake us here by mistake.
                    return Async.shield(() -> "shielded " + other.await());
                }
            });
            sleepMs(10);
            awaiter.cancel();
            sleepMs(20);
            assertEquals(List.of("awaited finished"), events);
            assertEquals("value", awaited.resultNow());
            assertFalse(awaiter.isDone(), "the awaiter was woken by a wait it had abandoned");
            other.complete("other");
            assertEquals("shielded other", awaiter.await());
            return null;
        });
    }

    @Test
    void aCancelledAwaiterIsRemovedFromAPromisesWaiters() {
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            Promise<String> other = new Promise<>();
            Task<String> awaiter = Async.spawn(() -> {
                try {
                    return p.await();
                } catch (CancelledException e) {
                    return Async.shield(() -> other.await());
                }
            });
            Task<String> second = Async.spawn(() -> p.await());
            sleepMs(1);
            awaiter.cancel();
            sleepMs(1);
            p.complete("p");
            assertEquals("p", second.await(), "the other waiter is still woken");
            sleepMs(1);
            assertFalse(awaiter.isDone());
            other.complete("other");
            assertEquals("other", awaiter.await());
            return null;
        });
    }

    @Test
    void aWakeThatAlreadyHappenedIsNotTakenBack() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            Task<String> t = Async.spawn(() -> {
                String v = p.await();
                events.add("got " + v);
                try {
                    Async.yieldNow();
                } catch (CancelledException e) {
                    events.add("cancelled at the next point");
                    throw e;
                }
                return v;
            });
            sleepMs(1);
            // Complete (t is now scheduled with the value), then cancel before t runs again.
            p.complete("v");
            t.cancel();
            assertThrows(CancelledException.class, t::await);
            return null;
        });
        assertEquals(List.of("got v", "cancelled at the next point"), events);
    }

    // ------------------------------------------------------------------ who cancels

    @Test
    void aTaskCanCancelItselfAndACallbackCanCancelATask() {
        runVirtual(() -> {
            Task<String> self = Async.spawn(() -> {
                Task.current().cancel("myself");
                return "not suspended yet";
            });
            assertEquals("not suspended yet", self.await());
            Task<String> self2 = Async.spawn(() -> {
                Task.current().cancel("myself");
                Async.yieldNow();
                return "unreachable";
            });
            assertEquals("myself", assertThrows(CancelledException.class, self2::await).getMessage());

            Task<String> victim = Async.spawn(() -> {
                Async.sleep(HOUR);
                return "unreachable";
            });
            long t0 = now();
            Async.currentLoop().callLater(ms(15), () -> victim.cancel("from a timer"));
            assertEquals("from a timer", assertThrows(CancelledException.class, victim::await).getMessage());
            assertEquals(15, millisSince(t0));
            return null;
        });
    }

    @Test
    void cancellingTheMainTaskCancelsRunAsAWhole() {
        CancelledException e = assertThrows(CancelledException.class, () -> runVirtual(() -> {
            Task<?> main = Task.current();
            Async.currentLoop().callLater(ms(5), () -> main.cancel("main cancelled"));
            Async.sleep(HOUR);
            return null;
        }));
        assertEquals("main cancelled", e.getMessage());
    }
}
