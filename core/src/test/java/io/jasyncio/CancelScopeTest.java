package io.jasyncio;

import static io.jasyncio.TestSupport.assertThrowsWithMessage;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancelScopeTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void cancellingAScopeEndsItsBodyAndTheTaskGoesOn() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            CancelScope scope = CancelScope.create();
            assertFalse(scope.isCancelled());
            assertFalse(scope.hasDeadline());
            Async.currentLoop().callLater(ms(10), () -> scope.cancel("scope off"));
            long t0 = now();
            String r = scope.run(() -> {
                try {
                    Async.sleep(HOUR);
                    return "slept";
                } catch (CancelledException e) {
                    events.add("body saw: " + e.getMessage());
                    throw e;
                }
            });
            assertNull(r);
            assertEquals(10, millisSince(t0));
            assertTrue(scope.isCancelled());
            assertTrue(scope.cancelledCaught());
            assertFalse(scope.isExpired());
            sleepMs(5); // the task itself is not cancelled
            events.add("after the scope");
            return null;
        });
        assertEquals(List.of("body saw: scope off", "after the scope"), events);
    }

    @Test
    void aScopeCancelledBeforeEntryCutsTheBodyAtItsFirstSuspensionPoint() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            CancelScope scope = CancelScope.create();
            scope.cancel();
            scope.cancel(); // idempotent
            assertNull(scope.run(() -> {
                events.add("body starts");
                Async.yieldNow();
                events.add("unreachable");
                return "x";
            }));
            assertTrue(scope.cancelledCaught());
            return null;
        });
        assertEquals(List.of("body starts"), events);
    }

    @Test
    void aBodyThatFinishesDespiteTheCancellationKeepsItsValue() {
        runVirtual(() -> {
            CancelScope scope = CancelScope.create();
            String r = scope.run(() -> {
                scope.cancel();
                return "finished without suspending";
            });
            assertEquals("finished without suspending", r);
            assertFalse(scope.cancelledCaught());

            CancelScope scope2 = CancelScope.create();
            String r2 = scope2.run(() -> {
                try {
                    scope2.cancel();
                    Async.yieldNow();
                    return "unreachable";
                } catch (CancelledException e) {
                    return "caught and returned";
                }
            });
            assertEquals("caught and returned", r2);
            assertFalse(scope2.cancelledCaught());
            return null;
        });
    }

    @Test
    void everySuspensionPointInsideACancelledScopeThrowsButNoneAfterIt() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                scope.cancel("level");
                for (int i = 0; i < 3; i++) {
                    try {
                        sleepMs(1);
                    } catch (CancelledException e) {
                        events.add(e.getMessage() + " " + i);
                    }
                }
                return null;
            });
            assertFalse(scope.cancelledCaught(), "the body swallowed every exception");
            sleepMs(1);
            Async.yieldNow();
            events.add("outside fine");
            return null;
        });
        assertEquals(List.of("level 0", "level 1", "level 2", "outside fine"), events);
    }

    @Test
    void aCancelledScopeExceptionIsNotCaughtByAnotherScope() {
        runVirtual(() -> {
            CancelScope outer = CancelScope.create();
            CancelScope inner = CancelScope.create();
            String r = outer.run(() -> {
                inner.run(() -> {
                    outer.cancel();
                    sleepMs(1);
                    return null;
                });
                return "unreachable";
            });
            assertNull(r);
            assertTrue(outer.cancelledCaught());
            assertFalse(inner.cancelledCaught());
            return null;
        });
    }

    // ------------------------------------------------------------------ deadlines

    @Test
    void moveOnAfterEndsTheBodyAtTheDeadline() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope scope = CancelScope.moveOnAfter(ms(30));
            assertTrue(scope.hasDeadline());
            assertEquals(t0 + ms(30).toNanos(), scope.deadline());
            assertNull(scope.run(() -> {
                Async.sleep(HOUR);
                return "slept";
            }));
            assertEquals(30, millisSince(t0));
            assertTrue(scope.cancelledCaught());
            assertTrue(scope.isExpired());
            assertTrue(scope.isCancelled());
            return null;
        });
    }

    @Test
    void aBodyFinishingBeforeTheDeadlineLeavesNoTimerBehind() {
        runVirtual(() -> {
            CancelScope scope = CancelScope.moveOnAfter(ms(30));
            assertEquals("quick", scope.run(() -> {
                sleepMs(10);
                return "quick";
            }));
            assertFalse(scope.cancelledCaught());
            long t0 = now();
            sleepMs(100); // well past the old deadline: must not throw
            assertEquals(100, millisSince(t0));
            assertFalse(scope.isExpired());
            return null;
        });
    }

    @Test
    void failAfterThrowsAsyncTimeoutExceptionCausedByTheCancellation() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope scope = CancelScope.failAfter(ms(20));
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> scope.run(() -> {
                Async.sleep(HOUR);
                return null;
            }));
            assertEquals(20, millisSince(t0));
            assertEquals("timed out after 20 ms", e.getMessage());
            assertInstanceOf(CancelledException.class, e.getCause());
            assertTrue(scope.cancelledCaught());
            assertTrue(scope.isExpired());
            return null;
        });
    }

    @Test
    void aFailScopeCancelledByHandEndsQuietly() {
        runVirtual(() -> {
            CancelScope scope = CancelScope.failAfter(HOUR);
            Async.currentLoop().callLater(ms(5), scope::cancel);
            assertNull(scope.run(() -> {
                Async.sleep(HOUR.multipliedBy(2));
                return "x";
            }), "only an expired deadline is a timeout");
            assertTrue(scope.cancelledCaught());
            assertFalse(scope.isExpired());
            return null;
        });
    }

    @Test
    void theDeadlineCanBeMovedEarlierWhileTheBodyRuns() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope scope = CancelScope.moveOnAfter(HOUR);
            Async.currentLoop().callLater(ms(10), () -> scope.setDeadline(Async.currentLoop().time() + ms(5).toNanos()));
            assertNull(scope.run(() -> {
                Async.sleep(HOUR.multipliedBy(2));
                return "x";
            }));
            assertEquals(15, millisSince(t0));
            assertTrue(scope.isExpired());
            return null;
        });
    }

    @Test
    void theDeadlineCanBeMovedLaterWhileTheBodyRuns() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope scope = CancelScope.moveOnAfter(ms(10));
            Async.currentLoop().callLater(ms(5), () -> scope.setTimeout(ms(100)));
            assertNull(scope.run(() -> {
                Async.sleep(HOUR);
                return "x";
            }));
            assertEquals(105, millisSince(t0));
            return null;
        });
    }

    @Test
    void theBodyCanMoveItsOwnDeadlineToThePast() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope scope = CancelScope.moveOnAfter(HOUR);
            assertNull(scope.run(() -> {
                sleepMs(7);
                scope.setDeadline(now() - 1);
                sleepMs(1);
                return "x";
            }));
            assertEquals(7, millisSince(t0));
            assertTrue(scope.isExpired());
            return null;
        });
    }

    @Test
    void clearDeadlineRemovesTheTimeout() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope scope = CancelScope.failAfter(ms(10));
            assertEquals("ran", scope.run(() -> {
                scope.clearDeadline();
                assertFalse(scope.hasDeadline());
                sleepMs(50);
                return "ran";
            }));
            assertEquals(50, millisSince(t0));
            assertFalse(scope.isCancelled());
            return null;
        });
    }

    @Test
    void aDeadlineAlreadyPastAtEntryCutsTheBodyAtItsFirstSuspensionPoint() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            long t0 = now();
            CancelScope scope = CancelScope.moveOnAt(t0 - 1);
            assertNull(scope.run(() -> {
                events.add("entered");
                sleepMs(10);
                events.add("unreachable");
                return "x";
            }));
            assertTrue(scope.isExpired());
            assertTrue(scope.cancelledCaught());
            assertEquals(0, millisSince(t0));

            // A body that never suspends still finishes.
            assertEquals("no suspension", CancelScope.moveOnAt(t0 - 1).run(() -> "no suspension"));

            CancelScope fail = CancelScope.failAt(now());
            assertThrows(AsyncTimeoutException.class, () -> fail.run(() -> {
                Async.yieldNow();
                return null;
            }));
            assertThrows(AsyncTimeoutException.class, () -> CancelScope.failAfter(ms(-5)).run(() -> {
                Async.yieldNow();
                return null;
            }));
            return null;
        });
        assertEquals(List.of("entered"), events);
    }

    // ------------------------------------------------------------------ what the timeout says

    @Test
    void aDurationTimeoutNamesItsDurationInsideAndOutTheBody() {
        List<String> seen = new ArrayList<>();
        runVirtual(() -> {
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(50), () -> {
                try {
                    Async.sleep(HOUR);
                    return null;
                } catch (CancelledException c) {
                    seen.add(c.getMessage());
                    throw c;
                }
            }));
            assertEquals("timed out after 50 ms", e.getMessage());
            assertEquals("timed out after 250 ms", assertThrows(AsyncTimeoutException.class,
                    () -> new Promise<String>(Async.currentLoop()).await(ms(250))).getMessage());
            assertEquals("timed out after 1.5 ms", assertThrows(AsyncTimeoutException.class,
                    () -> Async.withTimeout(Duration.ofNanos(1_500_000), () -> {
                        Async.sleep(HOUR);
                        return null;
                    })).getMessage());
            assertEquals("timed out after 90 s", assertThrows(AsyncTimeoutException.class,
                    () -> Async.withTimeout(Duration.ofSeconds(90), () -> {
                        Async.sleep(HOUR);
                        return null;
                    })).getMessage());
            return null;
        });
        assertEquals(List.of("timed out after 50 ms"), seen, "the cancellation inside says the same");
    }

    @Test
    void aDeadlineTimeoutNamesItsDeadline() {
        runVirtual(() -> {
            long deadline = now() + ms(30).toNanos();
            CancelScope scope = CancelScope.failAt(deadline);
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> scope.run(() -> {
                Async.sleep(HOUR);
                return null;
            }));
            assertEquals("deadline passed: " + deadline + " ns on the loop's clock, 30 ms after the scope was entered",
                    e.getMessage());
            return null;
        });
    }

    @Test
    void aMovedDeadlineSaysHowItWasMovedAndHowLongTheScopeRan() {
        runVirtual(() -> {
            CancelScope later = CancelScope.failAfter(ms(10));
            Async.currentLoop().callLater(ms(5), () -> later.setTimeout(ms(100)));
            assertEquals("timed out after 100 ms (the timeout was set again 5 ms after the scope was entered;"
                    + " the scope ran 105 ms)", assertThrows(AsyncTimeoutException.class, () -> later.run(() -> {
                        Async.sleep(HOUR);
                        return null;
                    })).getMessage());

            CancelScope earlier = CancelScope.failAfter(HOUR);
            long[] deadline = new long[1];
            Async.currentLoop().callLater(ms(10), () -> {
                deadline[0] = now() + ms(5).toNanos();
                earlier.setDeadline(deadline[0]);
            });
            String m = assertThrows(AsyncTimeoutException.class, () -> earlier.run(() -> {
                Async.sleep(HOUR.multipliedBy(2));
                return null;
            })).getMessage();
            assertEquals("deadline passed: " + deadline[0] + " ns on the loop's clock (the deadline was set again 10 ms"
                    + " after the scope was entered; the scope ran 15 ms)", m);

            // Set again before the scope is entered: nothing was moved while it ran.
            CancelScope reset = CancelScope.failAfter(HOUR);
            reset.setTimeout(ms(20));
            assertEquals("timed out after 20 ms", assertThrows(AsyncTimeoutException.class, () -> reset.run(() -> {
                Async.sleep(HOUR);
                return null;
            })).getMessage());
            return null;
        });
    }

    @Test
    void aTimeoutAlreadyPastSaysSo() {
        runVirtual(() -> {
            assertEquals("timed out after -5 ms (already past when the scope was entered)",
                    assertThrows(AsyncTimeoutException.class, () -> CancelScope.failAfter(ms(-5)).run(() -> {
                        Async.yieldNow();
                        return null;
                    })).getMessage());
            assertEquals("timed out after 0 ms (already past when the scope was entered)",
                    assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(Duration.ZERO, () -> {
                        Async.yieldNow();
                        return null;
                    })).getMessage());
            return null;
        });
    }

    // ------------------------------------------------------------------ nesting and shields

    @Test
    void inNestedScopesTheOutermostCancelledScopeWins() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            CancelScope outer = CancelScope.create();
            CancelScope inner = CancelScope.create();
            outer.run(() -> {
                inner.run(() -> {
                    inner.cancel("inner");
                    outer.cancel("outer");
                    try {
                        Async.sleep(HOUR);
                    } catch (CancelledException e) {
                        events.add("seen: " + e.getMessage());
                        throw e;
                    }
                    return null;
                });
                events.add("unreachable: between the scopes");
                return null;
            });
            assertTrue(outer.cancelledCaught());
            assertFalse(inner.cancelledCaught(), "the exception unwinds past the inner scope in one go");
            return null;
        });
        assertEquals(List.of("seen: outer"), events);
    }

    @Test
    void anInnerScopesCancellationStaysInside() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            CancelScope outer = CancelScope.create();
            outer.run(() -> {
                CancelScope inner = CancelScope.moveOnAfter(ms(10));
                inner.run(() -> {
                    Async.sleep(HOUR);
                    return null;
                });
                assertTrue(inner.cancelledCaught());
                sleepMs(5);
                events.add("outer body continues");
                return null;
            });
            assertFalse(outer.cancelledCaught());
            return null;
        });
        assertEquals(List.of("outer body continues"), events);
    }

    @Test
    void nestedDeadlinesFireInTimeOrder() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope outer = CancelScope.moveOnAfter(ms(10));
            CancelScope inner = CancelScope.moveOnAfter(ms(20));
            outer.run(() -> inner.run(() -> {
                Async.sleep(HOUR);
                return null;
            }));
            assertEquals(10, millisSince(t0));
            assertTrue(outer.cancelledCaught());
            assertFalse(inner.cancelledCaught());
            assertFalse(inner.isExpired());
            return null;
        });
    }

    @Test
    void aShieldHidesAnOuterCancellationUntilItIsLeft() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            CancelScope outer = CancelScope.create();
            outer.run(() -> {
                CancelScope shield = CancelScope.create();
                shield.setShield(true);
                assertTrue(shield.isShield());
                shield.run(() -> {
                    outer.cancel();
                    sleepMs(10);
                    events.add("shielded sleep completed");
                    return null;
                });
                events.add("left the shield");
                sleepMs(1);
                events.add("unreachable");
                return null;
            });
            assertTrue(outer.cancelledCaught());
            return null;
        });
        assertEquals(List.of("shielded sleep completed", "left the shield"), events);
    }

    @Test
    void aShieldHidesTheTasksOwnCancellation() {
        runVirtual(() -> {
            Task<String> t = Async.spawn(() -> {
                CancelScope shield = CancelScope.create();
                shield.setShield(true);
                return shield.run(() -> {
                    sleepMs(20);
                    return "shielded";
                });
            });
            sleepMs(5);
            t.cancel();
            assertEquals("shielded", t.await(), "the task returned without suspending after the shield");
            return null;
        });
    }

    @Test
    void aShieldedScopesOwnDeadlineStillApplies() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope shield = CancelScope.moveOnAfter(ms(15));
            shield.setShield(true);
            assertNull(shield.run(() -> {
                Async.sleep(HOUR);
                return "x";
            }));
            assertEquals(15, millisSince(t0));
            return null;
        });
    }

    @Test
    void droppingAShieldWhileParkedDeliversThePendingOuterCancellationAtOnce() {
        runVirtual(() -> {
            long t0 = now();
            CancelScope outer = CancelScope.create();
            CancelScope shield = CancelScope.create();
            shield.setShield(true);
            Async.currentLoop().callLater(ms(5), () -> outer.cancel());
            Async.currentLoop().callLater(ms(12), () -> shield.setShield(false));
            outer.run(() -> shield.run(() -> {
                Async.sleep(HOUR);
                return null;
            }));
            assertTrue(outer.cancelledCaught());
            assertEquals(12, millisSince(t0));
            return null;
        });
    }

    // ------------------------------------------------------------------ misuse

    @Test
    void aScopeCanBeEnteredOnlyOnce() {
        runVirtual(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(() -> null);
            assertThrowsWithMessage(IllegalStateException.class, () -> scope.run(() -> null), "only once");
            CancelScope nested = CancelScope.create();
            assertThrowsWithMessage(IllegalStateException.class, () -> nested.run(() -> nested.run(() -> null)),
                    "only once");
            return null;
        });
    }

    @Test
    void scopesLeftOutOfOrderFail() {
        runVirtual(() -> {
            TaskGroup outer = Async.taskGroup();
            TaskGroup inner = Async.taskGroup();
            assertThrowsWithMessage(IllegalStateException.class, outer::close, "reverse order");
            inner.close();
            // A cancel scope whose body leaves a task group open cannot exit either.
            TaskGroup[] leaked = new TaskGroup[1];
            assertThrowsWithMessage(IllegalStateException.class, () -> CancelScope.create().run(() -> {
                leaked[0] = Async.taskGroup();
                return null;
            }), "reverse order");
            leaked[0].close();
            return null;
        });
    }

    @Test
    void runOutsideATaskFails() {
        assertThrows(IllegalStateException.class, () -> CancelScope.create().run(() -> null));
        assertThrows(IllegalStateException.class, () -> CancelScope.moveOnAfter(ms(1)),
                "a relative timeout needs a running loop");
    }

    @Test
    void cancellingAScopeAfterItWasLeftHasNoEffect() {
        runVirtual(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                sleepMs(1);
                return null;
            });
            scope.cancel();
            sleepMs(1);
            assertFalse(scope.cancelledCaught());
            assertTrue(scope.toString().contains("cancelled"), scope.toString());
            return null;
        });
    }

    @Test
    void cancelledCaughtIsFalseForAnExceptionOfTheBodysOwn() {
        runVirtual(() -> {
            CancelScope scope = CancelScope.create();
            IllegalStateException own = new IllegalStateException("own");
            assertSame(own, assertThrows(IllegalStateException.class, () -> scope.run(() -> {
                throw own;
            })));
            assertFalse(scope.cancelledCaught());
            return null;
        });
    }
}
