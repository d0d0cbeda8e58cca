package io.jasyncio.sync;

import static io.jasyncio.sync.SyncTesting.go;
import static io.jasyncio.sync.SyncTesting.ms;
import static io.jasyncio.sync.SyncTesting.run;
import static io.jasyncio.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try")
class ConditionTest {

    @Test
    void producerConsumerWithAwaitUntil() {
        List<Integer> consumed = run(() -> {
            Condition changed = new Condition();
            ArrayDeque<Integer> items = new ArrayDeque<>();
            List<Integer> out = new ArrayList<>();
            Task<Object> consumer = go(() -> {
                for (int i = 0; i < 5; i++) {
                    try (var held = changed.acquire()) {
                        changed.awaitUntil(() -> !items.isEmpty());
                        out.add(items.remove());
                    }
                }
            });
            for (int i = 0; i < 5; i++) {
                Async.sleep(ms(1));
                try (var held = changed.acquire()) {
                    items.add(i);
                    changed.signal();
                }
            }
            consumer.await();
            return out;
        });
        assertEquals(List.of(0, 1, 2, 3, 4), consumed);
    }

    @Test
    void awaitReleasesTheLockWhileWaitingAndHoldsItAgainAfter() {
        run(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Object> w = go(() -> {
                try (var held = cond.acquire()) {
                    cond.await();
                    log.add("woke holding=" + cond.lock().isHeldByCurrentTask());
                }
            });
            tick();
            assertFalse(cond.isLocked(), "the waiter released the lock");
            try (var held = cond.acquire()) {
                cond.signal();
                tick();
                assertTrue(log.isEmpty(), "the signalled task waits for the lock");
            }
            w.await();
            assertEquals(List.of("woke holding=true"), log);
            return null;
        });
    }

    @Test
    void signalWakesInFifoOrderAndSignalAllWakesTheRest() {
        List<String> order = run(() -> {
            Condition cond = new Condition();
            List<String> woke = new ArrayList<>();
            List<Task<?>> ts = new ArrayList<>();
            for (String n : List.of("a", "b", "c", "d")) {
                ts.add(go(() -> {
                    try (var held = cond.acquire()) {
                        cond.await();
                        woke.add(n);
                    }
                }));
            }
            tick();
            assertEquals(4, cond.queueLength());
            try (var held = cond.acquire()) {
                cond.signal();
                cond.signal(0);
            }
            tick();
            assertEquals(List.of("a"), woke);
            try (var held = cond.acquire()) {
                cond.signalAll();
            }
            for (Task<?> t : ts) {
                t.await();
            }
            return woke;
        });
        assertEquals(List.of("a", "b", "c", "d"), order);
    }

    @Test
    void cancelledWaiterReacquiresTheLockBeforeThrowingAndTheSignalGoesToTheNext() {
        run(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Object> a = go(() -> {
                try (var held = cond.acquire()) {
                    try {
                        cond.await();
                    } catch (CancelledException e) {
                        log.add("a cancelled, holding=" + cond.lock().isHeldByCurrentTask());
                        throw e;
                    }
                }
            });
            Task<String> b = Async.spawn(() -> {
                try (var held = cond.acquire()) {
                    cond.await();
                    return "b";
                }
            });
            tick();
            try (var held = cond.acquire()) {
                a.cancel();
                assertEquals(1, cond.queueLength(), "a left the wait queue at once");
                cond.signal();
                tick();
                assertTrue(log.isEmpty(), "a waits for the lock, which we hold, before it can throw");
            }
            assertEquals("b", b.await());
            assertThrows(CancelledException.class, a::await);
            assertEquals(List.of("a cancelled, holding=true"), log);
            assertFalse(cond.isLocked());
            return null;
        });
    }

    @Test
    void waiterSignalledAndCancelledBeforeResumingReturnsNormally() {
        run(() -> {
            Condition cond = new Condition();
            int[] state = {0};
            Task<Object> consumer = go(() -> {
                try (var held = cond.acquire()) {
                    cond.awaitUntil(() -> state[0] > 0);
                    state[0]--; // the item is consumed although the task was cancelled
                    cond.await(); // the cancellation fires here
                }
            });
            tick();
            try (var held = cond.acquire()) {
                state[0]++;
                cond.signal();
                consumer.cancel();
            }
            assertThrows(CancelledException.class, consumer::await);
            assertEquals(0, state[0]);
            assertFalse(cond.isLocked());
            assertEquals(0, cond.queueLength());
            return null;
        });
    }

    @Test
    void timeoutInsideTheLockedBlock() {
        VirtualTestClock clock = new VirtualTestClock();
        run(clock, () -> {
            Condition cond = new Condition();
            try (var held = cond.acquire()) {
                long t0 = clock.nanoTime();
                assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(500), () -> {
                    cond.await();
                    return null;
                }));
                assertEquals(ms(500).toNanos(), clock.nanoTime() - t0);
                assertTrue(cond.lock().isHeldByCurrentTask(), "await() re-acquired the lock before the timeout surfaced");
                assertEquals(0, cond.queueLength());
            }
            return null;
        });
    }

    @Test
    void alreadyCancelledTaskThrowsFromAwaitHoldingTheLock() {
        run(() -> {
            Condition cond = new Condition();
            CancelScope s = CancelScope.create();
            try (var held = cond.acquire()) {
                s.cancel();
                s.run(() -> {
                    cond.await();
                    return null;
                });
                assertTrue(s.cancelledCaught());
                assertTrue(cond.lock().isHeldByCurrentTask());
                assertEquals(0, cond.queueLength());
            }
            return null;
        });
    }

    @Test
    void awaitAndSignalRequireTheLock() {
        run(() -> {
            Condition cond = new Condition();
            assertThrows(IllegalStateException.class, cond::await);
            assertThrows(IllegalStateException.class, cond::signal);
            assertThrows(IllegalStateException.class, cond::signalAll);
            // Held by another task is not held by us.
            Task<Object> other = go(() -> {
                cond.acquire();
                Async.sleep(ms(10));
                cond.release();
            });
            tick();
            assertTrue(cond.isLocked());
            assertThrows(IllegalStateException.class, cond::await);
            assertThrows(IllegalStateException.class, cond::signal);
            other.await();
            try (var held = cond.acquire()) {
                assertThrows(IllegalArgumentException.class, () -> cond.signal(-1));
            }
            return null;
        });
    }

    @Test
    void awaitUntilWithATruePredicateNeedsNoLock() {
        run(() -> {
            Condition cond = new Condition();
            cond.awaitUntil(() -> true);
            assertThrows(IllegalStateException.class, () -> cond.awaitUntil(() -> false));
            return null;
        });
    }

    @Test
    void conditionOverAnExplicitLockSharesIt() {
        run(() -> {
            Lock lock = new Lock();
            Condition cond = new Condition(lock);
            assertSame(lock, cond.lock());
            try (var held = lock.acquire()) {
                assertTrue(cond.isLocked());
                cond.signal(); // holding the lock directly counts
            }
            try (var held = cond.acquire()) {
                assertTrue(lock.isLocked());
            }
            assertFalse(lock.isLocked());
            assertTrue(cond.tryAcquire());
            cond.release();
            return null;
        });
    }

    @Test
    void toStringShowsLockAndWaiters() {
        run(() -> {
            Condition cond = new Condition();
            assertEquals("Condition[unlocked]", cond.toString());
            Task<Object> w = go(() -> {
                try (var held = cond.acquire()) {
                    cond.await();
                }
            });
            tick();
            cond.acquire();
            assertEquals("Condition[locked, waiters:1]", cond.toString());
            cond.signal();
            cond.release();
            w.await();
            return null;
        });
    }
}
