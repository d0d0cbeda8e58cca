package io.jasyncio;

import static io.jasyncio.TestSupport.REAL_TIMEOUT_SECONDS;
import static io.jasyncio.TestSupport.assertThrowsWithMessage;
import static io.jasyncio.TestSupport.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.lowlevel.Abort;
import io.jasyncio.lowlevel.Suspension;
import io.jasyncio.lowlevel.Waker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MisuseTest {

    // ------------------------------------------------------------------ outside any loop

    @Test
    void suspendingOnAPlainThreadWithNoLoopFailsClearly() {
        String noLoop = "no event loop is running";
        assertThrowsWithMessage(IllegalStateException.class, () -> Async.sleep(Duration.ofMillis(1)), noLoop, "Async.run");
        assertThrowsWithMessage(IllegalStateException.class, () -> Async.sleep(1), noLoop);
        assertThrowsWithMessage(IllegalStateException.class, Async::yieldNow, noLoop);
        assertThrowsWithMessage(IllegalStateException.class, () -> Async.spawn(() -> 1), noLoop);
        assertThrowsWithMessage(IllegalStateException.class, Async::currentLoop, noLoop);
        assertThrowsWithMessage(IllegalStateException.class, Async::currentTask, noLoop);
        assertThrowsWithMessage(IllegalStateException.class, Task::current, noLoop);
        assertThrowsWithMessage(IllegalStateException.class, () -> Suspension.park(null), noLoop);
        assertThrowsWithMessage(IllegalStateException.class, () -> Async.await(new CompletableFuture<String>()), noLoop);
        assertThrowsWithMessage(IllegalStateException.class, Promise::new, noLoop);
    }

    @Test
    void awaitingAPendingAwaitableOutsideACoroutineFailsClearly() {
        EventLoop loop = new EventLoop();
        try {
            Promise<String> p = new Promise<>(loop);
            assertThrowsWithMessage(IllegalStateException.class, p::await, "outside a coroutine",
                    "toCompletableFuture()");
            assertThrowsWithMessage(IllegalStateException.class, () -> p.await(Duration.ofSeconds(1)), "no event loop");
            Task<String> t = loop.spawn(() -> "x");
            assertThrowsWithMessage(IllegalStateException.class, t::await, "outside a coroutine");
            assertThrowsWithMessage(IllegalStateException.class, () -> Async.gather(p), "no event loop");
        } finally {
            loop.close();
        }
    }

    @Test
    void suspendingInAPlainCallbackFailsClearly() {
        Map<String, Throwable> seen = new LinkedHashMap<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            Promise<String> p = new Promise<>();
            Map<String, Executable> calls = new LinkedHashMap<>();
            calls.put("await", p::await);
            calls.put("sleep", () -> Async.sleep(Duration.ofMillis(1)));
            calls.put("yieldNow", Async::yieldNow);
            calls.put("suspend", () -> Suspension.park(null));
            calls.put("await stage", () -> Async.await(new CompletableFuture<String>()));
            calls.put("gather", () -> Async.gather(p));
            calls.put("taskGroup", Async::taskGroup);
            calls.put("Task.current", Task::current);
            loop.callSoon(() -> calls.forEach((name, call) -> {
                try {
                    call.execute();
                } catch (Throwable e) {
                    seen.put(name, e);
                }
            }));
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("await", "sleep", "yieldNow", "suspend", "await stage", "gather", "taskGroup", "Task.current"),
                List.copyOf(seen.keySet()));
        seen.forEach((name, e) -> {
            assertTrue(e instanceof IllegalStateException, name + ": " + e);
            assertTrue(e.getMessage().contains("plain callback") || e.getMessage().contains("not inside a task"),
                    name + ": " + e.getMessage());
        });
        assertTrue(seen.get("await").getMessage().contains("Spawn a task"), seen.get("await").getMessage());
    }

    // ------------------------------------------------------------------ wrong thread

    @Test
    void loopMethodsFromAForeignThreadNameTheThreadSafeAlternative() throws Exception {
        Map<String, Throwable> seen = new LinkedHashMap<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            Promise<String> p = new Promise<>();
            Task<String> t = Async.spawn(() -> "t");
            Map<String, Executable> calls = new LinkedHashMap<>();
            calls.put("callSoon", () -> loop.callSoon(() -> {}));
            calls.put("callLater", () -> loop.callLater(Duration.ofMillis(1), () -> {}));
            calls.put("callAt", () -> loop.callAt(0, () -> {}));
            calls.put("spawn", () -> loop.spawn(() -> 1));
            calls.put("stop", loop::stop);
            calls.put("close", loop::close);
            calls.put("allTasks", loop::allTasks);
            calls.put("setDebug", () -> loop.setDebug(true));
            calls.put("setExceptionHandler", () -> loop.setExceptionHandler(null));
            calls.put("defaultExecutor", loop::defaultExecutor);
            calls.put("new Promise", () -> new Promise<String>(loop));
            calls.put("Promise.complete", () -> p.complete("x"));
            calls.put("Promise.fail", () -> p.fail(new RuntimeException()));
            calls.put("Promise.cancel", p::cancel);
            calls.put("Task.cancel", t::cancel);
            calls.put("addDoneCallback", () -> p.addDoneCallback(a -> {}));
            calls.put("toCompletableFuture", p::toCompletableFuture);
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread.ofPlatform().name("intruder").start(() -> {
                calls.forEach((name, call) -> {
                    try {
                        call.execute();
                    } catch (Throwable e) {
                        seen.put(name, e);
                    }
                });
                done.complete(null);
            });
            Async.await(done);
            assertFalse(p.isDone(), "nothing the intruder did may have taken effect");
            assertFalse(loop.isClosed());
            return t.await();
        });
        List<String> expected = List.of("callSoon", "callLater", "callAt", "spawn", "stop", "close", "allTasks", "setDebug",
                "setExceptionHandler", "defaultExecutor", "new Promise", "Promise.complete", "Promise.fail", "Promise.cancel",
                "Task.cancel", "addDoneCallback", "toCompletableFuture");
        assertEquals(expected, List.copyOf(seen.keySet()));
        seen.forEach((name, e) -> {
            assertTrue(e instanceof WrongThreadException, name + ": " + e);
            assertTrue(e.getMessage().contains("callSoonThreadsafe"), name + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("'intruder'"), name + ": " + e.getMessage());
        });
    }

    @Test
    void threadSafeMethodsWorkFromAnyThread() throws Exception {
        EventLoop loop = new EventLoop();
        try {
            CompletableFuture<String> r = CompletableFuture.supplyAsync(() -> {
                long t = loop.time();
                assertFalse(loop.isRunning());
                assertFalse(loop.isClosed());
                loop.callSoonThreadsafe(loop::stop);
                return "t=" + (t != 0);
            });
            assertEquals("t=true", r.get(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            loop.runForever();
        } finally {
            loop.close();
        }
    }

    @Test
    void aPromiseCompletedFromAForeignThreadFailsAndTheThreadSafeWayWorks() {
        String r = runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            Promise<String> p = new Promise<>();
            CompletableFuture<Throwable> attempt = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    p.complete("direct");
                    attempt.complete(null);
                } catch (Throwable e) {
                    attempt.complete(e);
                }
                loop.callSoonThreadsafe(() -> p.complete("threadsafe"));
            });
            Throwable e = Async.await(attempt);
            assertTrue(e instanceof WrongThreadException, String.valueOf(e));
            assertTrue(e.getMessage().contains("Promise.complete") && e.getMessage().contains("callSoonThreadsafe"),
                    e.getMessage());
            return p.await();
        });
        assertEquals("threadsafe", r);
    }

    // ------------------------------------------------------------------ self-await, Waker

    @Test
    void aTaskAwaitingItselfFails() {
        runVirtual(() -> {
            Task<String>[] self = new Task[1];
            self[0] = Async.spawn(() -> {
                Async.yieldNow();
                try {
                    self[0].await();
                    return "no error";
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            });
            String m = self[0].await();
            assertTrue(m.contains("cannot await itself"), m);
            Task<?> me = Task.current();
            assertThrowsWithMessage(IllegalStateException.class, me::await, "cannot await itself");
            assertThrowsWithMessage(IllegalStateException.class, () -> me.await(Duration.ofSeconds(1)), "cannot await itself");
            return null;
        });
    }

    @Test
    void aWakerOnlyWakesATaskParkedInSuspensionPark() {
        runVirtual(() -> {
            Task<String> sleeper = Async.spawn(() -> {
                Async.sleep(Duration.ofHours(1));
                return "slept";
            });
            Task<Object> suspended = Async.spawn(() -> Suspension.park(null));
            Async.yieldNow();
            assertThrowsWithMessage(IllegalStateException.class, () -> Waker.of(sleeper).wake("x"), "not suspended in Suspension.park");
            Waker.of(suspended).wake("value");
            assertThrowsWithMessage(IllegalStateException.class, () -> Waker.of(suspended).wake("again"), "already woken");
            assertEquals("value", suspended.await());
            assertThrows(IllegalStateException.class, () -> Waker.of(suspended).wake("done"));
            sleeper.cancel();

            // Cancelled while suspended: the abort hook ran, and a late wake is an error.
            boolean[] aborted = {false};
            Task<Object> cancelled = Async.spawn(() -> Suspension.park(Abort.undo(() -> aborted[0] = true)));
            Async.yieldNow();
            cancelled.cancel();
            assertThrowsWithMessage(IllegalStateException.class, () -> Waker.of(cancelled).wake("late"), "not suspended");
            assertThrows(CancelledException.class, cancelled::await);
            assertTrue(aborted[0]);

            // Already cancelled: suspend throws at once and does not run the abort hook.
            boolean[] abortedEarly = {false};
            Task<Object> early = Async.spawn(() -> {
                Task.current().cancel();
                return Suspension.park(Abort.undo(() -> abortedEarly[0] = true));
            });
            assertThrows(CancelledException.class, early::await);
            assertFalse(abortedEarly[0]);
            return null;
        });
    }

    @Test
    void awaitingAnAwaitableOfAnotherLoopFails() {
        EventLoop other = new EventLoop();
        try {
            Promise<String> foreign = new Promise<>(other);
            runVirtual(() -> {
                assertThrowsWithMessage(IllegalStateException.class, foreign::await, "another event loop",
                        "toCompletableFuture");
                return null;
            });
        } finally {
            other.close();
        }
    }

    // ------------------------------------------------------------------ loop lifecycle

    @Test
    void usingAClosedLoopFailsWithLoopClosedException() {
        EventLoop loop = new EventLoop();
        Promise<String> p = new Promise<>(loop);
        loop.close();
        List<Executable> calls = List.of(
                () -> loop.run(() -> 1),
                () -> loop.runUntilComplete(() -> 1),
                () -> loop.runUntilComplete(p),
                loop::runForever,
                () -> loop.callSoon(() -> {}),
                () -> loop.callLater(Duration.ZERO, () -> {}),
                () -> loop.callSoonThreadsafe(() -> {}),
                () -> loop.spawn(() -> 1),
                () -> loop.submit(() -> 1),
                loop::defaultExecutor);
        for (Executable call : calls) {
            assertThrowsWithMessage(LoopClosedException.class, call, "closed");
        }
        assertTrue(loop.isClosed());
        assertFalse(loop.isRunning());
    }

    @Test
    void startingALoopInsideARunningOneFails() {
        List<Throwable> seen = new ArrayList<>();
        EventLoop[] nested = new EventLoop[2];
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            record Attempt(String name, Executable call) {
            }
            List<Attempt> attempts = List.of(
                    new Attempt("Async.run", () -> Async.run(() -> 1)),
                    new Attempt("other loop runForever", () -> {
                        nested[0] = new EventLoop();
                        nested[0].runForever();
                    }),
                    new Attempt("other loop run", () -> {
                        nested[1] = new EventLoop();
                        nested[1].run(() -> 1);
                    }),
                    new Attempt("own runForever", loop::runForever),
                    new Attempt("own runUntilComplete", () -> loop.runUntilComplete(() -> 1)),
                    new Attempt("own run", () -> loop.run(() -> 1)));
            for (Attempt a : attempts) {
                try {
                    a.call().execute();
                    seen.add(new AssertionError(a.name() + " did not fail"));
                } catch (Throwable e) {
                    seen.add(e);
                }
            }
            assertTrue(loop.isRunning());
            assertFalse(loop.isClosed());
            assertFalse(nested[0].isClosed(), "runForever leaves the loop open");
            nested[0].close(); // on the thread that made it (with the portable engine, this coroutine's)
            return null;
        });
        assertTrue(nested[1].isClosed(), "run() closes its loop even when it could not start");
        for (Throwable e : seen) {
            assertTrue(e instanceof IllegalStateException && !(e instanceof LoopClosedException), String.valueOf(e));
            assertTrue(e.getMessage().contains("cannot start an event loop while another one is running"),
                    e.getMessage());
        }
        assertEquals(6, seen.size());
    }

    @Test
    void runningALoopThatIsRunningOnAnotherThreadFails() throws Exception {
        CompletableFuture<EventLoop> started = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform().name("runner").start(() -> Async.run(() -> {
            started.complete(Async.currentLoop());
            Async.await(stop);
            return null;
        }));
        try {
            EventLoop loop = started.get(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThrowsWithMessage(IllegalStateException.class, loop::runForever, "already running", "'runner'");
            assertThrowsWithMessage(IllegalStateException.class, () -> loop.run(() -> 1), "already running", "'runner'");
            assertTrue(loop.isRunning());
        } finally {
            stop.complete(null);
            runner.join(TimeUnit.SECONDS.toMillis(REAL_TIMEOUT_SECONDS));
        }
        assertFalse(runner.isAlive());
    }

    // ------------------------------------------------------------------ bad arguments

    @Test
    void nullArgumentsAreRejectedAtOnce() {
        EventLoop loop = new EventLoop();
        try {
            assertThrows(NullPointerException.class, () -> loop.spawn(null));
            assertThrows(NullPointerException.class, () -> loop.callSoon(null));
            assertThrows(NullPointerException.class, () -> loop.submit(null));
            assertThrows(NullPointerException.class, () -> loop.run(null));
            assertThrows(NullPointerException.class, () -> EventLoop.builder().clock(null));
            assertThrows(NullPointerException.class, () -> EventLoop.builder().engine(null));
            assertNull(loop.exceptionHandler());
        } finally {
            loop.close();
        }
        runVirtual(() -> {
            assertThrows(NullPointerException.class, () -> Async.sleep(null));
            assertThrows(NullPointerException.class, () -> Async.await((CompletableFuture<String>) null));
            assertThrows(NullPointerException.class, () -> Async.spawn(null));
            assertThrows(NullPointerException.class, () -> Async.gather((List<Awaitable<String>>) null));
            assertThrows(NullPointerException.class, () -> Async.runInExecutor(null, () -> 1));
            assertThrows(NullPointerException.class, () -> CancelScope.create().run(null));
            assertThrows(NullPointerException.class, () -> new Promise<String>().addDoneCallback(null));
            return null;
        });
    }
}
