package io.jasyncio.sync;

import static io.jasyncio.sync.SyncTesting.go;
import static io.jasyncio.sync.SyncTesting.ms;
import static io.jasyncio.sync.SyncTesting.run;
import static io.jasyncio.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try") // try-with-resources guards that the body does not name
class LockTest {

    @Test
    void freeLockIsTakenWithoutSuspending() {
        run(() -> {
            Lock lock = new Lock();
            List<String> log = new ArrayList<>();
            Task<?> other = go(() -> log.add("other ran"));
            try (Lock.Guard held = lock.acquire()) {
                // Had acquire() suspended, the other task would have run first.
                assertTrue(log.isEmpty());
                assertTrue(lock.isLocked());
                assertTrue(lock.isHeldByCurrentTask());
                assertSame(lock, held.lock());
            }
            assertFalse(lock.isLocked());
            other.await();
            return null;
        });
    }

    @Test
    void waitersGetTheLockInFifoOrderAndNewcomersQueueBehind() {
        List<String> order = run(() -> {
            Lock lock = new Lock();
            List<String> got = new ArrayList<>();
            lock.acquire();
            List<Task<?>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(go(() -> {
                    try (var held = lock.acquire()) {
                        got.add(name);
                        tick(); // hold it across a suspension
                    }
                }));
            }
            tick();
            assertEquals(3, lock.queueLength());
            lock.release();
            // The lock went straight to "a": it is still locked, and a newcomer cannot take it.
            assertTrue(lock.isLocked());
            assertFalse(lock.tryAcquire());
            tasks.add(go(() -> {
                try (var held = lock.acquire()) {
                    got.add("late");
                }
            }));
            for (Task<?> t : tasks) {
                t.await();
            }
            assertFalse(lock.isLocked());
            return got;
        });
        assertEquals(List.of("a", "b", "c", "late"), order);
    }

    @Test
    void withLockSerialisesCriticalSectionsThatSuspend() {
        List<String> trace = run(() -> {
            Lock lock = new Lock();
            List<String> log = new ArrayList<>();
            List<Task<?>> ts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                ts.add(go(() -> lock.withLock(() -> {
                    log.add("enter " + n);
                    Async.sleep(ms(10));
                    log.add("exit " + n);
                    return null;
                })));
            }
            for (Task<?> t : ts) {
                t.await();
            }
            return log;
        });
        assertEquals(List.of("enter 0", "exit 0", "enter 1", "exit 1", "enter 2", "exit 2"), trace);
    }

    @Test
    void withLockReleasesWhenTheBodyThrows() {
        run(() -> {
            Lock lock = new Lock();
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> lock.withLock(() -> {
                throw boom;
            })));
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void cancelledWaiterLeavesAndTheNextWaiterGetsTheLock() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Object> b = go(lock::acquire);
            Task<String> c = Async.spawn(() -> {
                try (var held = lock.acquire()) {
                    return "c";
                }
            });
            tick();
            assertEquals(2, lock.queueLength());
            b.cancel();
            assertEquals(1, lock.queueLength(), "the cancelled waiter left the queue at once");
            lock.release();
            assertEquals("c", c.await());
            assertTrue(b.isCancelled());
            assertFalse(lock.isLocked());
            assertEquals(0, lock.queueLength());
            return null;
        });
    }

    @Test
    void waiterHandedTheLockAndCancelledBeforeResumingStillGetsItAndGivesItBack() {
        run(() -> {
            Lock lock = new Lock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            Task<Object> b = go(() -> {
                try (var held = lock.acquire()) {
                    log.add("b holds it, cancelled=" + Async.currentTask().isCancelRequested());
                    tick(); // the pending cancellation fires here, inside the guarded block
                    log.add("unreachable");
                }
            });
            Task<String> c = Async.spawn(() -> {
                try (var held = lock.acquire()) {
                    return "c";
                }
            });
            tick();
            lock.release(); // hands the lock to b, which has not run yet
            b.cancel();     // too late to stop the hand-off
            assertEquals("c", c.await());
            assertTrue(b.isCancelled());
            assertEquals(List.of("b holds it, cancelled=true"), log);
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void taskAlreadyCancelledWhenItWouldWaitThrowsAndLeavesNothingQueued() {
        run(() -> {
            Lock lock = new Lock();
            Task<Object> holder = go(() -> {
                lock.acquire();
                Async.sleep(Duration.ofDays(1));
            });
            tick();
            CancelScope scope = CancelScope.create();
            scope.cancel();
            assertNull(scope.run(() -> lock.acquire()));
            assertTrue(scope.cancelledCaught());
            assertEquals(0, lock.queueLength());
            holder.cancel();
            lock.release(); // no stale waiter to hand it to
            assertFalse(lock.isLocked());
            assertThrows(CancelledException.class, holder::await);
            return null;
        });
    }

    @Test
    void freeLockIsTakenEvenInACancelledScopeBecauseThatIsNoSuspensionPoint() {
        run(() -> {
            Lock lock = new Lock();
            CancelScope scope = CancelScope.create();
            scope.cancel();
            scope.run(() -> {
                try (var held = lock.acquire()) {
                    assertTrue(lock.isLocked());
                }
                return null;
            });
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void timeoutWhileWaitingLeavesNothingBehind() {
        VirtualTestClock clock = new VirtualTestClock();
        run(clock, () -> {
            Lock lock = new Lock();
            go(lock::acquire).await(); // held by a task that has ended
            long t0 = clock.nanoTime();
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(Duration.ofSeconds(2), lock::acquire));
            assertEquals(Duration.ofSeconds(2).toNanos(), clock.nanoTime() - t0);
            assertNull(Async.moveOnAfter(ms(5), lock::acquire));
            assertEquals(0, lock.queueLength());
            lock.release();
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void timeoutThatFiresAfterTheHandOffDoesNotLoseTheLock() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            // The release and the waiter's deadline fall due in the same loop iteration, release
            // first: the waiter is handed the lock, then its scope is cancelled before it resumes.
            Async.currentLoop().callLater(ms(10), lock::release);
            Task<Boolean> waiter = Async.spawn(() -> Async.withTimeout(ms(10), () -> {
                try (var held = lock.acquire()) {
                    return lock.isHeldByCurrentTask();
                }
            }));
            assertTrue(waiter.await());
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void reacquiringFromTheHolderThrowsInsteadOfDeadlocking() {
        run(() -> {
            Lock lock = new Lock();
            try (var held = lock.acquire()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
                assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
                assertEquals(0, lock.queueLength());
            }
            return null;
        });
    }

    @Test
    void releasingAnUnlockedLockThrows() {
        run(() -> {
            Lock lock = new Lock();
            assertThrows(IllegalStateException.class, lock::release);
            return null;
        });
    }

    @Test
    void guardReleasesOnlyItsOwnAcquisition() {
        run(() -> {
            Lock lock = new Lock();
            Lock.Guard first = lock.acquire();
            first.close();
            first.close(); // idempotent
            assertFalse(lock.isLocked());
            Lock.Guard second = lock.acquire();
            first.close(); // a stale guard must not release the new acquisition
            assertTrue(lock.isLocked());
            lock.release(); // explicit release ...
            assertFalse(lock.isLocked());
            Task<Object> other = go(() -> {
                lock.acquire();
                tick();
            });
            tick();
            assertTrue(lock.isLocked());
            second.close(); // ... so this guard is stale too, and must not free the other task's lock
            assertTrue(lock.isLocked());
            other.await();
            lock.release();
            return null;
        });
    }

    @Test
    void anyTaskOrCallbackMayReleaseAsInAsyncio() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<String> waiter = Async.spawn(() -> {
                lock.acquire();
                return "got it";
            });
            tick();
            Async.currentLoop().callSoon(lock::release);
            assertEquals("got it", waiter.await());
            assertTrue(lock.isLocked());
            assertFalse(lock.isHeldByCurrentTask());
            lock.release();
            return null;
        });
    }

    @Test
    void plainCallbacksMayTryAcquireButNotAcquire() {
        run(() -> {
            Lock lock = new Lock();
            List<Object> seen = new ArrayList<>();
            EventLoop loop = Async.currentLoop();
            loop.callSoon(() -> {
                seen.add(lock.tryAcquire());
                seen.add(lock.isHeldByCurrentTask());
                try {
                    lock.acquire();
                } catch (IllegalStateException e) {
                    seen.add(e.getMessage().contains("plain callback"));
                }
                lock.release();
            });
            tick();
            assertEquals(List.of(true, true, true), seen);
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void toStringShowsStateOwnerAndWaiters() {
        run(() -> {
            Lock lock = new Lock();
            assertEquals("Lock[unlocked]", lock.toString());
            Async.currentTask().setName("holder");
            lock.acquire();
            Task<Object> w = go(lock::acquire);
            tick();
            assertEquals("Lock[locked, owner=holder, waiters:1]", lock.toString());
            w.cancel();
            assertThrows(CancelledException.class, w::await);
            lock.release();
            return null;
        });
    }

    @Test
    void usingTheLockFromAnotherThreadFailsClearly() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Throwable t = Async.toThread(() -> {
                try {
                    lock.release();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertInstanceOf(WrongThreadException.class, t);
            assertTrue(t.getMessage().contains("Lock.release"), t.getMessage());
            assertTrue(t.getMessage().contains("callSoonThreadsafe"), t.getMessage());
            assertTrue(lock.isLocked());
            lock.release();
            return null;
        });
    }
}
