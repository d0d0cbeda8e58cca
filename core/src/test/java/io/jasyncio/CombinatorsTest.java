package io.jasyncio;

import static io.jasyncio.TestSupport.assertThrowsWithMessage;
import static io.jasyncio.TestSupport.millisSince;
import static io.jasyncio.TestSupport.now;
import static io.jasyncio.TestSupport.runVirtual;
import static io.jasyncio.TestSupport.sleepMs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CombinatorsTest {

    private static final Duration HOUR = Duration.ofHours(1);

    /** A task that sleeps {@code millis} and returns {@code value}. */
    private static <T> Task<T> after(long millis, T value) {
        return Async.spawn(() -> {
            sleepMs(millis);
            return value;
        });
    }

    /** A task that sleeps {@code millis} and throws {@code error}. */
    private static <T> Task<T> failAfter(long millis, RuntimeException error) {
        return Async.spawn(() -> {
            sleepMs(millis);
            throw error;
        });
    }

    // ------------------------------------------------------------------ gather

    @Test
    void gatherReturnsValuesInArgumentOrderNotCompletionOrder() {
        runVirtual(() -> {
            long t0 = now();
            List<String> r = Async.gather(after(30, "a"), after(10, "b"), after(20, "c"));
            assertEquals(List.of("a", "b", "c"), r);
            assertEquals(30, millisSince(t0));
            List<Integer> fromList = Async.gather(List.of(after(5, 1), after(1, 2)));
            assertEquals(List.of(1, 2), fromList);
            return null;
        });
    }

    @Test
    void gatherThrowsTheFirstFailureInTimeAtOnceAndTheOthersKeepRunning() {
        runVirtual(() -> {
            IllegalStateException late = new IllegalStateException("late");
            IllegalArgumentException early = new IllegalArgumentException("early");
            Task<String> slow = after(100, "slow");
            Task<String> lateFailure = failAfter(30, late);
            Task<String> earlyFailure = failAfter(10, early);
            long t0 = now();
            assertSame(early, assertThrows(IllegalArgumentException.class,
                    () -> Async.gather(slow, lateFailure, earlyFailure)));
            assertEquals(10, millisSince(t0), "gather throws as soon as one fails");
            assertFalse(slow.isDone());
            assertFalse(slow.isCancelRequested(), "the others are not cancelled");
            assertSame(late, assertThrows(IllegalStateException.class, lateFailure::await));
            assertEquals("slow", slow.await());
            return null;
        });
    }

    @Test
    void gatherThrowsTheCancellationOfACancelledInput() {
        runVirtual(() -> {
            Task<String> victim = after(100, "x");
            Async.currentLoop().callLater(Duration.ofMillis(5), () -> victim.cancel("input cancelled"));
            CancelledException e = assertThrows(CancelledException.class, () -> Async.gather(victim, after(50, "y")));
            assertEquals("input cancelled", e.getMessage());
            assertFalse(Task.current().isCancelRequested(), "the gathering task itself is not cancelled");
            return null;
        });
    }

    @Test
    void gatherOfNothingIsAnEmptyListAndGatherOfDoneThingsDoesNotSuspend() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            assertEquals(List.of(), Async.gather(List.<Awaitable<String>>of()));
            assertEquals(List.of(), Async.gather());
            Promise<String> p = new Promise<>();
            p.complete("p");
            Task<String> t = Async.spawn(() -> "t");
            t.await();
            Async.spawn(() -> events.add("other"));
            events.add("gathered " + Async.gather(p, t));
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("gathered [p, t]", "other"), events);
    }

    @Test
    void gatherWrapsACheckedFailure() {
        runVirtual(() -> {
            IOException io = new IOException("io");
            Task<String> t = Async.spawn(() -> {
                throw io;
            });
            assertSame(io, assertThrows(CompletionException.class, () -> Async.gather(t)).getCause());
            return null;
        });
    }

    @Test
    void gatherAcceptsTheSameAwaitableTwice() {
        runVirtual(() -> {
            Task<String> t = after(5, "x");
            assertEquals(List.of("x", "x"), Async.gather(t, t));
            return null;
        });
    }

    @Test
    void gatherRejectsAwaitablesOfAnotherLoop() {
        EventLoop other = new EventLoop();
        try {
            Promise<String> foreign = new Promise<>(other);
            runVirtual(() -> {
                assertThrowsWithMessage(IllegalArgumentException.class, () -> Async.gather(foreign), "another event loop");
                // Found after a local input: the gather leaves no listener on the local one.
                Promise<String> local = new Promise<>();
                assertThrowsWithMessage(IllegalArgumentException.class, () -> Async.gather(local, foreign), "another event loop");
                assertFalse(local.hasWaiters(), "the rejected gather still listens to its first input");
                // asCompleted rejects it at every call, rather than waiting on what it half registered.
                Iterator<Awaitable<String>> it = Async.asCompleted(List.of(new Promise<String>(), foreign)).iterator();
                for (int i = 0; i < 2; i++) {
                    assertThrowsWithMessage(IllegalArgumentException.class, () -> Async.withTimeout(Duration.ofSeconds(1), it::next),
                            "another event loop");
                }
                return null;
            });
        } finally {
            other.close();
        }
    }

    @Test
    void aCancelledGatherStopsListeningToItsInputs() {
        runVirtual(() -> {
            Task<String> input = after(20, "input");
            Promise<String> other = new Promise<>();
            Task<String> gatherer = Async.spawn(() -> {
                try {
                    return Async.gather(input).get(0);
                } catch (CancelledException e) {
                    // If the gather's listener were still on the input, its completion would
                    // wake this shielded await by mistake.
                    return Async.shield(() -> "shielded " + other.await());
                }
            });
            sleepMs(5);
            gatherer.cancel();
            sleepMs(30);
            assertTrue(input.isDone());
            assertFalse(gatherer.isDone());
            other.complete("other");
            assertEquals("shielded other", gatherer.await());
            return null;
        });
    }

    // ------------------------------------------------------------------ gatherSettled

    @Test
    void gatherSettledReportsEveryOutcomeInArgumentOrder() {
        runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> ok = after(30, "ok");
            Task<String> failed = failAfter(10, boom);
            Task<String> cancelled = after(100, "never");
            Async.currentLoop().callLater(Duration.ofMillis(20), () -> cancelled.cancel("stop"));
            long t0 = now();
            List<Outcome<String>> outcomes = Async.gatherSettled(ok, failed, cancelled);
            assertEquals(30, millisSince(t0), "waits for all of them, failures included");
            assertEquals(3, outcomes.size());

            assertTrue(outcomes.get(0).isSuccess());
            assertEquals(new Outcome.Success<>("ok"), outcomes.get(0));
            assertEquals("ok", outcomes.get(0).get());

            assertFalse(outcomes.get(1).isSuccess());
            assertSame(boom, ((Outcome.Failure<String>) outcomes.get(1)).error());
            assertSame(boom, assertThrows(IllegalStateException.class, outcomes.get(1)::get));

            Throwable c = ((Outcome.Failure<String>) outcomes.get(2)).error();
            assertInstanceOf(CancelledException.class, c);
            assertEquals("stop", c.getMessage());

            assertEquals(List.of(), Async.gatherSettled(List.<Awaitable<String>>of()));
            return null;
        });
    }

    @Test
    void outcomeGetWrapsACheckedFailure() {
        IOException io = new IOException("io");
        Outcome<String> f = new Outcome.Failure<>(io);
        assertSame(io, assertThrows(CompletionException.class, f::get).getCause());
    }

    // ------------------------------------------------------------------ wait

    @Test
    void waitFirstCompletedReturnsAsSoonAsOneIsDone() {
        runVirtual(() -> {
            Task<String> a = after(30, "a");
            Task<String> b = after(10, "b");
            Task<String> c = after(20, "c");
            long t0 = now();
            WaitResult<String> r = Async.wait(List.of(a, b, c), WaitMode.FIRST_COMPLETED, null);
            assertEquals(10, millisSince(t0));
            assertEquals(List.of(b), List.copyOf(r.done()));
            assertEquals(List.of(a, c), List.copyOf(r.pending()), "pending in input order");
            assertFalse(a.isCancelRequested());
            return null;
        });
    }

    @Test
    void waitFirstExceptionReturnsAtTheFirstFailureOrWhenAllAreDone() {
        runVirtual(() -> {
            Task<String> a = after(30, "a");
            Task<String> bad = failAfter(20, new IllegalStateException("bad"));
            Task<String> c = after(10, "c");
            long t0 = now();
            WaitResult<String> r = Async.wait(List.of(a, bad, c), WaitMode.FIRST_EXCEPTION, null);
            assertEquals(20, millisSince(t0), "a success does not end the wait, the failure does");
            assertEquals(List.of(bad, c), List.copyOf(r.done()), "done in input order");
            assertEquals(List.of(a), List.copyOf(r.pending()));
            assertThrows(IllegalStateException.class, bad::resultNow);

            long t1 = now();
            WaitResult<String> all = Async.wait(List.of(after(5, "x"), after(15, "y")), WaitMode.FIRST_EXCEPTION, null);
            assertEquals(15, millisSince(t1));
            assertEquals(2, all.done().size());
            assertTrue(all.pending().isEmpty());
            return null;
        });
    }

    @Test
    void waitAllCompletedWaitsForEveryOneAndNeverThrowsTheirFailures() {
        runVirtual(() -> {
            Task<String> c = after(30, "c");
            Task<String> bad = failAfter(10, new IllegalStateException("bad"));
            Task<String> b = after(20, "b");
            long t0 = now();
            WaitResult<String> r = Async.wait(List.of(c, bad, b), WaitMode.ALL_COMPLETED, null);
            assertEquals(30, millisSince(t0));
            assertEquals(List.of(c, bad, b), List.copyOf(r.done()), "done in input order, not completion order");
            assertTrue(r.pending().isEmpty());
            bad.exceptionNow();
            return null;
        });
    }

    @Test
    void waitWithATimeoutReturnsWhatIsPendingAndCancelsNothing() {
        runVirtual(() -> {
            Task<String> fast = after(10, "fast");
            Task<String> slow = after(100, "slow");
            long t0 = now();
            WaitResult<String> r = Async.wait(List.of(slow, fast), WaitMode.ALL_COMPLETED, Duration.ofMillis(50));
            assertEquals(50, millisSince(t0));
            assertEquals(List.of(fast), List.copyOf(r.done()));
            assertEquals(List.of(slow), List.copyOf(r.pending()));
            assertFalse(slow.isCancelRequested());
            assertEquals("slow", slow.await());

            long t1 = now();
            WaitResult<String> quick = Async.wait(List.of(after(5, "q")), WaitMode.ALL_COMPLETED, Duration.ofMillis(50));
            assertEquals(5, millisSince(t1), "a timeout does not delay a wait that is satisfied earlier");
            assertEquals(1, quick.done().size());
            return null;
        });
    }

    @Test
    void waitOnNothingOrOnDoneThingsReturnsAtOnce() {
        runVirtual(() -> {
            long t0 = now();
            for (WaitMode mode : WaitMode.values()) {
                WaitResult<String> r = Async.wait(List.of(), mode, null);
                assertTrue(r.done().isEmpty() && r.pending().isEmpty());
            }
            Promise<String> p = new Promise<>();
            p.complete("p");
            Promise<String> pending = new Promise<>();
            WaitResult<String> r = Async.wait(List.of(pending, p), WaitMode.FIRST_COMPLETED, null);
            assertEquals(List.of(p), List.copyOf(r.done()));
            assertEquals(List.of(pending), List.copyOf(r.pending()));
            assertEquals(0, millisSince(t0));
            assertThrows(NullPointerException.class, () -> Async.wait(List.of(p), null, null));
            return null;
        });
    }

    // ------------------------------------------------------------------ asCompleted

    @Test
    void asCompletedYieldsInCompletionOrder() {
        List<String> order = new ArrayList<>();
        runVirtual(() -> {
            long t0 = now();
            IllegalStateException boom = new IllegalStateException("boom");
            List<Task<String>> tasks = List.of(after(30, "c"), after(10, "a"), failAfter(20, boom), after(40, "d"));
            for (Awaitable<String> a : Async.asCompleted(tasks)) {
                assertTrue(a.isDone());
                if (a.state() == Awaitable.State.FAILED) {
                    assertSame(boom, a.exceptionNow());
                    order.add("failure@" + millisSince(t0));
                } else {
                    order.add(a.resultNow() + "@" + millisSince(t0));
                }
            }
            return null;
        });
        assertEquals(List.of("a@10", "failure@20", "c@30", "d@40"), order);
    }

    @Test
    void asCompletedHandsOutAlreadyDoneOnesFirstAndEndsCleanly() {
        runVirtual(() -> {
            Promise<String> done = new Promise<>();
            done.complete("done");
            Task<String> later = after(10, "later");
            Iterator<Awaitable<String>> it = Async.asCompleted(List.of(later, done)).iterator();
            assertTrue(it.hasNext());
            assertSame(done, it.next());
            assertSame(later, it.next());
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            assertFalse(Async.asCompleted(List.<Awaitable<String>>of()).iterator().hasNext());
            return null;
        });
    }

    // ------------------------------------------------------------------ shield

    @Test
    void shieldReturnsItsBodysValue() {
        runVirtual(() -> {
            assertEquals("v", Async.shield(() -> {
                sleepMs(1);
                return "v";
            }));
            return null;
        });
    }

    @Test
    void combinatorsNeedATask() {
        assertThrows(IllegalStateException.class, () -> Async.gather(List.<Awaitable<String>>of()));
        assertThrows(IllegalStateException.class, () -> Async.wait(List.<Awaitable<String>>of(), WaitMode.ALL_COMPLETED, null));
        assertThrows(IllegalStateException.class, () -> Async.shield(() -> 1));
    }
}
