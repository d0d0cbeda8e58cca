package io.jasyncio.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.Awaitable;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviours of CPython's {@code Lib/test/test_asyncio/test_timeouts.py} that apply to
 * jasyncio, written fresh. asyncio's {@code timeout()}/{@code timeout_at()} context is a
 * {@link CancelScope} made by {@code failAfter}/{@code failAt} here ({@link Async#withTimeout} when
 * the scope object is not needed); {@code cm.expired()} is {@link CancelScope#isExpired()},
 * {@code cm.when()} is {@link CancelScope#deadline()}, {@code cm.reschedule()} is
 * {@link CancelScope#setDeadline}/{@link CancelScope#clearDeadline()}, and {@code TimeoutError} is
 * {@link AsyncTimeoutException}.
 */
class TimeoutsConformanceTest extends ConformanceSupport {

    private static long now() {
        return Async.currentLoop().time();
    }

    /** test_timeout_basic. */
    @Test
    void timeoutBasic() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            assertThrows(AsyncTimeoutException.class, () -> cm.run(() -> sleepThen(sec(10), null)));
            assertTrue(cm.isExpired());
            assertTrue(cm.cancelledCaught());
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(10), () -> sleepThen(sec(10), null)));
            return null;
        });
        assertEquals(ms(20), elapsed());
    }

    /** test_timeout_at_basic. */
    @Test
    void timeoutAtBasic() {
        run(() -> {
            long deadline = now() + ms(10).toNanos();
            CancelScope cm = CancelScope.failAt(deadline);
            assertThrows(AsyncTimeoutException.class, () -> cm.run(() -> sleepThen(sec(10), null)));
            assertTrue(cm.isExpired());
            assertEquals(deadline, cm.deadline());
            assertEquals(deadline, now());
            return null;
        });
    }

    /** test_nested_timeouts: with equal deadlines only the outermost scope turns into a timeout. */
    @Test
    void nestedTimeouts() {
        run(() -> {
            long deadline = now() + ms(10).toNanos();
            boolean[] cancelled = {false};
            CancelScope cm1 = CancelScope.failAt(deadline), cm2 = CancelScope.failAt(deadline);
            assertThrows(AsyncTimeoutException.class, () -> cm1.run(() -> {
                try {
                    return cm2.run(() -> sleepThen(sec(10), null));
                } catch (CancelledException e) {
                    cancelled[0] = true;
                    throw e;
                }
            }));
            assertTrue(cancelled[0]);
            assertTrue(cm1.isExpired());
            assertTrue(cm2.isExpired());
            return null;
        });
    }

    /** test_waiter_cancelled: the body sees a CancelledException at its wait. */
    @Test
    void waiterCancelled() {
        run(() -> {
            boolean[] cancelled = {false};
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(10), () -> {
                try {
                    return sleepThen(sec(10), null);
                } catch (CancelledException e) {
                    cancelled[0] = true;
                    throw e;
                }
            }));
            assertTrue(cancelled[0]);
            return null;
        });
    }

    /** test_timeout_not_called. */
    @Test
    void timeoutNotCalled() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(sec(10));
            assertEquals("done", cm.run(() -> sleepThen(ms(10), "done")));
            long t1 = now();
            assertFalse(cm.isExpired());
            assertFalse(cm.cancelledCaught());
            assertTrue(cm.deadline() > t1);
            return null;
        });
        assertEquals(ms(10), elapsed());
    }

    /** test_timeout_disabled: a scope with no deadline. */
    @Test
    void timeoutDisabled() {
        run(() -> {
            CancelScope cm = CancelScope.create();
            assertEquals("done", cm.run(() -> sleepThen(ms(10), "done")));
            assertFalse(cm.isExpired());
            assertFalse(cm.hasDeadline());
            return null;
        });
    }

    /** test_timeout_at_disabled: a fail scope whose deadline was removed before entry. */
    @Test
    void timeoutAtDisabled() {
        run(() -> {
            CancelScope cm = CancelScope.failAt(now());
            cm.clearDeadline();
            assertEquals("done", cm.run(() -> sleepThen(ms(10), "done")));
            assertFalse(cm.isExpired());
            assertFalse(cm.hasDeadline());
            return null;
        });
    }

    /** test_timeout_zero. */
    @Test
    void timeoutZero() {
        run(() -> {
            long t0 = now();
            CancelScope cm = CancelScope.failAfter(Duration.ZERO);
            assertThrows(AsyncTimeoutException.class, () -> cm.run(() -> sleepThen(sec(10), null)));
            long t1 = now();
            assertTrue(cm.isExpired());
            assertTrue(t0 <= cm.deadline() && cm.deadline() <= t1);
            return null;
        });
        assertEquals(sec(0), elapsed());
    }

    /** test_timeout_zero_sleep_zero: a zero timeout cuts even a yield. */
    @Test
    void timeoutZeroSleepZero() {
        run(() -> {
            long t0 = now();
            CancelScope cm = CancelScope.failAfter(Duration.ZERO);
            assertThrows(AsyncTimeoutException.class, () -> cm.run(() -> {
                Async.yieldNow();
                return null;
            }));
            assertTrue(cm.isExpired());
            assertTrue(t0 <= cm.deadline() && cm.deadline() <= now());
            return null;
        });
    }

    /** test_timeout_in_the_past_sleep_zero. */
    @Test
    void timeoutInThePastSleepZero() {
        run(() -> {
            long t0 = now();
            CancelScope cm = CancelScope.failAfter(sec(-11));
            assertThrows(AsyncTimeoutException.class, () -> cm.run(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            }));
            assertTrue(cm.isExpired());
            assertTrue(cm.deadline() <= t0);
            return null;
        });
    }

    /** test_foreign_exception_passed. */
    @Test
    void foreignExceptionPassed() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            MyException keyError = new MyException("key");
            assertSame(keyError, assertThrows(MyException.class, () -> cm.run(() -> {
                throw keyError;
            })));
            assertFalse(cm.isExpired());
            return null;
        });
    }

    /**
     * test_timeout_exception_context: a wait in a finally block is cut by the deadline; the timeout's
     * cause is the cancellation. (Java has no implicit exception context: the finally's exception
     * replaces the one in flight.)
     */
    @Test
    void timeoutExceptionContext() {
        run(() -> {
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(10), () -> {
                try {
                    return 1 / zero();
                } finally {
                    Async.sleep(sec(1));
                }
            }));
            assertInstanceOf(CancelledException.class, e.getCause());
            return null;
        });
        assertEquals(ms(10), elapsed());
    }

    private static int zero() {
        return 0;
    }

    private static Object crash() {
        try {
            Async.sleep(sec(1));
        } finally {
            int x = 1 / zero();
        }
        return null;
    }

    /** test_foreign_exception_on_timeout: another exception raised while unwinding wins over the timeout. */
    @Test
    void foreignExceptionOnTimeout() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            assertThrows(ArithmeticException.class, () -> cm.run(TimeoutsConformanceTest::crash));
            assertTrue(cm.isExpired());
            assertFalse(cm.cancelledCaught());
            return null;
        });
    }

    /** test_foreign_exception_on_timeout_2. */
    @Test
    void foreignExceptionOnTimeout2() {
        run(() -> {
            assertThrows(ArithmeticException.class, () -> Async.withTimeout(ms(10), () -> {
                try {
                    try {
                        throw new MyException("value error");
                    } finally {
                        Async.sleep(sec(1));
                    }
                } finally {
                    try {
                        throw new MyException("key error");
                    } finally {
                        int x = 1 / zero();
                    }
                }
            }));
            return null;
        });
    }

    /** test_foreign_cancel_doesnt_timeout_if_not_expired. */
    @Test
    void foreignCancelDoesntTimeoutIfNotExpired() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(sec(10));
            Task<Object> t = Async.spawn(() -> cm.run(() -> {
                Async.currentTask().cancel();
                return sleepThen(sec(10), null);
            }));
            assertThrows(CancelledException.class, t::await);
            assertTrue(t.isCancelled());
            assertFalse(cm.isExpired());
            return null;
        });
        assertEquals(sec(0), elapsed());
    }

    /** test_outer_task_is_not_cancelled: a timeout handled inside a task leaves the task uncancelled. */
    @Test
    void outerTaskIsNotCancelled() {
        run(() -> {
            Task<Object> task = Async.spawn(() -> {
                assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(1), () -> sleepThen(sec(10), null)));
                Async.yieldNow();
                return null;
            });
            task.await();
            assertFalse(task.isCancelled());
            assertFalse(task.isCancelRequested());
            assertTrue(task.isDone());
            return null;
        });
    }

    /**
     * test_nested_timeouts_concurrent: the outer deadline passes while the loop is busy inside the
     * inner scope; the inner scope lets the outer's cancellation through, and the outer one times out.
     */
    @Test
    void nestedTimeoutsConcurrent() {
        run(() -> {
            CancelScope inner = CancelScope.failAfter(ms(100));
            boolean[] passedThroughInner = {false};
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(2), () -> {
                try {
                    return inner.run(() -> {
                        clock.advance(ms(10)); // pretend we crunch some numbers
                        return sleepThen(sec(1), null);
                    });
                } catch (CancelledException e) {
                    passedThroughInner[0] = true;
                    throw e;
                }
            }));
            assertTrue(passedThroughInner[0]);
            assertFalse(inner.isExpired());
            return null;
        });
    }

    /**
     * test_nested_timeouts_loop_busy: both deadlines pass while the loop is busy; the inner scope
     * times out first, and the outer one still cuts the next wait.
     */
    @Test
    void nestedTimeoutsLoopBusy() {
        run(() -> {
            long t0 = now();
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(100), () -> {
                assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(10), () -> {
                    clock.advance(ms(100)); // the loop is busy for a while
                    return sleepThen(sec(1), null);
                }));
                return sleepThen(sec(10), null); // interrupted by the outer deadline
            }));
            long t1 = now();
            assertTrue(t0 <= t1 && t1 <= t0 + sec(1).toNanos());
            return null;
        });
    }

    /** test_reschedule: the deadline moves, or goes away, while the body runs. */
    @Test
    void reschedule() {
        run(() -> {
            long deadline1 = now() + sec(10).toNanos();
            long deadline2 = deadline1 + sec(20).toNanos();
            Promise<CancelScope> fut = new Promise<>();
            Task<Object> task = Async.spawn(() -> {
                CancelScope cm = CancelScope.failAt(deadline1);
                return cm.run(() -> {
                    fut.complete(cm);
                    return sleepThen(sec(50), null);
                });
            });
            CancelScope cm = fut.await();
            assertEquals(deadline1, cm.deadline());
            cm.setDeadline(deadline2);
            assertEquals(deadline2, cm.deadline());
            cm.clearDeadline();
            assertFalse(cm.hasDeadline());
            Async.sleep(sec(40)); // past both deadlines: neither applies any more
            assertFalse(task.isDone());
            task.cancel();
            assertThrows(CancelledException.class, task::await);
            assertFalse(cm.isExpired());
            return null;
        });
    }

    /** test_reschedule, continued (our addition): a deadline moved into the past expires at once. */
    @Test
    void rescheduleIntoThePast() {
        run(() -> {
            Promise<CancelScope> fut = new Promise<>();
            Task<Object> task = Async.spawn(() -> {
                CancelScope cm = CancelScope.failAfter(sec(10));
                return cm.run(() -> {
                    fut.complete(cm);
                    return sleepThen(sec(50), null);
                });
            });
            CancelScope cm = fut.await();
            cm.setDeadline(now() - 1);
            assertThrows(AsyncTimeoutException.class, task::await);
            assertTrue(cm.isExpired());
            return null;
        });
        assertEquals(sec(0), elapsed());
    }

    /** test_repr_active. */
    @Test
    void toStringActive() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(sec(10));
            cm.run(() -> {
                assertTrue(cm.toString().matches("CancelScope\\[active, deadline=\\d+]"), cm.toString());
                return null;
            });
            return null;
        });
    }

    /** test_repr_expired. */
    @Test
    void toStringExpired() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            assertThrows(AsyncTimeoutException.class, () -> cm.run(() -> sleepThen(sec(10), null)));
            assertTrue(cm.toString().startsWith("CancelScope[cancelled"), cm.toString());
            return null;
        });
    }

    /** test_repr_disabled. */
    @Test
    void toStringDisabled() {
        run(() -> {
            CancelScope cm = CancelScope.create();
            cm.run(() -> {
                assertEquals("CancelScope[active]", cm.toString());
                return null;
            });
            return null;
        });
    }

    /**
     * test_nested_timeout_in_finally (differs: level-triggered): in the finally block of a scope
     * that timed out, the scope is still cancelled, so an unshielded inner timeout is cut at once by
     * the outer cancellation, which passes through it. A shielded inner timeout works as in asyncio.
     */
    @Test
    void nestedTimeoutInFinally() {
        run(() -> {
            CancelledException[] unshielded = {null};
            AsyncTimeoutException[] shielded = {null};
            AsyncTimeoutException e1 = assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(10), () -> {
                try {
                    return sleepThen(sec(1), null);
                } finally {
                    unshielded[0] = assertThrows(CancelledException.class,
                            () -> Async.withTimeout(ms(10), () -> sleepThen(sec(10), null)));
                    shielded[0] = assertThrows(AsyncTimeoutException.class,
                            () -> Async.shield(() -> Async.withTimeout(ms(10), () -> sleepThen(sec(10), null))));
                }
            }));
            assertInstanceOf(CancelledException.class, e1.getCause());
            assertNotNull(unshielded[0]);
            assertInstanceOf(CancelledException.class, shielded[0].getCause());
            return null;
        });
        assertEquals(ms(20), elapsed());
    }

    /**
     * test_timeout_after_cancellation (differs): in a task that has been cancelled, its own
     * cancellation wins over an inner timeout: a cleanup wait under a zero timeout gets the
     * CancelledException, not a timeout. (Shield the cleanup to give it a timeout of its own.)
     */
    @Test
    void timeoutAfterCancellation() {
        run(() -> {
            CancelledException[] inCleanup = {null};
            Task<Object> t = Async.spawn(() -> {
                try {
                    Async.currentTask().cancel();
                    Async.sleep(sec(1)); // work which will be cancelled
                } catch (CancelledException e) {
                    // handled
                } finally {
                    inCleanup[0] = assertThrows(CancelledException.class,
                            () -> Async.withTimeout(Duration.ZERO, () -> sleepThen(sec(1), null)));
                    assertThrows(AsyncTimeoutException.class,
                            () -> Async.shield(() -> Async.withTimeout(Duration.ZERO, () -> sleepThen(sec(1), null))));
                }
                return "cleaned up";
            });
            assertEquals("cleaned up", t.await());
            assertNotNull(inCleanup[0]);
            return null;
        });
        assertEquals(sec(0), elapsed());
    }

    /** test_cancel_in_timeout_after_cancellation. */
    @Test
    void cancelInTimeoutAfterCancellation() {
        run(() -> {
            Task<Object> t = Async.spawn(() -> {
                try {
                    Async.currentTask().cancel();
                    Async.sleep(sec(1));
                } catch (CancelledException e) {
                    // handled
                } finally {
                    assertThrows(CancelledException.class, () -> Async.withTimeout(sec(1), () -> {
                        Async.currentTask().cancel();
                        return sleepThen(sec(2), null);
                    }));
                }
                return null;
            });
            t.await();
            return null;
        });
        assertEquals(sec(0), elapsed());
    }

    /** test_timeout_exception_cause (older CPython): the timeout's cause is the cancellation it converted. */
    @Test
    void timeoutExceptionCause() {
        run(() -> {
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class,
                    () -> Async.withTimeout(Duration.ZERO, () -> sleepThen(sec(1), null)));
            assertInstanceOf(CancelledException.class, e.getCause());
            return null;
        });
    }

    /** test_timeout_already_entered. */
    @Test
    void timeoutAlreadyEntered() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            cm.run(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm.run(() -> null));
                assertTrue(e.getMessage().contains("only once"), e.getMessage());
                return null;
            });
            return null;
        });
    }

    /** test_timeout_double_enter. */
    @Test
    void timeoutDoubleEnter() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            cm.run(() -> null);
            assertThrows(IllegalStateException.class, () -> cm.run(() -> null));
            return null;
        });
    }

    /**
     * test_timeout_finished (differs): moving the deadline of a scope that has been left is allowed
     * and has no effect (asyncio raises RuntimeError).
     */
    @Test
    void rescheduleAfterFinished() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            cm.run(() -> null);
            cm.setTimeout(ms(20));
            assertTrue(cm.hasDeadline());
            Async.sleep(ms(30));
            assertFalse(cm.isExpired());
            assertFalse(cm.isCancelled());
            return null;
        });
    }

    /**
     * test_timeout_expired (differs): moving the deadline of a scope that expired is allowed and
     * undoes nothing.
     */
    @Test
    void rescheduleAfterExpired() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            assertThrows(AsyncTimeoutException.class, () -> cm.run(() -> sleepThen(sec(1), null)));
            cm.setTimeout(ms(20));
            assertTrue(cm.isExpired());
            assertTrue(cm.isCancelled());
            return null;
        });
    }

    /**
     * test_timeout_expiring (differs: level-triggered): inside a scope that has expired, moving the
     * deadline later does not undo the cancellation; every later wait in the scope still throws.
     */
    @Test
    void rescheduleWhileExpiring() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(ms(10));
            String r = cm.run(() -> {
                assertThrows(CancelledException.class, () -> Async.sleep(sec(1)));
                cm.setTimeout(ms(20));
                assertThrows(CancelledException.class, Async::yieldNow);
                return "body swallowed its cancellations";
            });
            assertEquals("body swallowed its cancellations", r);
            assertTrue(cm.isExpired());
            assertFalse(cm.cancelledCaught());
            return null;
        });
        assertEquals(ms(10), elapsed());
    }

    /**
     * test_timeout_not_entered (differs): a deadline set before the scope is entered is allowed; it
     * takes effect on entry.
     */
    @Test
    void rescheduleBeforeEntered() {
        run(() -> {
            CancelScope cm = CancelScope.failAfter(sec(100));
            cm.setTimeout(ms(20));
            assertThrows(AsyncTimeoutException.class, () -> cm.run(() -> sleepThen(sec(1), null)));
            return null;
        });
        assertEquals(ms(20), elapsed());
    }

    /** test_timeout_without_task: a scope runs in a task; a relative deadline needs a running loop. */
    @Test
    void timeoutWithoutTask() {
        assertThrows(IllegalStateException.class, () -> CancelScope.failAfter(ms(10)));
        CancelScope cm = CancelScope.failAt(0);
        assertThrows(IllegalStateException.class, () -> cm.run(() -> null));
        assertThrows(IllegalStateException.class, () -> Async.withTimeout(ms(10), () -> null));
        run(() -> {
            Promise<IllegalStateException> fromCallback = new Promise<>();
            Async.currentLoop().callSoon(() -> {
                try {
                    CancelScope.create().run(() -> null);
                } catch (IllegalStateException e) {
                    fromCallback.complete(e);
                }
            });
            assertTrue(fromCallback.await().getMessage().contains("not inside a task"));
            return null;
        });
    }

    private static Object sleepThenFailInCleanup() {
        try {
            Async.sleep(sec(2));
        } finally {
            int x = 1 / zero(); // crash in cleanup
        }
        return null;
    }

    /**
     * test_timeout_taskgroup: a timeout around a task group whose child fails in its cleanup. As
     * in asyncio, the group's failure outranks the timeout: the timeout scope throws the
     * TaskGroupException that rode out of the body on its cancellation.
     */
    @Test
    void timeoutTaskGroup() {
        run(() -> {
            TaskGroupException group = assertThrows(TaskGroupException.class, () -> Async.withTimeout(ms(10), () -> {
                try (TaskGroup tg = Async.taskGroup()) {
                    tg.spawn(TimeoutsConformanceTest::sleepThenFailInCleanup);
                    try {
                        throw new MyException("value error");
                    } finally {
                        Async.sleep(sec(1));
                    }
                }
            }));
            assertEquals(1, group.exceptions().size());
            assertInstanceOf(ArithmeticException.class, group.exceptions().get(0));
            return null;
        });
        assertEquals(ms(10), elapsed());
    }

    // ------------------------------------------------------------------ wait_for and friends (our semantics)

    /**
     * waitFor/withTimeout own the call they wrap: on timeout, the call's own waits are cancelled
     * (its cleanup runs) before the timeout is thrown.
     */
    @Test
    void waitForCancelsTheWrappedCall() {
        run(() -> {
            boolean[] cleanedUp = {false};
            assertThrows(AsyncTimeoutException.class, () -> Async.waitFor(ms(100), () -> {
                try {
                    return sleepThen(sec(10), "too late");
                } finally {
                    cleanedUp[0] = true;
                }
            }));
            assertTrue(cleanedUp[0]);
            assertEquals("in time", Async.waitFor(sec(1), () -> sleepThen(ms(10), "in time")));
            return null;
        });
        assertEquals(ms(110), elapsed());
    }

    /**
     * Awaiting with a timeout gives up on the awaitable but does not cancel it (asyncio's
     * wait_for(task) would); the task can still be awaited.
     */
    @Test
    void awaitWithTimeoutDoesNotCancelTheAwaited() {
        run(() -> {
            Task<String> t = Async.spawn(() -> sleepThen(sec(1), "finished"));
            assertThrows(AsyncTimeoutException.class, () -> t.await(ms(100)));
            assertFalse(t.isCancelRequested());
            assertEquals("finished", t.await());
            Promise<String> p = new Promise<>();
            p.complete("done");
            assertEquals("done", p.await(Duration.ZERO)); // done already: no suspension, no timeout
            return null;
        });
        assertEquals(sec(1), elapsed());
    }

    /** moveOnAfter: the deadline ends the body quietly with null. */
    @Test
    void moveOnAfterReturnsNull() {
        run(() -> {
            assertNull(Async.moveOnAfter(ms(10), () -> sleepThen(sec(10), "never")));
            assertEquals("quick", Async.moveOnAfter(sec(10), () -> "quick"));
            return null;
        });
        assertEquals(ms(10), elapsed());
    }

    /** gather inside a timeout: the timeout cuts the wait but leaves the gathered tasks running. */
    @Test
    void timeoutAroundGatherLeavesTasksRunning() {
        run(() -> {
            Task<String> slow = Async.spawn(() -> sleepThen(sec(1), "slow"));
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(10), () -> Async.gather(slow)));
            assertFalse(slow.isDone());
            assertEquals(List.of("slow"), Async.gather(slow));
            assertEquals(Awaitable.State.SUCCESS, slow.state());
            return null;
        });
    }
}
