package io.jasyncio;

import static io.jasyncio.TestSupport.REAL_TIMEOUT_SECONDS;
import static io.jasyncio.TestSupport.assertThrowsWithMessage;
import static io.jasyncio.TestSupport.millisSince;
import static io.jasyncio.TestSupport.ms;
import static io.jasyncio.TestSupport.now;
import static io.jasyncio.TestSupport.runVirtual;
import static io.jasyncio.TestSupport.sleepMs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.time.LoopClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    // ------------------------------------------------------------------ run (asyncio.run)

    @Test
    void runReturnsTheMainCoroutinesValue() {
        assertEquals(42, Async.run(() -> 42));
        assertEquals("done", runVirtual(() -> {
            sleepMs(5);
            return "done";
        }));
    }

    @Test
    void runRethrowsMainsUncheckedFailureItselfAndWrapsACheckedOne() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Async.run(() -> {
            throw boom;
        })));
        IOException io = new IOException("io");
        CompletionException wrapped = assertThrows(CompletionException.class, () -> Async.run(() -> {
            throw io;
        }));
        assertSame(io, wrapped.getCause());
    }

    @Test
    void runCancelsAndDrainsRemainingTasksThenClosesTheLoop() {
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicReference<EventLoop> loop = new AtomicReference<>();
        List<Task<?>> leftOver = new ArrayList<>();
        String r = runVirtual(() -> {
            loop.set(Async.currentLoop());
            leftOver.add(Async.spawn("sleeper", () -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return "never";
                } catch (CancelledException e) {
                    events.add("sleeper cancelled: " + e.getMessage());
                    throw e;
                } finally {
                    events.add("sleeper finally");
                }
            }));
            leftOver.add(Async.spawn("polite", () -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return "never";
                } finally {
                    // Cleanup that itself awaits: the drain must keep running the loop for it.
                    Async.shield(() -> {
                        sleepMs(10);
                        events.add("polite cleanup done");
                        return null;
                    });
                }
            }));
            sleepMs(1); // let both start
            return "main";
        });
        assertEquals("main", r);
        assertTrue(events.contains("sleeper cancelled: the event loop is shutting down"), events.toString());
        assertTrue(events.contains("sleeper finally"), events.toString());
        assertTrue(events.contains("polite cleanup done"), events.toString());
        for (Task<?> t : leftOver) {
            assertTrue(t.isCancelled(), t.toString());
        }
        assertTrue(loop.get().isClosed());
        assertFalse(loop.get().isRunning());
    }

    @Test
    void runShutsTheDefaultExecutorDownAndWaitsForItsRunningCalls() throws Exception {
        AtomicReference<ExecutorService> executor = new AtomicReference<>();
        CountDownLatch callStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean callFinished = new AtomicBoolean();
        // Releases the blocked call only once shutdown has begun: if run() did not wait for the
        // executor's calls, it would return before the call could finish.
        Thread releaser = Thread.ofPlatform().daemon().start(() -> {
            try {
                assertTrue(callStarted.await(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REAL_TIMEOUT_SECONDS);
                while (!executor.get().isShutdown() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                release.countDown();
            }
        });
        Async.run(() -> {
            executor.set(Async.currentLoop().defaultExecutor());
            Async.spawn(() -> Async.toThread(() -> {
                callStarted.countDown();
                release.await();
                callFinished.set(true);
                return null;
            }));
            Async.toThread(() -> callStarted.await(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            return null;
        });
        assertTrue(callFinished.get(), "run() returned before the default executor's call finished");
        assertTrue(executor.get().isShutdown());
        assertTrue(executor.get().isTerminated());
        releaser.join();
    }

    @Test
    void mainTaskIsNamedMainAndOtherTasksAreNumbered() {
        runVirtual(() -> {
            assertEquals("main", Task.current().getName());
            Task<String> t = Async.spawn(() -> "x");
            assertTrue(t.getName().matches("Task-\\d+"), t.getName());
            return null;
        });
    }

    // ------------------------------------------------------------------ runUntilComplete, runForever, stop

    @Test
    void runUntilCompleteLeavesTheLoopAndOtherTasksInPlace() {
        VirtualTestClock clock = new VirtualTestClock();
        EventLoop loop = VirtualTestClock.loopOn(clock).build();
        try {
            AtomicReference<Task<String>> background = new AtomicReference<>();
            int first = loop.runUntilComplete(() -> {
                background.set(Async.spawn(() -> {
                    sleepMs(100);
                    return "background";
                }));
                sleepMs(10);
                return 1;
            });
            assertEquals(1, first);
            assertFalse(loop.isRunning());
            assertFalse(loop.isClosed());
            assertFalse(background.get().isDone(), "runUntilComplete must not cancel other tasks");
            assertFalse(background.get().isCancelled());
            // The loop can run again, and the background task continues where it was.
            String second = loop.runUntilComplete(() -> background.get().await() + "+again");
            assertEquals("background+again", second);
            assertEquals(loop.allTasks(), List.of());
        } finally {
            loop.close();
        }
        assertTrue(loop.isClosed());
    }

    @Test
    void runUntilCompleteOfAnAwaitableReturnsItsValueOrThrowsItsFailure() {
        EventLoop loop = VirtualTestClock.loopOn(new VirtualTestClock()).build();
        try {
            Promise<String> p = new Promise<>(loop);
            loop.callLater(ms(20), () -> p.complete("later"));
            assertEquals("later", loop.runUntilComplete(p));

            Promise<String> failing = new Promise<>(loop);
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            loop.callSoon(() -> failing.fail(boom));
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(failing)));

            Task<Integer> t = loop.spawn(() -> 7);
            assertEquals(7, loop.runUntilComplete(t));
        } finally {
            loop.close();
        }
    }

    @Test
    void aRunUntilCompleteStoppedEarlyLeavesNothingBehindThatStopsALaterRun() {
        EventLoop loop = VirtualTestClock.loopOn(new VirtualTestClock()).build();
        try {
            Promise<String> p = new Promise<>(loop);
            loop.callSoon(loop::stop);
            assertThrowsWithMessage(IllegalStateException.class, () -> loop.runUntilComplete(p), "not done");
            assertFalse(loop.isRunning());

            List<String> ran = new ArrayList<>();
            loop.callLater(ms(10), () -> p.complete("completed during a later run"));
            loop.callLater(ms(20), () -> ran.add("still running after p completed"));
            loop.callLater(ms(30), loop::stop);
            loop.runForever();
            assertEquals(List.of("still running after p completed"), ran,
                    "the earlier runUntilComplete's hook on p stopped an unrelated runForever");
        } finally {
            loop.close();
        }
    }

    @Test
    void runUntilCompleteRejectsAnAwaitableOfAnotherLoop() {
        EventLoop a = new EventLoop();
        EventLoop b = new EventLoop();
        try {
            Promise<String> p = new Promise<>(a);
            assertThrowsWithMessage(IllegalArgumentException.class, () -> b.runUntilComplete(p), "another event loop");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void stopEndsRunForeverAfterTheCurrentIteration() {
        EventLoop loop = new EventLoop();
        try {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> ran.add("a"));
            loop.callSoon(() -> {
                ran.add("stop");
                loop.stop();
                loop.callSoon(() -> ran.add("next iteration"));
            });
            loop.callSoon(() -> ran.add("b"));
            loop.runForever();
            assertEquals(List.of("a", "stop", "b"), ran, "the iteration that called stop() completes");
            assertFalse(loop.isRunning());
            ran.clear();
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("next iteration"), ran, "work left over runs when the loop runs again");
        } finally {
            loop.close();
        }
    }

    @Test
    void runForeverRunsTasksAndTimersUntilStopped() {
        VirtualTestClock clock = new VirtualTestClock();
        EventLoop loop = VirtualTestClock.loopOn(clock).build();
        try {
            long t0 = loop.time();
            List<String> ran = new ArrayList<>();
            loop.spawn(() -> {
                sleepMs(30);
                ran.add("task");
                Async.currentLoop().stop();
                return null;
            });
            loop.callLater(ms(10), () -> ran.add("timer"));
            loop.runForever();
            assertEquals(List.of("timer", "task"), ran);
            assertEquals(ms(30).toNanos(), loop.time() - t0);
        } finally {
            loop.close();
        }
    }

    @Test
    void stopFromAnotherThreadWakesALoopBlockedInSelect() throws Exception {
        CompletableFuture<EventLoop> started = new CompletableFuture<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        Thread runner = Thread.ofPlatform().name("loop-runner").start(() -> {
            EventLoop loop = new EventLoop();
            try {
                loop.callSoon(() -> started.complete(loop));
                loop.runForever(); // nothing scheduled after the first callback: blocks in select
                ran.add("returned");
            } finally {
                loop.close();
            }
        });
        EventLoop loop = started.get(REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        awaitBlockedInSelect(runner);
        loop.callSoonThreadsafe(() -> {
            ran.add("threadsafe callback on " + Thread.currentThread().getName());
            loop.stop();
        });
        runner.join(TimeUnit.SECONDS.toMillis(REAL_TIMEOUT_SECONDS));
        assertFalse(runner.isAlive(), "callSoonThreadsafe did not wake the loop");
        assertEquals(List.of("threadsafe callback on loop-runner", "returned"), ran);
        assertTrue(loop.isClosed());
    }

    /** Spins until {@code t} is parked inside Selector.select (observed through its stack). */
    static void awaitBlockedInSelect(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REAL_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            boolean inSelect = Arrays.stream(t.getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals("select") && f.getClassName().contains("Selector"));
            if (inSelect) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the loop thread never blocked in select");
    }

    @Test
    void callSoonThreadsafeFromManyThreadsRunsEverythingInPerThreadOrder() throws Exception {
        int threads = 4, each = 500;
        List<int[]> seen = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            Promise<Void> all = new Promise<>();
            int[] count = {0};
            List<Thread> ts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int id = i;
                ts.add(Thread.ofPlatform().start(() -> {
                    for (int k = 0; k < each; k++) {
                        int seq = k;
                        loop.callSoonThreadsafe(() -> {
                            seen.add(new int[] {id, seq});
                            if (++count[0] == threads * each) {
                                all.complete(null);
                            }
                        });
                    }
                }));
            }
            all.await();
            for (Thread t : ts) {
                t.join();
            }
            return null;
        });
        assertEquals(threads * each, seen.size());
        int[] next = new int[threads];
        for (int[] s : seen) {
            assertEquals(next[s[0]]++, s[1], "callbacks from one thread must run in submission order");
        }
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeIsIdempotentAndDropsPendingWork() {
        EventLoop loop = new EventLoop();
        AtomicBoolean ran = new AtomicBoolean();
        loop.callSoon(() -> ran.set(true));
        loop.callLater(ms(1), () -> ran.set(true));
        loop.close();
        assertTrue(loop.isClosed());
        loop.close(); // no error the second time
        assertTrue(loop.isClosed());
        assertFalse(ran.get());
        assertThrowsWithMessage(LoopClosedException.class, () -> loop.callSoon(() -> {}), "closed");
        assertThrowsWithMessage(LoopClosedException.class, () -> loop.callSoonThreadsafe(() -> {}), "closed");
    }

    @Test
    void closeWhileRunningFailsAndLeavesTheLoopRunning() {
        AtomicReference<Throwable> fromCallback = new AtomicReference<>();
        String r = runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            IllegalStateException e = assertThrowsWithMessage(IllegalStateException.class, loop::close,
                    "running", "stop()");
            assertFalse(e instanceof LoopClosedException);
            loop.callSoon(() -> {
                try {
                    loop.close();
                } catch (Throwable t) {
                    fromCallback.set(t);
                }
            });
            sleepMs(1);
            assertFalse(loop.isClosed());
            assertTrue(loop.isRunning());
            return "still running";
        });
        assertEquals("still running", r);
        assertInstanceOf(IllegalStateException.class, fromCallback.get());
    }

    // ------------------------------------------------------------------ time and callbacks

    @Test
    void timeIsMonotonicAndFollowsTheClock() {
        EventLoop real = new EventLoop();
        try {
            long prev = real.time();
            for (int i = 0; i < 10_000; i++) {
                long t = real.time();
                assertTrue(t - prev >= 0, "time went backwards");
                prev = t;
            }
            assertSame(LoopClock.system(), real.clock());
        } finally {
            real.close();
        }
        runVirtual(() -> {
            long t0 = now();
            sleepMs(250);
            assertEquals(250, millisSince(t0));
            Async.sleep(Duration.ofDays(2));
            assertEquals(Duration.ofDays(2).plusMillis(250).toNanos(), now() - t0);
            return null;
        });
    }

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        List<Integer> order = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            for (int i = 0; i < 100; i++) {
                int n = i;
                loop.callSoon(() -> order.add(n));
            }
            Async.yieldNow();
            return null;
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
    }

    @Test
    void timersFireByDeadlineThenSchedulingOrderAtTheirDeadline() {
        List<String> fired = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            long t0 = loop.time();
            java.util.function.Function<String, Runnable> at = name -> () -> fired.add(name + "@" + millisSince(t0));
            loop.callAt(t0 + ms(30).toNanos(), at.apply("a"));
            loop.callLater(ms(10), at.apply("b"));
            loop.callLater(ms(10), at.apply("c"));
            loop.callAt(t0 + ms(20).toNanos(), at.apply("d"));
            loop.callLater(ms(0), at.apply("e"));
            loop.callLater(ms(-5), at.apply("f"));
            loop.callAt(t0 + ms(10).toNanos(), at.apply("g"));
            sleepMs(100);
            return null;
        });
        // e and f are due at once; f's deadline is earlier than e's, so it fires first.
        assertEquals(List.of("f@0", "e@0", "b@10", "c@10", "g@10", "d@20", "a@30"), fired);
    }

    @Test
    void callSoonRunsBeforeATimerThatBecomesDueLater() {
        List<String> order = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            loop.callLater(ms(0), () -> order.add("timer"));
            loop.callSoon(() -> order.add("soon"));
            sleepMs(1);
            return null;
        });
        assertEquals(List.of("soon", "timer"), order);
    }

    @Test
    void cancelledHandlesNeverRun() {
        List<String> ran = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            Handle soon = loop.callSoon(() -> ran.add("soon"));
            Handle threadsafe = loop.callSoonThreadsafe(() -> ran.add("threadsafe"));
            threadsafe.cancel(); // on the loop thread, as Handle's contract asks
            TimerHandle later = loop.callLater(ms(10), () -> ran.add("later"));
            TimerHandle kept = loop.callLater(ms(20), () -> ran.add("kept"));
            assertEquals(loop.time() + ms(10).toNanos(), later.when());
            assertFalse(soon.isCancelled());
            soon.cancel();
            later.cancel();
            later.cancel(); // idempotent
            assertTrue(soon.isCancelled());
            assertTrue(later.isCancelled());
            sleepMs(50);
            kept.cancel(); // after it ran: harmless
            return null;
        });
        assertEquals(List.of("kept"), ran);
    }

    @Test
    void absurdlyLongDelaysSaturateInsteadOfOverflowing() {
        List<String> ran = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            long t0 = loop.time();
            TimerHandle forever = loop.callLater(java.time.temporal.ChronoUnit.FOREVER.getDuration(), () -> ran.add("forever"));
            TimerHandle maxNanos = loop.callLater(Duration.ofNanos(Long.MAX_VALUE), () -> ran.add("max"));
            loop.callLater(Duration.ofSeconds(Long.MIN_VALUE), () -> ran.add("long ago"));
            assertTrue(forever.when() - t0 > Duration.ofDays(365 * 100).toNanos(), "a far deadline, not one in the past");
            assertTrue(maxNanos.when() - t0 > 0);
            sleepMs(10);
            forever.cancel();
            maxNanos.cancel();
            return null;
        });
        assertEquals(List.of("long ago"), ran);
    }

    @Test
    void aTimerCancelledByAnEarlierCallbackOfTheSameIterationDoesNotRun() {
        List<String> ran = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            TimerHandle[] second = new TimerHandle[1];
            loop.callLater(ms(10), () -> {
                ran.add("first");
                second[0].cancel();
            });
            second[0] = loop.callLater(ms(10), () -> ran.add("second"));
            sleepMs(20);
            return null;
        });
        assertEquals(List.of("first"), ran);
    }

    @Test
    void workScheduledDuringAnIterationWaitsForTheNextOne() {
        List<String> order = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> order.add("a's child"));
            });
            loop.callSoon(() -> order.add("b"));
            Async.yieldNow();
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("a", "b", "a's child"), order);
    }

    // ------------------------------------------------------------------ exception handler

    @Test
    void theExceptionHandlerReceivesCallbackErrorsAndTheLoopGoesOn() {
        List<ErrorReport> reports = TestSupport.reports();
        RuntimeException boom = new RuntimeException("boom");
        List<String> ran = new ArrayList<>();
        runVirtual(reports, () -> {
            EventLoop loop = Async.currentLoop();
            loop.callSoon(() -> {
                throw boom;
            });
            loop.callSoon(() -> ran.add("after"));
            loop.callLater(ms(5), () -> {
                throw new IllegalStateException("timer boom");
            });
            sleepMs(10);
            return null;
        });
        assertEquals(List.of("after"), ran);
        assertEquals(2, reports.size(), reports.toString());
        ErrorReport r = reports.get(0);
        assertSame(boom, r.exception());
        assertTrue(r.message().contains("exception in callback"), r.message());
        assertNotNull(r.handle());
        assertNull(r.task());
        assertEquals("timer boom", reports.get(1).exception().getMessage());
        assertInstanceOf(TimerHandle.class, reports.get(1).handle());
    }

    @Test
    void aThrowingExceptionHandlerDoesNotBreakTheLoop(LogCapture.Records log) {
        AtomicReference<Integer> calls = new AtomicReference<>(0);
        List<String> ran = new ArrayList<>();
        String r = Async.run(EventLoop.builder().clock(new VirtualTestClock()).exceptionHandler((l, rep) -> {
            calls.set(calls.get() + 1);
            throw new IllegalStateException("handler broke");
        }), () -> {
            EventLoop loop = Async.currentLoop();
            loop.callSoon(() -> {
                throw new RuntimeException("first");
            });
            loop.callSoon(() -> ran.add("next"));
            loop.callSoon(() -> {
                throw new RuntimeException("second");
            });
            sleepMs(1);
            return "ok";
        });
        assertEquals("ok", r);
        assertEquals(List.of("next"), ran);
        assertEquals(2, calls.get());
        // Both the handler's failure and the report it could not take reach the log, at ERROR.
        List<LogRecord> logged = log.take();
        assertEquals(4, logged.size(), logged.toString());
        assertTrue(logged.stream().allMatch(rec -> rec.getLevel() == java.util.logging.Level.SEVERE));
        for (int i = 0; i < 2; i++) {
            assertEquals("the event loop's exception handler threw", logged.get(2 * i).getMessage());
            assertEquals("handler broke", logged.get(2 * i).getThrown().getMessage());
            assertTrue(logged.get(2 * i + 1).getMessage().startsWith("exception in callback"), logged.get(2 * i + 1).getMessage());
        }
        assertEquals("first", logged.get(1).getThrown().getMessage());
        assertEquals("second", logged.get(3).getThrown().getMessage());
    }

    @Test
    void setExceptionHandlerReplacesTheHandlerAndNullRestoresTheDefault(LogCapture.Records log) {
        List<ErrorReport> got = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            assertNull(loop.exceptionHandler());
            ExceptionHandler h = (l, r) -> {
                assertSame(loop, l);
                got.add(r);
            };
            loop.setExceptionHandler(h);
            assertSame(h, loop.exceptionHandler());
            loop.callExceptionHandler(new ErrorReport("by hand", null, null, null));
            loop.setExceptionHandler(null);
            assertNull(loop.exceptionHandler());
            loop.callExceptionHandler(new ErrorReport("to the log", null, null, null)); // must not throw
            return null;
        });
        assertEquals(1, got.size());
        assertEquals("by hand", got.get(0).message());
        List<LogRecord> logged = log.take();
        assertEquals(1, logged.size(), logged.toString());
        assertEquals("to the log", logged.get(0).getMessage());
        assertEquals(java.util.logging.Level.SEVERE, logged.get(0).getLevel());
    }

    // ------------------------------------------------------------------ debug mode

    @Test
    void debugModeLogsSlowCallbacksAndTaskSteps(LogCapture.Records log) {
        Runnable slowCallback = new Runnable() {
            @Override
            public void run() {
                spin(ms(80));
            }

            @Override
            public String toString() {
                return "slow-callback";
            }
        };
        Async.run(EventLoop.builder().debug(true).slowCallback(ms(50)), () -> {
            EventLoop loop = Async.currentLoop();
            assertTrue(loop.isDebug());
            loop.callSoon(slowCallback);
            Async.spawn("slow-task", () -> {
                spin(ms(80));
                return null;
            });
            Async.yieldNow();
            Async.yieldNow();
            return null;
        });
        List<LogRecord> records = log.take();
        assertEquals(records.size(), records.stream().filter(r -> r.getMessage().contains("held the event loop")).count(),
                records.toString());
        List<LogRecord> slow = records.stream().filter(r -> r.getMessage().contains("held the event loop")).toList();
        assertEquals(1, slow.stream().filter(r -> r.getMessage().contains("slow-callback")).count(), slow.toString());
        assertEquals(1, slow.stream().filter(r -> r.getMessage().contains("slow-task")).count(), slow.toString());
        assertTrue(slow.stream().allMatch(r -> r.getLevel() == java.util.logging.Level.WARNING));
    }

    @Test
    void slowCallbacksAreNotLoggedOutsideDebugMode(LogCapture.Records log) {
        Async.run(EventLoop.builder().debug(false).slowCallback(ms(1)), () -> {
            Async.currentLoop().callSoon(() -> spin(ms(10)));
            Async.yieldNow();
            return null;
        });
        List<LogRecord> records = log.take();
        assertTrue(records.isEmpty(), records.toString());
    }

    @Test
    void debugModeRecordsWhereEachTaskWasSpawned() {
        runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            assertFalse(loop.isDebug());
            Task<String> plain = Async.spawn(() -> "x");
            assertNull(plain.createdAt());
            loop.setDebug(true);
            Task<String> traced = Async.spawn(() -> "y");
            assertNotNull(traced.createdAt());
            assertTrue(Arrays.stream(traced.createdAt().getStackTrace())
                            .anyMatch(f -> f.getMethodName().contains("debugModeRecordsWhereEachTaskWasSpawned")),
                    "the creation site should name the spawning code");
            loop.setDebug(false);
            return Async.gather(plain, traced);
        });
    }

    @Test
    void slowCallbackThresholdMustNotBeNegative() {
        assertThrowsWithMessage(IllegalArgumentException.class, () -> EventLoop.builder().slowCallback(ms(-1)),
                "negative");
    }

    @Test
    void toStringShowsTheLoopsState() {
        EventLoop loop = new EventLoop();
        assertTrue(loop.toString().contains("idle"), loop.toString());
        assertTrue(loop.toString().contains(loop.engineName()), loop.toString());
        loop.close();
        assertTrue(loop.toString().contains("closed"), loop.toString());
    }

    // ------------------------------------------------------------------ helpers

    /** Busy-waits for {@code d} (simulates a callback that holds the loop; not synchronisation). */
    static void spin(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
