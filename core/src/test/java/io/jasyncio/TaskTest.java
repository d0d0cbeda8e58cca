package io.jasyncio;

import static io.jasyncio.TestSupport.assertThrowsWithMessage;
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

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void spawnRunsACallableAndAwaitReturnsItsValue() {
        int r = runVirtual(() -> {
            Task<Integer> t = Async.spawn(() -> {
                sleepMs(10);
                return 21;
            });
            assertFalse(t.isDone());
            return t.await() * 2;
        });
        assertEquals(42, r);
    }

    @Test
    void spawnedTasksRunConcurrently() {
        runVirtual(() -> {
            long t0 = now();
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                int n = i;
                ts.add(Async.spawn(() -> {
                    sleepMs(100);
                    return n;
                }));
            }
            int sum = 0;
            for (Task<Integer> t : ts) {
                sum += t.await();
            }
            assertEquals(55, sum);
            assertEquals(100, millisSince(t0), "ten 100 ms sleeps in parallel take 100 ms");
            return null;
        });
    }

    @Test
    void aTaskSpawnedOnAnIdleLoopStartsWhenTheLoopRuns() {
        EventLoop loop = VirtualTestClock.loopOn(new VirtualTestClock()).build();
        try {
            List<String> ran = new ArrayList<>();
            Task<String> t = loop.spawn("early", () -> {
                ran.add("ran");
                return "early";
            });
            assertEquals(List.of(), ran);
            assertEquals("early", loop.runUntilComplete(t));
            assertEquals(List.of("ran"), ran);
        } finally {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ any call depth

    @Test
    void awaitWorksFromDeepInsidePlainHelperMethods() {
        int r = runVirtual(() -> {
            Promise<Integer> p = new Promise<>();
            Async.currentLoop().callLater(ms(5), () -> p.complete(1));
            return recurse(40, p);
        });
        assertEquals(1 + 40 * 3, r);
    }

    private static int recurse(int depth, Promise<Integer> p) {
        if (depth == 0) {
            return helperThatAwaits(p);
        }
        sleepMs(1);
        Async.yieldNow();
        Task<Integer> inner = Async.spawn(() -> 1);
        return recurse(depth - 1, p) + inner.await() + 2;
    }

    private static int helperThatAwaits(Promise<Integer> p) {
        return Async.await(p);
    }

    @Test
    void aTaskMaySuspendWhileHoldingAMonitor() {
        Object lock = new Object();
        int r = runVirtual(() -> {
            Task<Integer> other = Async.spawn(() -> {
                sleepMs(5);
                return 2;
            });
            synchronized (lock) {
                sleepMs(10);
                return other.await() + 1;
            }
        });
        assertEquals(3, r);
    }

    // ------------------------------------------------------------------ state and results

    @Test
    void stateAndResultAccessorsOfASuccessfulTask() {
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                sleepMs(5);
                return "ok";
            });
            assertEquals(Awaitable.State.PENDING, t.state());
            assertFalse(t.isDone());
            assertFalse(t.isCancelled());
            assertThrowsWithMessage(IllegalStateException.class, t::resultNow, "not done");
            assertThrowsWithMessage(IllegalStateException.class, t::exceptionNow, "not done");
            assertEquals("ok", t.await());
            assertEquals(Awaitable.State.SUCCESS, t.state());
            assertTrue(t.isDone());
            assertFalse(t.isCancelled());
            assertEquals("ok", t.resultNow());
            assertNull(t.exceptionNow());
            assertTrue(t.toString().contains("result=ok"), t.toString());
            assertSame(Async.currentLoop(), t.loop());
            return null;
        });
    }

    @Test
    void stateAndResultAccessorsOfAFailedTask() {
        IllegalStateException boom = new IllegalStateException("boom");
        IOException io = new IOException("io");
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                sleepMs(1);
                throw boom;
            });
            Task<String> checked = Async.spawn(() -> {
                throw io;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, t::await));
            assertEquals(Awaitable.State.FAILED, t.state());
            assertTrue(t.isDone());
            assertFalse(t.isCancelled());
            assertSame(boom, assertThrows(IllegalStateException.class, t::resultNow));
            assertSame(boom, t.exceptionNow());
            assertTrue(t.toString().contains("failed"), t.toString());

            CompletionException w = assertThrows(CompletionException.class, checked::await);
            assertSame(io, w.getCause());
            assertSame(io, assertThrows(CompletionException.class, checked::resultNow).getCause());
            assertSame(io, checked.exceptionNow());
            return null;
        });
    }

    @Test
    void stateAndResultAccessorsOfACancelledTask() {
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                sleepMs(1000);
                return "never";
            });
            sleepMs(1);
            assertFalse(t.isCancelRequested());
            assertTrue(t.cancel("enough"));
            assertTrue(t.isCancelRequested());
            assertFalse(t.isDone(), "cancel() only asks; the task ends at its suspension point");
            CancelledException e = assertThrows(CancelledException.class, t::await);
            assertEquals("enough", e.getMessage());
            assertEquals(Awaitable.State.CANCELLED, t.state());
            assertTrue(t.isCancelled());
            assertTrue(t.isDone());
            assertEquals("enough", assertThrows(CancelledException.class, t::resultNow).getMessage());
            assertEquals("enough", assertThrows(CancelledException.class, t::exceptionNow).getMessage());
            assertFalse(t.cancel(), "cancelling a finished task returns false");
            assertTrue(t.toString().contains("cancelled"), t.toString());
            return null;
        });
    }

    @Test
    void everyAwaiterOfATaskIsWokenInTheOrderTheyBeganToWait() {
        List<Integer> order = new ArrayList<>();
        runVirtual(() -> {
            Task<String> target = Async.spawn(() -> {
                sleepMs(10);
                return "v";
            });
            List<Task<?>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                waiters.add(Async.spawn(() -> {
                    sleepMs(5 - n); // begin waiting in the order 4, 3, 2, 1, 0
                    assertEquals("v", target.await());
                    order.add(n);
                    return null;
                }));
            }
            Async.gather(waiters);
            return null;
        });
        assertEquals(List.of(4, 3, 2, 1, 0), order);
    }

    // ------------------------------------------------------------------ done callbacks

    @Test
    void doneCallbacksRunSoonAfterCompletionInTheOrderAdded() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                sleepMs(10);
                events.add("task returns");
                return "v";
            });
            t.addDoneCallback(a -> events.add("first " + a.resultNow()));
            t.addDoneCallback(a -> {
                assertSame(t, a);
                events.add("second");
            });
            Async.currentLoop().callLater(ms(10), () -> events.add("timer due with the task"));
            t.await();
            events.add("awaiter resumed");
            Async.yieldNow();
            return null;
        });
        // Callbacks go through callSoon at completion: after the task's step, never inside it,
        // and in registration order relative to the awaiter that registered after them.
        assertEquals(List.of("timer due with the task", "task returns", "first v", "second", "awaiter resumed"), events);
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistrationOfThatCallback() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            Consumer<Awaitable<String>> a = x -> events.add("a");
            Consumer<Awaitable<String>> b = x -> events.add("b");
            p.addDoneCallback(a);
            p.addDoneCallback(b);
            p.addDoneCallback(a);
            assertEquals(2, p.removeDoneCallback(a));
            assertEquals(0, p.removeDoneCallback(a));
            assertEquals(0, p.removeDoneCallback(x -> {}));
            p.complete("x");
            sleepMs(1);
            // A single registration is removable too.
            Promise<String> q = new Promise<>();
            q.addDoneCallback(b);
            assertEquals(1, q.removeDoneCallback(b));
            q.complete("y");
            sleepMs(1);
            return null;
        });
        assertEquals(List.of("b"), events);
    }

    @Test
    void aDoneCallbackAddedAfterCompletionIsScheduledNotRunInline() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> "v");
            t.await();
            t.addDoneCallback(a -> events.add("callback " + a.resultNow()));
            events.add("after addDoneCallback");
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("after addDoneCallback", "callback v"), events);
    }

    @Test
    void aThrowingDoneCallbackIsReportedToTheExceptionHandler() {
        List<ErrorReport> reports = TestSupport.reports();
        RuntimeException boom = new RuntimeException("callback boom");
        runVirtual(reports, () -> {
            Task<String> t = Async.spawn(() -> "v");
            t.addDoneCallback(a -> {
                throw boom;
            });
            t.await();
            Async.yieldNow();
            return null;
        });
        assertEquals(1, reports.size());
        assertSame(boom, reports.get(0).exception());
    }

    // ------------------------------------------------------------------ names, current, allTasks

    @Test
    void tasksAreNamedTaskNUnlessNamedAndCanBeRenamed() {
        EventLoop loop = VirtualTestClock.loopOn(new VirtualTestClock()).build();
        try {
            Task<Integer> a = loop.spawn(() -> 1);
            Task<Integer> b = loop.spawn(() -> 2);
            Task<Integer> c = loop.spawn("custom", () -> 3);
            Task<Integer> d = loop.spawn(() -> 4);
            assertEquals("Task-1", a.getName());
            assertEquals("Task-2", b.getName());
            assertEquals("custom", c.getName());
            assertEquals("Task-4", d.getName());
            b.setName("renamed");
            assertEquals("renamed", b.getName());
            assertTrue(b.toString().contains("renamed"), b.toString());
            assertThrows(NullPointerException.class, () -> b.setName(null));
            assertEquals(4, loop.runUntilComplete(d));
        } finally {
            loop.close();
        }
    }

    @Test
    void taskCurrentIsTheRunningTaskAtAnyDepth() {
        runVirtual(() -> {
            Task<?> main = Task.current();
            assertSame(main, Async.currentTask());
            Task<?>[] seen = new Task<?>[2];
            Task<String> child = Async.spawn("child", () -> {
                seen[0] = Task.current();
                sleepMs(1);
                seen[1] = currentFromHelper();
                return null;
            });
            child.await();
            assertSame(child, seen[0]);
            assertSame(child, seen[1]);
            assertSame(main, Task.current(), "after awaiting, the main task is current again");
            return null;
        });
    }

    private static Task<?> currentFromHelper() {
        return Task.current();
    }

    @Test
    void allTasksListsUnfinishedTasksInSpawnOrder() {
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            Task<?> main = Task.current();
            assertEquals(List.of(main), loop.allTasks());
            Task<String> a = Async.spawn(() -> {
                sleepMs(10);
                return "a";
            });
            Task<String> b = Async.spawn(() -> {
                sleepMs(20);
                return "b";
            });
            Task<String> quick = Async.spawn(() -> "quick");
            assertEquals(List.of(main, a, b, quick), loop.allTasks(), "not yet started tasks count");
            quick.await();
            assertEquals(List.of(main, a, b), loop.allTasks());
            a.await();
            assertEquals(List.of(main, b), loop.allTasks());
            b.await();
            assertEquals(List.of(main), loop.allTasks());
            return null;
        });
    }

    // ------------------------------------------------------------------ awaiting what is done

    @Test
    void awaitingSomethingAlreadyDoneNeverSuspends() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<String> done = Async.spawn(() -> "d");
            done.await();
            Promise<String> p = new Promise<>();
            p.complete("p");
            Promise<String> failed = new Promise<>();
            failed.fail(new IllegalStateException("f"));
            CompletableFuture<String> cf = CompletableFuture.completedFuture("cf");

            // This task is ready the whole time: if any await below suspended, it would run.
            Async.spawn(() -> events.add("other task ran"));
            events.add("main " + done.await() + p.await() + Async.await(cf) + p.await(ms(0)));
            assertThrows(IllegalStateException.class, failed::await);
            events.add("main still running");
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("main dpcfp", "main still running", "other task ran"), events);
    }

    @Test
    void aCancelledTaskStillReadsWhatIsAlreadyDone() {
        String r = runVirtual(() -> {
            Promise<String> p = new Promise<>();
            p.complete("value");
            Task<?> me = Task.current();
            me.cancel("cancelled");
            // Awaiting a done awaitable is not a suspension point, so it does not throw.
            String v = p.await();
            assertThrows(CancelledException.class, Async::yieldNow);
            return v;
        });
        assertEquals("value", r);
    }

    // ------------------------------------------------------------------ awaiting a task that has not started

    @Test
    void awaitingATaskThatHasNotStartedRunsItAtOnceWithoutSuspending() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<?> main = Task.current();
            Async.spawn(() -> events.add("ready earlier"));
            Task<Integer> child = Async.spawn(() -> {
                events.add("child");
                assertFalse(main == Task.current(), "the child runs as itself");
                return 7;
            });
            int v = child.await();
            assertSame(main, Task.current(), "the awaiter is the current task again");
            events.add("awaiter got " + v);
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("child", "awaiter got 7", "ready earlier"), events);
    }

    @Test
    void awaitingATaskThatHasNotStartedAndThenSuspendsParksTheAwaiterUntilItEnds() {
        List<String> events = new ArrayList<>();
        int r = runVirtual(() -> {
            Task<Integer> child = Async.spawn(() -> {
                events.add("child starts");
                sleepMs(50);
                events.add("child ends");
                return 5;
            });
            Async.spawn(() -> events.add("other"));
            int v = child.await();
            events.add("awaiter");
            assertEquals(List.of("child starts", "other", "child ends", "awaiter"), events);
            return v;
        });
        assertEquals(5, r);
    }

    @Test
    void aTaskStartedByItsAwaiterThatCancelsTheAwaiterAndSuspendsCancelsTheAwait() {
        runVirtual(() -> {
            Task<?> main = Task.current();
            Task<Integer> child = Async.spawn(() -> {
                main.cancel("by the child");
                sleepMs(10);
                return 1;
            });
            CancelledException e = assertThrows(CancelledException.class, child::await);
            assertEquals("by the child", e.getMessage());
            assertFalse(child.isDone(), "cancelling the awaiter does not cancel the task it awaited");
            child.cancel();
            return null;
        });
    }

    @Test
    void aTaskThatFailsWhileStartedByItsAwaiterHandsTheFailureToTheAwait() {
        IllegalStateException boom = new IllegalStateException("boom");
        runVirtual(() -> {
            Task<Object> child = Async.spawn(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, child::await));
            assertTrue(child.isDone());
            return null;
        });
    }

    /**
     * A task started by its awaiter from the middle of the ready queue keeps its old place there
     * until the loop gets to it and drops it; when the task is scheduled again meanwhile, it still
     * runs once per turn, in FIFO order, never twice in one iteration.
     */
    @Test
    void aTaskStartedByItsAwaiterAndScheduledAgainRunsOncePerTurnInOrder() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<Void> u = Async.spawn(() -> turns(events, "u"));
            Task<Void> t = Async.spawn(() -> turns(events, "t"));
            Task<Void> w = Async.spawn(() -> turns(events, "w"));
            t.await(); // starts t here, between u and w; t yields, so this parks
            u.await();
            w.await();
            return null;
        });
        assertEquals(List.of("t1", "u1", "w1", "t2", "u2", "w2", "t3", "u3", "w3"), events);
    }

    /**
     * The awaited task's entry can be the last of those the current iteration is running: taking
     * it out must not make the iteration look for one more entry than was ready when it began.
     */
    @Test
    void startingATaskThatThisIterationWasAboutToRunKeepsTheIterationsCount() {
        List<String> events = new ArrayList<>();
        String r = runVirtual(() -> {
            Promise<Void> woken = new Promise<>();
            List<Task<String>> spawned = new ArrayList<>();
            Async.spawn(() -> {
                woken.complete(null); // main is ready first, then the new task: [main, t]
                spawned.add(Async.spawn(() -> {
                    events.add("t");
                    return "t";
                }));
                return null;
            });
            woken.await();
            events.add("main awaits t");
            return spawned.get(0).await(); // starts t, the last entry of this iteration
        });
        assertEquals("t", r);
        assertEquals(List.of("main awaits t", "t"), events);
    }

    private static Void turns(List<String> events, String name) {
        for (int i = 1; i <= 3; i++) {
            events.add(name + i);
            if (i < 3) {
                Async.yieldNow();
            }
        }
        return null;
    }

    /** Each level awaits the next as soon as it spawns it: far deeper than a thread stack could nest. */
    @Test
    void aDeepChainOfTasksEachAwaitingTheNextDoesNotOverflowTheStack() {
        int depth = 20_000;
        int r = runVirtual(() -> chain(depth));
        assertEquals(depth, r);
    }

    private static int chain(int n) {
        return n == 0 ? 0 : 1 + Async.spawn(() -> chain(n - 1)).await();
    }
}
