package io.jasyncio.sync;

import static io.jasyncio.sync.SyncTesting.go;
import static io.jasyncio.sync.SyncTesting.ms;
import static io.jasyncio.sync.SyncTesting.run;
import static io.jasyncio.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try")
class SemaphoreTest {

    @Test
    void atMostNHoldersAtOnce() {
        int peak = run(() -> {
            Semaphore sem = new Semaphore(3);
            int[] inside = {0, 0};
            List<Task<?>> ts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ts.add(go(() -> {
                    try (var permit = sem.acquire()) {
                        inside[0]++;
                        inside[1] = Math.max(inside[1], inside[0]);
                        Async.sleep(ms(10));
                        inside[0]--;
                    }
                }));
            }
            for (Task<?> t : ts) {
                t.await();
            }
            assertEquals(3, sem.availablePermits());
            return inside[1];
        });
        assertEquals(3, peak);
    }

    @Test
    void acquireWithAPermitAvailableDoesNotSuspend() {
        run(() -> {
            Semaphore sem = new Semaphore(2);
            List<String> log = new ArrayList<>();
            Task<?> other = go(() -> log.add("other"));
            sem.acquire();
            sem.acquire();
            assertTrue(log.isEmpty());
            assertTrue(sem.isLocked());
            other.await();
            return null;
        });
    }

    @Test
    void releaseHandsThePermitToTheFirstWaiterSoNewcomersCannotOvertake() {
        List<String> order = run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> got = new ArrayList<>();
            List<Task<?>> ts = new ArrayList<>();
            for (String n : List.of("a", "b", "c")) {
                ts.add(go(() -> {
                    sem.acquire();
                    got.add(n);
                }));
            }
            tick();
            sem.release();
            assertEquals(0, sem.availablePermits(), "the permit went to 'a', not to the count");
            assertFalse(sem.tryAcquire());
            sem.release();
            sem.release();
            for (Task<?> t : ts) {
                t.await();
            }
            return got;
        });
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void cancelledWaiterTakesNoPermitAndTheNextWaiterGetsIt() {
        run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Object> a = go(sem::acquire);
            Task<String> b = Async.spawn(() -> {
                sem.acquire();
                return "b";
            });
            tick();
            a.cancel();
            sem.release();
            assertEquals("b", b.await());
            assertThrows(CancelledException.class, a::await);
            assertEquals(0, sem.availablePermits());
            assertEquals(0, sem.queueLength());
            return null;
        });
    }

    @Test
    void waiterHandedAPermitAndCancelledBeforeResumingGivesItBack() {
        run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            Task<Object> a = go(() -> {
                try (var permit = sem.acquire()) {
                    log.add("a has a permit");
                    tick();
                }
            });
            tick();
            sem.release();
            a.cancel();
            assertThrows(CancelledException.class, a::await);
            assertEquals(List.of("a has a permit"), log);
            assertEquals(1, sem.availablePermits(), "the permit came back when a unwound");
            return null;
        });
    }

    @Test
    void timeoutsAndCancelledScopesLeaveNoWaiterAndLoseNoPermit() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire();
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(5), sem::acquire));
            assertNull(Async.moveOnAfter(ms(5), sem::acquire));
            CancelScope s = CancelScope.create();
            s.cancel();
            s.run(sem::acquire);
            assertEquals(0, sem.queueLength());
            sem.release();
            assertEquals(1, sem.availablePermits());
            return null;
        });
    }

    @Test
    void permitClosesOnceAndWithPermitReleasesOnFailure() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            Semaphore.Permit p = sem.acquire();
            assertSame(sem, p.semaphore());
            p.close();
            p.close();
            assertEquals(1, sem.availablePermits());
            assertThrows(IllegalArgumentException.class, () -> sem.withPermit(() -> {
                assertEquals(0, sem.availablePermits());
                throw new IllegalArgumentException("body failed");
            }));
            assertEquals(1, sem.availablePermits());
            assertEquals("x", sem.withPermit(() -> "x"));
            return null;
        });
    }

    @Test
    void plainSemaphoreMayGrowButBoundedRefusesExtraReleases() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            sem.release();
            assertEquals(2, sem.availablePermits());
            BoundedSemaphore bounded = new BoundedSemaphore(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, bounded::release);
            assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
            bounded.acquire();
            bounded.release();
            assertEquals(2, bounded.availablePermits());
            return null;
        });
    }

    @Test
    void boundedSemaphoreHandsOffToWaitersAtZero() {
        run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Object> w = go(sem::acquire);
            tick();
            sem.release(); // goes to w, not to the count
            w.await();
            assertEquals(0, sem.availablePermits());
            sem.release();
            assertThrows(IllegalStateException.class, sem::release);
            return null;
        });
    }

    @Test
    void negativeInitialPermitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @Test
    void toStringShowsValueOrWaiters() {
        run(() -> {
            Semaphore sem = new Semaphore(2);
            assertEquals("Semaphore[unlocked, value:2]", sem.toString());
            sem.acquire();
            sem.acquire();
            Task<Object> w = go(sem::acquire);
            tick();
            assertEquals("Semaphore[locked, waiters:1]", sem.toString());
            assertEquals("BoundedSemaphore[unlocked, value:1]", new BoundedSemaphore().toString());
            sem.release();
            w.await();
            return null;
        });
    }

    @Test
    void usingItFromAnotherThreadFailsClearly() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            sem.tryAcquire();
            Throwable t = Async.toThread(() -> {
                try {
                    sem.release();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertTrue(t instanceof WrongThreadException, String.valueOf(t));
            assertTrue(t.getMessage().startsWith("Semaphore.release called from thread"), t.getMessage());
            assertEquals(0, sem.availablePermits());
            return null;
        });
    }
}
