package io.jasyncio;

import static io.jasyncio.TestSupport.reports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jasyncio.FaultyEngine.EngineFault;
import io.jasyncio.lowlevel.Abort;
import io.jasyncio.lowlevel.Readiness;
import io.jasyncio.lowlevel.Suspension;
import io.jasyncio.lowlevel.Waker;
import io.jasyncio.sync.Lock;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import jdk.internal.vm.Continuation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A suspension that throws instead of suspending (the engine cannot freeze the stack, or an abort
 * hook fails) leaves no trace of the park behind: no timer that fires later, no waiter left in a
 * list, no I/O registration left armed, and the loop and every other task carry on. Every test here
 * runs on whichever engine the JVM uses (the build runs the suite on both).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SuspensionFailureTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration HOUR = Duration.ofHours(1);

    /** What a suspension point set up and left behind, for its release and its checks. */
    static final class Ctx {
        Promise<String> promise;
        Task<String> sleeper;
        Pipe pipe;
        Lock lock;
        Promise<Void> unlock;
        Task<Void> holder;
        final List<Task<?>> userWaiters = new ArrayList<>();
        Task<String> groupChild;
        volatile boolean faulted;
    }

    @FunctionalInterface
    interface Step {
        void run(Ctx ctx) throws Exception;
    }

    /** A kind of suspension: what the main task prepares, the park, what would have ended it, and the checks after. */
    record Point(String name, Step prepare, Step park, Step release, Step check) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Step NOTHING = ctx -> {
    };

    static Stream<Arguments> points() {
        return Stream.of(
                point("sleep", NOTHING, ctx -> Async.sleep(HOUR), NOTHING, NOTHING),
                point("yieldNow", NOTHING, ctx -> Async.yieldNow(), NOTHING, NOTHING),
                point("await promise", ctx -> ctx.promise = new Promise<>(), ctx -> ctx.promise.await(),
                        ctx -> ctx.promise.complete("done"), NOTHING),
                point("await task", SuspensionFailureTest::startSleeper, ctx -> ctx.sleeper.await(),
                        ctx -> assertEquals("slept", ctx.sleeper.await()), NOTHING),
                point("await with timeout", ctx -> ctx.promise = new Promise<>(), ctx -> ctx.promise.await(HOUR), ctx -> {
                    ctx.promise.complete("done");
                    Async.sleep(HOUR.multipliedBy(2));
                }, NOTHING),
                point("gather", ctx -> {
                    startSleeper(ctx);
                    ctx.promise = new Promise<>();
                }, ctx -> Async.gather(ctx.sleeper, ctx.promise), ctx -> {
                    ctx.promise.complete("done");
                    ctx.sleeper.await();
                }, NOTHING),
                point("wait", ctx -> ctx.promise = new Promise<>(),
                        ctx -> Async.wait(List.of(ctx.promise), WaitMode.FIRST_COMPLETED, null),
                        ctx -> ctx.promise.complete("done"), NOTHING),
                point("wait with timeout", ctx -> ctx.promise = new Promise<>(),
                        ctx -> Async.wait(List.of(ctx.promise), WaitMode.ALL_COMPLETED, HOUR),
                        ctx -> Async.sleep(HOUR.multipliedBy(2)), NOTHING),
                point("asCompleted", ctx -> ctx.promise = new Promise<>(), ctx -> {
                    for (Awaitable<String> a : Async.asCompleted(List.of(ctx.promise))) {
                        a.resultNow();
                    }
                }, ctx -> ctx.promise.complete("done"), NOTHING),
                point("waitReadable", SuspensionFailureTest::openPipe, ctx -> Readiness.waitReadable(ctx.pipe.source()),
                        ctx -> {
                            ctx.pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                            Async.sleep(SECOND); // the selector reports the byte; nobody may be woken by it
                        }, SuspensionFailureTest::readRegistrationIsFree),
                point("waitWritable", SuspensionFailureTest::openPipe, ctx -> Readiness.waitWritable(ctx.pipe.sink()),
                        ctx -> Async.sleep(SECOND), SuspensionFailureTest::writeRegistrationIsFree),
                point("Suspension.park", NOTHING, ctx -> {
                    Task<?> me = Task.current();
                    ctx.userWaiters.add(me);
                    Suspension.park(Abort.undo(() -> ctx.userWaiters.remove(me)));
                }, ctx -> {
                    for (Task<?> t : List.copyOf(ctx.userWaiters)) {
                        Waker.of(t).wake("late");
                    }
                }, ctx -> assertEquals(List.of(), ctx.userWaiters, "the abort hook undid the registration")),
                point("Lock.acquire (a ParkingLot)", ctx -> {
                    ctx.lock = new Lock();
                    ctx.unlock = new Promise<>();
                    ctx.holder = Async.spawn(() -> {
                        try (var held = ctx.lock.acquire()) {
                            ctx.unlock.await();
                        }
                        return null;
                    });
                    Async.yieldNow();
                }, ctx -> ctx.lock.acquire(), ctx -> {
                    ctx.unlock.complete(null);
                    ctx.holder.await();
                }, ctx -> {
                    assertTrue(ctx.lock.tryAcquire(), "nobody was handed the lock");
                    ctx.lock.release();
                }),
                point("TaskGroup.close", NOTHING, ctx -> {
                    try (TaskGroup g = Async.taskGroup()) {
                        ctx.groupChild = g.spawn(() -> {
                            Async.sleep(SECOND);
                            return "child";
                        });
                    }
                }, ctx -> Async.sleep(SECOND.multipliedBy(2)), ctx -> assertEquals("child", ctx.groupChild.resultNow())),
                point("withTimeout body", NOTHING, ctx -> Async.withTimeout(HOUR, () -> {
                    Async.sleep(HOUR.multipliedBy(2));
                    return null;
                }), ctx -> Async.sleep(HOUR.multipliedBy(3)), NOTHING));
    }

    private static Arguments point(String name, Step prepare, Step park, Step release, Step check) {
        return arguments(new Point(name, prepare, park, release, check));
    }

    private static void startSleeper(Ctx ctx) {
        ctx.sleeper = Async.spawn(() -> {
            Async.sleep(SECOND);
            return "slept";
        });
    }

    private static void openPipe(Ctx ctx) throws Exception {
        ctx.pipe = Pipe.open();
        ctx.pipe.source().configureBlocking(false);
        ctx.pipe.sink().configureBlocking(false);
    }

    /** The read side of the channel is free again: a task can wait on it, and so can a reader callback. */
    private static void readRegistrationIsFree(Ctx ctx) throws Exception {
        EventLoop loop = Async.currentLoop();
        Readiness.waitReadable(ctx.pipe.source()); // the byte is there
        Promise<String> called = new Promise<>();
        Readiness.addReader(loop, ctx.pipe.source(), () -> called.complete("reader"));
        assertEquals("reader", called.await());
        assertTrue(Readiness.removeReader(loop, ctx.pipe.source()));
        Readiness.closeChannel(loop, ctx.pipe.source());
        ctx.pipe.sink().close();
    }

    private static void writeRegistrationIsFree(Ctx ctx) throws Exception {
        EventLoop loop = Async.currentLoop();
        Readiness.waitWritable(ctx.pipe.sink());
        Promise<String> called = new Promise<>();
        Readiness.addWriter(loop, ctx.pipe.sink(), () -> called.complete("writer"));
        assertEquals("writer", called.await());
        assertTrue(Readiness.removeWriter(loop, ctx.pipe.sink()));
        Readiness.closeChannel(loop, ctx.pipe.sink());
        ctx.pipe.source().close();
    }

    /**
     * What the task whose suspension failed does next. A cancellation while it runs or yields
     * finds out whether the failed park is still recorded: it would abort it again and schedule
     * the task a second time.
     */
    enum Then { RETURNS, SLEEPS_THEN_RETURNS, IS_CANCELLED_THEN_RETURNS, FAILS }

    @ParameterizedTest(name = "{0}")
    @MethodSource("points")
    void aSuspensionTheEngineCannotMakeLeavesNoTraceOfThePark(Point point) {
        for (Then then : Then.values()) {
            scenario(point, then);
        }
    }

    private static void scenario(Point point, Then then) {
        FaultyEngine engine = new FaultyEngine();
        List<ErrorReport> reports = reports();
        AtomicInteger bodyRuns = new AtomicInteger();
        Ctx ctx = new Ctx();
        String what = point + ", then " + then;
        run(engine, reports, () -> {
            Task<Integer> bystander = Async.spawn(SuspensionFailureTest::tick);
            point.prepare().run(ctx);
            Task<String> failing = Async.spawn("failing", () -> {
                bodyRuns.incrementAndGet();
                engine.failNextSuspendOf(Task.current());
                try {
                    point.park().run(ctx);
                    return "the park returned";
                } catch (EngineFault e) {
                    ctx.faulted = true;
                    if (then == Then.FAILS) {
                        throw e;
                    }
                    if (then == Then.SLEEPS_THEN_RETURNS) {
                        Async.sleep(SECOND.multipliedBy(5));
                    }
                    if (then == Then.IS_CANCELLED_THEN_RETURNS) {
                        Task.current().cancel("after the fault");
                        assertThrows(CancelledException.class, Async::yieldNow);
                    }
                    return "caught";
                }
            });
            while (!ctx.faulted) {
                Async.yieldNow();
            }
            assertFalse(engine.armed());
            // Whatever would have ended the park happens now: it must not reach the task.
            point.release().run(ctx);
            if (then == Then.FAILS) {
                assertThrows(EngineFault.class, failing::await, what);
            } else {
                assertEquals("caught", failing.await(), what);
            }
            Async.sleep(HOUR.multipliedBy(4)); // past every deadline the park had
            point.check().run(ctx);
            assertEquals(30, bystander.await(), what + ": another task carried on");
            assertEquals(List.of(Task.current()), Async.currentLoop().allTasks(), what);
            return null;
        });
        assertEquals(1, bodyRuns.get(), what + ": the task's body ran once");
        assertEquals(List.of(), reports, what);
    }

    private static int tick() {
        int n = 0;
        for (int i = 0; i < 30; i++) {
            Async.sleep(SECOND);
            n++;
        }
        return n;
    }

    private static <T> T run(FaultyEngine engine, List<ErrorReport> reports, Callable<T> main) {
        return Async.run(VirtualTestClock.loopOn(new VirtualTestClock()).coroutineEngine(engine)
                .exceptionHandler((loop, report) -> reports.add(report)), main);
    }

    // ------------------------------------------------------------------ abort hooks that throw

    @Test
    void aCancelHookThatThrowsIsReportedAndTheTaskIsStillCancelled() {
        List<ErrorReport> reports = reports();
        IllegalStateException boom = new IllegalStateException("hook failed");
        TestSupport.runVirtual(reports, () -> {
            Task<Object> t = Async.spawn(() -> Suspension.park(Abort.undo(() -> {
                throw boom;
            })));
            Async.yieldNow();
            t.cancel("stop");
            assertEquals("stop", assertThrows(CancelledException.class, t::await).getMessage());
            assertEquals(List.of(Task.current()), Async.currentLoop().allTasks());
            return null;
        });
        assertEquals(1, reports.size());
        assertSame(boom, reports.get(0).exception());
    }

    /** An Error from the hook reaches the canceller (it ran there), but only once the task is woken. */
    @Test
    void aCancelHookThatThrowsAnErrorStillWakesTheCancelledTask() {
        StackOverflowError hookError = new StackOverflowError("the hook overflowed");
        EventLoop loop = VirtualTestClock.loopOn(new VirtualTestClock()).build();
        try {
            loop.runUntilComplete(() -> {
                Task<Object> t = Async.spawn(() -> Suspension.park(Abort.undo(() -> {
                    throw hookError;
                })));
                Async.yieldNow();
                assertSame(hookError, assertThrows(StackOverflowError.class, () -> t.cancel("stop")));
                assertEquals("stop", assertThrows(CancelledException.class, () -> t.await(SECOND)).getMessage());
                assertEquals(List.of(Task.current()), Async.currentLoop().allTasks());
                return null;
            });
        } finally {
            loop.close();
        }
    }

    @Test
    void whenTheEngineCannotSuspendTheAbortHookUndoesTheParkAndItsFailureIsReported() {
        FaultyEngine engine = new FaultyEngine();
        List<ErrorReport> reports = reports();
        IllegalStateException boom = new IllegalStateException("hook failed");
        int[] hookRuns = {0};
        run(engine, reports, () -> {
            engine.failNextSuspendOf(Task.current());
            assertThrows(EngineFault.class, () -> Suspension.park(Abort.undo(() -> {
                hookRuns[0]++;
                throw boom;
            })));
            Async.sleep(SECOND);
            return null;
        });
        assertEquals(1, hookRuns[0]);
        assertEquals(1, reports.size());
        assertSame(boom, reports.get(0).exception());
    }

    @Test
    void whenTheEngineCannotSuspendAnErrorFromTheAbortHookRidesOnTheEnginesError() {
        FaultyEngine engine = new FaultyEngine();
        AssertionError hookError = new AssertionError("the hook's own error");
        StackOverflowError vmError = new StackOverflowError("the hook overflowed too");
        for (Error e : List.of(hookError, vmError)) {
            List<ErrorReport> reports = reports();
            run(engine, reports, () -> {
                engine.failNextSuspendOf(Task.current());
                EngineFault f = assertThrows(EngineFault.class, () -> Suspension.park(Abort.undo(() -> {
                    throw e;
                })));
                // An AssertionError is an ordinary hook failure (reported); a VirtualMachineError is not swallowed.
                if (e instanceof VirtualMachineError) {
                    assertSame(e, f.getSuppressed()[0]);
                }
                Async.sleep(SECOND);
                return null;
            });
            assertEquals(e instanceof VirtualMachineError ? 0 : 1, reports.size());
        }
    }

    // ------------------------------------------------------------------ a task that cannot start inside its awaiter

    /**
     * Awaiting a task that has not started starts it inside the awaiter; if that fails before its
     * body runs, the error reaches the awaiter and the task keeps its turn: it still runs, once,
     * from the loop, wherever its entry was in the ready queue (the head, the middle or the tail).
     */
    @ParameterizedTest(name = "entry at the {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"head", "middle", "tail"})
    void aTaskThatCannotBeStartedInsideItsAwaiterStillRunsFromTheLoop(String where) {
        FaultyEngine engine = new FaultyEngine();
        List<ErrorReport> reports = reports();
        AtomicInteger runs = new AtomicInteger();
        run(engine, reports, () -> {
            Task<String> before = where.equals("head") ? null : Async.spawn(() -> "before");
            Task<String> t = Async.spawn(() -> {
                runs.incrementAndGet();
                return "t";
            });
            Task<String> after = where.equals("tail") ? null : Async.spawn(() -> "after");
            engine.failCreateOf(t);
            assertThrows(FaultyEngine.CreateFault.class, t::await);
            assertEquals(0, runs.get());
            Async.yieldNow();
            Async.yieldNow();
            assertEquals("t", t.resultNow());
            assertEquals(1, runs.get());
            for (Task<String> other : java.util.Arrays.asList(before, after)) {
                if (other != null) {
                    assertTrue(other.isDone());
                }
            }
            assertEquals(List.of(Task.current()), Async.currentLoop().allTasks());
            return null;
        });
        assertEquals(1, runs.get());
        assertEquals(List.of(), reports);
    }

    // ------------------------------------------------------------------ the real engines' failures

    /**
     * The real thing: tasks sleep at ever deeper stacks until the recursion itself overflows. On
     * the continuation engine the sleeps near the limit fail to freeze (a StackOverflowError from
     * the sleep); the portable engine parks them on their carrier instead. Either way each task
     * finishes exactly once and the loop stays whole.
     */
    @Test
    void sleepingAtAStackTooDeepToFreezeLeavesTheLoopWhole() {
        List<ErrorReport> reports = reports();
        List<String> outcomes = new ArrayList<>();
        AtomicInteger bodyRuns = new AtomicInteger();
        TestSupport.runVirtual(reports, () -> {
            for (int depth = 1000; ; depth += 250) {
                int d = depth;
                Task<String> t = Async.spawn(() -> {
                    bodyRuns.incrementAndGet();
                    return sleepAtDepth(d);
                });
                Async.sleep(HOUR.multipliedBy(2)); // past the sleep: a stale timer would fire here
                assertTrue(t.isDone(), "depth " + d);
                assertEquals(List.of(Task.current()), Async.currentLoop().allTasks(), "depth " + d);
                if (t.state() == Awaitable.State.FAILED) {
                    assertInstanceOf(StackOverflowError.class, t.exceptionNow(), "depth " + d);
                    break; // the recursion itself overflowed: deeper is pointless
                }
                outcomes.add(t.resultNow());
            }
            return null;
        });
        assertEquals(outcomes.size() + 1, bodyRuns.get(), "every body ran once: " + outcomes);
        assertTrue(outcomes.contains("slept"), outcomes.toString());
        assertEquals(List.of(), reports);
    }

    private static String sleepAtDepth(int n) {
        if (n > 0) {
            return sleepAtDepth(n - 1);
        }
        try {
            Async.sleep(HOUR);
            return "slept";
        } catch (StackOverflowError e) {
            return "overflowed";
        }
    }

    /** A pinned stack: the continuation engine refuses the suspension, and the refusal leaves nothing behind. */
    @Test
    void aSuspensionRefusedBecauseTheStackIsPinnedLeavesNoTimerBehind() {
        List<ErrorReport> reports = reports();
        String r = TestSupport.runVirtual(reports, () -> {
            boolean portable = TestSupport.portable();
            Task<String> t = Async.spawn(() -> {
                Continuation.pin();
                try {
                    Async.sleep(HOUR);
                    return "slept";
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().contains("pinned"), e.getMessage());
                    return "refused";
                } finally {
                    Continuation.unpin();
                }
            });
            Async.yieldNow();
            // The portable engine's coroutine is a virtual thread: pinned, it parks on its carrier.
            String expected = portable ? "slept" : "refused";
            Async.sleep(HOUR.multipliedBy(2));
            assertEquals(expected, t.resultNow());
            assertEquals(List.of(Task.current()), Async.currentLoop().allTasks());
            return expected;
        });
        assertFalse(r.isEmpty());
        assertEquals(List.of(), reports);
    }
}
