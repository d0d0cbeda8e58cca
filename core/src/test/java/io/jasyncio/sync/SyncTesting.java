package io.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasyncio.Async;
import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * Shared helpers: run on a virtual clock, let tasks settle, and fail on unreported errors.
 *
 * <h2>Schedule independence</h2>
 * These suites also run under seeded schedules (the testing module's {@code Seeded*} classes),
 * where the loop runs each iteration's ready tasks and callbacks in a shuffled order instead of
 * FIFO. So a test never assumes that one {@link #tick()} lets a given task run, nor that tasks
 * spawned together start in spawn order. Instead:
 * <ul>
 *   <li>it waits for what it needs with {@link #until}, which yields until a condition holds
 *       (bounded, so a condition that never comes fails instead of hanging);</li>
 *   <li>where order matters (FIFO hand-off), it starts the tasks one at a time and waits until the
 *       primitive reports each one queued, so the order asserted is the order the test made;</li>
 *   <li>where tasks are woken together by one call ({@code Event.set}, {@code signalAll}, the
 *       last party of a barrier), the primitive schedules them in FIFO order but only a FIFO loop
 *       runs them in that order: {@link #assertRanInScheduledOrder} checks the exact order under FIFO
 *       and the same tasks, in any order, under a seed;</li>
 *   <li>{@link #tick()} remains for what must hold however little has run: "nothing happens
 *       yet", or letting a held lock be held across a suspension point.</li>
 * </ul>
 */
final class SyncTesting {
    private SyncTesting() {
    }

    /**
     * The most yields {@link #until} makes. Every condition awaited here is a few task steps
     * away, and a seeded schedule delays a ready task by at most one iteration per step; this is
     * orders of magnitude more, so reaching it means the condition will not come.
     */
    static final int MAX_YIELDS = 10_000;

    /** Runs {@code main} on a new loop with virtual time; errors sent to the loop's handler fail the test. */
    static <T> T run(Callable<T> main) {
        return run(new VirtualTestClock(), main);
    }

    static <T> T run(VirtualTestClock clock, Callable<T> main) {
        List<ErrorReport> reports = new ArrayList<>();
        T result = Async.run(clock.loop().exceptionHandler((loop, report) -> reports.add(report)), main);
        if (!reports.isEmpty()) {
            AssertionError e = new AssertionError("the loop reported errors: " + reports);
            reports.forEach(r -> {
                if (r.exception() != null) {
                    e.addSuppressed(r.exception());
                }
            });
            throw e;
        }
        return result;
    }

    /**
     * asyncio's {@code await asyncio.sleep(0)}. Every task that was ready when the caller's step
     * began runs once before the caller runs again; on a FIFO loop, so does every task made ready
     * since, but a seeded schedule may run those after the caller (see the class comment).
     */
    static void tick() {
        Async.yieldNow();
    }

    /** {@code n} ticks. */
    static void ticks(int n) {
        for (int i = 0; i < n; i++) {
            Async.yieldNow();
        }
    }

    /**
     * Yields until {@code condition} holds, checking it first (no yield if it holds already).
     * Only for conditions that ready tasks and callbacks bring about: virtual time does not move
     * while the caller keeps yielding.
     *
     * @throws AssertionError naming {@code what} if it still does not hold after {@link #MAX_YIELDS} yields
     */
    static void until(String what, BooleanSupplier condition) {
        for (int i = 0; !condition.getAsBoolean(); i++) {
            if (i == MAX_YIELDS) {
                throw new AssertionError("still not true after " + MAX_YIELDS + " yields: " + what);
            }
            Async.yieldNow();
        }
    }

    /**
     * Asserts that tasks made ready together (woken by one call, or woken and spawned before the
     * caller yields) ran in the order they were made ready: exactly {@code scheduledOrder} on a
     * FIFO loop; on a seeded schedule, which shuffles the ready tasks it runs, the same elements
     * in any order.
     */
    static <T> void assertRanInScheduledOrder(List<T> scheduledOrder, List<T> actual) {
        assertStepsRanInScheduledOrder(scheduledOrder.stream().map(List::of).toList(), actual);
    }

    /**
     * Like {@link #assertRanInScheduledOrder}, for tasks that each log several entries in one
     * step: {@code steps} holds each task's entries, in the order the tasks were made ready. A
     * FIFO loop must give their concatenation; a seeded one, their concatenation in some order.
     */
    static <T> void assertStepsRanInScheduledOrder(List<List<T>> steps, List<T> actual) {
        List<T> fifo = steps.stream().flatMap(List::stream).toList();
        if (fifoScheduling()) {
            assertEquals(fifo, actual);
        } else if (!isConcatenationOfSome(steps, new boolean[steps.size()], actual, 0)) {
            fail("expected the steps " + steps + " in some order, but got " + actual);
        }
    }

    private static <T> boolean isConcatenationOfSome(List<List<T>> steps, boolean[] used, List<T> actual, int from) {
        if (from == actual.size()) {
            for (boolean u : used) {
                if (!u) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < steps.size(); i++) {
            List<T> step = steps.get(i);
            if (!used[i] && from + step.size() <= actual.size() && actual.subList(from, from + step.size()).equals(step)) {
                used[i] = true;
                if (isConcatenationOfSome(steps, used, actual, from + step.size())) {
                    return true;
                }
                used[i] = false;
            }
        }
        return false;
    }

    /**
     * True if the running loop runs ready work in FIFO order, false under a seeded schedule. Tells
     * them apart with the public API only: 16 callbacks scheduled together run in the order they
     * were scheduled on a FIFO loop, and a seeded shuffle leaves them in that order once in 16!
     * (about 2e13) schedules. Yields while the callbacks run, so call it where other tasks may
     * progress.
     */
    static boolean fifoScheduling() {
        EventLoop loop = Async.currentLoop();
        List<Integer> ran = new ArrayList<>();
        int n = 16;
        for (int i = 0; i < n; i++) {
            int k = i;
            loop.callSoon(() -> ran.add(k));
        }
        until("the probe callbacks ran", () -> ran.size() == n);
        for (int i = 0; i < n; i++) {
            if (ran.get(i) != i) {
                return false;
            }
        }
        return true;
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Spawns {@code body} as a task returning null. */
    static Task<Object> go(ThrowingRunnable body) {
        return Async.spawn(() -> {
            body.run();
            return null;
        });
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
