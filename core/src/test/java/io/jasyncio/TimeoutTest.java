package io.jasyncio;

import static io.jasyncio.TestSupport.millisSince;
import static io.jasyncio.TestSupport.ms;
import static io.jasyncio.TestSupport.now;
import static io.jasyncio.TestSupport.runVirtual;
import static io.jasyncio.TestSupport.sleepMs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void withTimeoutReturnsTheValueOfABodyThatFinishesInTime() {
        runVirtual(() -> {
            long t0 = now();
            assertEquals("fast", Async.withTimeout(ms(50), () -> {
                sleepMs(20);
                return "fast";
            }));
            assertEquals(20, millisSince(t0));
            sleepMs(100); // the expired deadline of a finished timeout must not hit later code
            return null;
        });
    }

    @Test
    void withTimeoutCutsTheBodyShortAtTheDeadline() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            long t0 = now();
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(30), () -> {
                try {
                    Async.sleep(HOUR);
                    return "slow";
                } catch (CancelledException c) {
                    events.add("body cancelled");
                    throw c;
                } finally {
                    events.add("body finally");
                }
            }));
            assertEquals(30, millisSince(t0));
            assertInstanceOf(CancelledException.class, e.getCause());
            assertFalse(Task.current().isCancelRequested(), "a timeout does not cancel the task");
            sleepMs(10);
            events.add("task goes on");
            return null;
        });
        assertEquals(List.of("body cancelled", "body finally", "task goes on"), events);
    }

    @Test
    void waitForIsWithTimeout() {
        runVirtual(() -> {
            assertEquals(1, Async.waitFor(ms(10), () -> 1));
            long t0 = now();
            assertThrows(AsyncTimeoutException.class, () -> Async.waitFor(ms(10), () -> {
                Async.sleep(HOUR);
                return 2;
            }));
            assertEquals(10, millisSince(t0));
            return null;
        });
    }

    @Test
    void moveOnAfterReturnsNullWhenCutShort() {
        runVirtual(() -> {
            long t0 = now();
            assertNull(Async.moveOnAfter(ms(25), () -> {
                Async.sleep(HOUR);
                return "slow";
            }));
            assertEquals(25, millisSince(t0));
            assertEquals("fast", Async.moveOnAfter(ms(25), () -> "fast"));
            return null;
        });
    }

    @Test
    void aZeroOrNegativeTimeoutCutsTheBodyAtItsFirstSuspensionPoint() {
        runVirtual(() -> {
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(Duration.ZERO, () -> {
                Async.yieldNow();
                return null;
            }));
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(-1), () -> {
                sleepMs(1);
                return null;
            }));
            assertEquals("no suspension", Async.withTimeout(Duration.ZERO, () -> "no suspension"));
            return null;
        });
    }

    @Test
    void hugeTimeoutsDoNotOverflow() {
        runVirtual(() -> {
            assertEquals("ok", Async.withTimeout(Duration.ofSeconds(Long.MAX_VALUE), () -> {
                sleepMs(5);
                return "ok";
            }));
            assertEquals("ok", Async.withTimeout(Duration.ofDays(365 * 100), () -> {
                sleepMs(5);
                return "ok";
            }));
            long t0 = now();
            assertNull(Async.moveOnAfter(ms(5), () -> {
                Async.sleep(Duration.ofSeconds(Long.MAX_VALUE));
                return "forever";
            }));
            assertEquals(5, millisSince(t0));
            return null;
        });
    }

    @Test
    void nestedTimeoutsTheShorterOneFires() {
        runVirtual(() -> {
            long t0 = now();
            // Inner is shorter: the inner one times out and the outer body goes on.
            String r = Async.withTimeout(ms(100), () -> {
                try {
                    Async.withTimeout(ms(10), () -> {
                        Async.sleep(HOUR);
                        return null;
                    });
                    return "unreachable";
                } catch (AsyncTimeoutException inner) {
                    return "inner timed out at " + millisSince(t0);
                }
            });
            assertEquals("inner timed out at 10", r);

            // Outer is shorter: the outer one times out; the inner one does not claim it.
            long t1 = now();
            List<String> seen = new ArrayList<>();
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(10), () -> {
                try {
                    return Async.withTimeout(ms(100), () -> {
                        Async.sleep(HOUR);
                        return null;
                    });
                } catch (AsyncTimeoutException wrong) {
                    seen.add("inner claimed the outer deadline");
                    throw wrong;
                }
            }));
            assertEquals(List.of(), seen);
            assertEquals(10, millisSince(t1));
            return null;
        });
    }

    @Test
    void aTaskCancelledInsideATimeoutSeesItsCancellationNotATimeout() {
        runVirtual(() -> {
            Task<Object> t = Async.spawn(() -> Async.withTimeout(HOUR, () -> {
                Async.sleep(HOUR.multipliedBy(2));
                return null;
            }));
            sleepMs(5);
            t.cancel("cancelled, not timed out");
            CancelledException e = assertThrows(CancelledException.class, t::await);
            assertEquals("cancelled, not timed out", e.getMessage());
            return null;
        });
    }

    // ------------------------------------------------------------------ await(Duration)

    @Test
    void awaitWithATimeoutGivesUpWithoutCancellingTheAwaitedTask() {
        runVirtual(() -> {
            Task<String> slow = Async.spawn(() -> {
                sleepMs(100);
                return "slow";
            });
            long t0 = now();
            assertThrows(AsyncTimeoutException.class, () -> slow.await(ms(30)));
            assertEquals(30, millisSince(t0));
            assertFalse(slow.isDone());
            assertFalse(slow.isCancelRequested());
            assertEquals("slow", slow.await(ms(100)), "it can be awaited again");
            assertEquals(100, millisSince(t0));
            return null;
        });
    }

    @Test
    void awaitWithATimeoutGivesUpWithoutCancellingTheAwaitedPromise() {
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            assertThrows(AsyncTimeoutException.class, () -> p.await(ms(10)));
            assertFalse(p.isDone());
            Async.currentLoop().callLater(ms(10), () -> p.complete("late"));
            assertEquals("late", p.await(ms(20)));
            return null;
        });
    }

    @Test
    void awaitWithATimeoutReturnsAtOnceWhenDoneAndRethrowsFailures() {
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            p.complete("done");
            assertEquals("done", p.await(Duration.ZERO));
            Promise<String> f = new Promise<>();
            IllegalStateException boom = new IllegalStateException("boom");
            Async.currentLoop().callLater(ms(5), () -> f.fail(boom));
            assertSame(boom, assertThrows(IllegalStateException.class, () -> f.await(ms(50))));
            assertThrows(NullPointerException.class, () -> p.await(null));
            return null;
        });
    }

    // ------------------------------------------------------------------ checked exceptions

    @Test
    void checkedExceptionsOfTheBodyPropagateWithTheirOwnType() throws Exception {
        IOException io = new IOException("disk");
        runVirtual(() -> {
            try {
                Async.withTimeout(ms(50), () -> {
                    sleepMs(1);
                    throw io;
                });
                fail("the body's exception was lost");
            } catch (IOException e) { // compiles only because E is inferred as IOException
                assertSame(io, e);
            }
            try {
                Async.moveOnAfter(ms(50), () -> {
                    throw new TimeoutException("mine");
                });
                fail("the body's exception was lost");
            } catch (TimeoutException e) {
                assertEquals("mine", e.getMessage());
            }
            try {
                Async.shield(() -> {
                    throw io;
                });
                fail("the body's exception was lost");
            } catch (IOException e) {
                assertSame(io, e);
            }
            return null;
        });
        // A body that throws nothing checked makes the call throw nothing checked: these lambdas
        // are Runnables, which may not throw checked exceptions.
        runVirtual(() -> {
            Runnable r1 = () -> Async.withTimeout(ms(1), () -> 1);
            Runnable r2 = () -> Async.waitFor(ms(1), () -> 1);
            Runnable r3 = () -> Async.moveOnAfter(ms(1), () -> 1);
            Runnable r4 = () -> Async.shield(() -> 1);
            r1.run();
            r2.run();
            r3.run();
            r4.run();
            return null;
        });
    }

    @Test
    void runtimeExceptionsOfTheBodyPassThroughUnwrapped() {
        runVirtual(() -> {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> Async.withTimeout(ms(50), () -> {
                sleepMs(1);
                throw boom;
            })));
            return null;
        });
    }

    @Test
    void timeoutsNeedATask() {
        assertThrows(IllegalStateException.class, () -> Async.withTimeout(ms(1), () -> 1));
    }

    @Test
    void theTimerEntryOfASleepCutShortNeverEndsALaterSleepEarly() {
        runVirtual(() -> {
            long t0 = now();
            assertNull(Async.moveOnAfter(ms(10), () -> {
                sleepMs(100); // its timer entry, due at 100 ms, stays in the heap
                return "slept";
            }));
            assertEquals(10, millisSince(t0));
            sleepMs(140); // passes 100 ms asleep
            assertEquals(150, millisSince(t0));
            return null;
        });
    }

    @Test
    void aSleepDueAtTheSameInstantAsAnEarlierCutShortSleepWakesOnceAtThatInstant() {
        runVirtual(() -> {
            long t0 = now();
            List<Long> woke = new ArrayList<>();
            assertNull(Async.moveOnAfter(ms(10), () -> {
                sleepMs(100);
                return "slept";
            }));
            sleepMs(90); // due at 100 ms, like the stale entry: either entry ends it, at 100 ms
            woke.add(millisSince(t0));
            sleepMs(50); // the entry left over at 100 ms must not end this one
            woke.add(millisSince(t0));
            Async.yieldNow();
            assertEquals(List.of(100L, 150L), woke);
            return null;
        });
    }
}
