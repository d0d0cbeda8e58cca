package io.jasyncio.sync;

import static io.jasyncio.sync.SyncTesting.go;
import static io.jasyncio.sync.SyncTesting.ms;
import static io.jasyncio.sync.SyncTesting.run;
import static io.jasyncio.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventTest {

    @Test
    void setWakesEveryWaiterInTheOrderTheyWaited() {
        List<Integer> order = run(() -> {
            Event ev = new Event();
            List<Integer> woke = new ArrayList<>();
            List<Task<?>> ts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                ts.add(go(() -> {
                    ev.await();
                    woke.add(n);
                }));
            }
            tick();
            assertEquals(4, ev.queueLength());
            assertTrue(woke.isEmpty());
            ev.set();
            assertEquals(0, ev.queueLength());
            for (Task<?> t : ts) {
                t.await();
            }
            return woke;
        });
        assertEquals(List.of(0, 1, 2, 3), order);
    }

    @Test
    void awaitOnASetEventReturnsWithoutSuspending() {
        run(() -> {
            Event ev = new Event();
            ev.set();
            List<String> log = new ArrayList<>();
            Task<?> other = go(() -> log.add("other"));
            ev.await();
            assertTrue(log.isEmpty(), "await() on a set event must not let other tasks run");
            other.await();
            return null;
        });
    }

    @Test
    void clearMakesLaterAwaitsWaitAgain() {
        VirtualTestClock clock = new VirtualTestClock();
        run(clock, () -> {
            Event ev = new Event();
            ev.set();
            ev.clear();
            assertFalse(ev.isSet());
            Async.currentLoop().callLater(Duration.ofSeconds(3), ev::set);
            long t0 = clock.nanoTime();
            ev.await();
            assertEquals(Duration.ofSeconds(3).toNanos(), clock.nanoTime() - t0);
            return null;
        });
    }

    @Test
    void aWaiterWokenBySetReturnsEvenIfTheEventIsClearedBeforeItRuns() {
        run(() -> {
            Event ev = new Event();
            Task<String> w = Async.spawn(() -> {
                ev.await();
                return "woke";
            });
            tick();
            ev.set();
            ev.clear();
            assertEquals("woke", w.await());
            return null;
        });
    }

    @Test
    void aWaiterWokenAndCancelledBeforeItRunsStillReturnsFromAwait() {
        run(() -> {
            Event ev = new Event();
            List<String> log = new ArrayList<>();
            Task<Object> w = go(() -> {
                ev.await();
                log.add("returned from await");
                tick();
                log.add("unreachable");
            });
            tick();
            ev.set();
            w.cancel();
            assertThrows(CancelledException.class, w::await);
            assertEquals(List.of("returned from await"), log);
            return null;
        });
    }

    @Test
    void cancelledWaiterLeavesTheQueueAndOthersStillWake() {
        run(() -> {
            Event ev = new Event();
            Task<Object> a = go(ev::await);
            Task<String> b = Async.spawn(() -> {
                ev.await();
                return "b";
            });
            tick();
            a.cancel();
            assertEquals(1, ev.queueLength());
            ev.set();
            assertEquals("b", b.await());
            assertThrows(CancelledException.class, a::await);
            return null;
        });
    }

    @Test
    void timeoutAndAlreadyCancelledScopesLeaveNoWaiter() {
        run(() -> {
            Event ev = new Event();
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(50), () -> {
                ev.await();
                return null;
            }));
            assertNull(Async.moveOnAfter(ms(1), () -> {
                ev.await();
                return "set";
            }));
            CancelScope s = CancelScope.create();
            s.cancel();
            s.run(() -> {
                ev.await();
                return null;
            });
            assertTrue(s.cancelledCaught());
            assertEquals(0, ev.queueLength());
            ev.set();
            ev.await();
            return null;
        });
    }

    @Test
    void callbacksMaySetButNotAwait() {
        run(() -> {
            Event ev = new Event();
            Task<Object> w = go(ev::await);
            tick();
            List<String> errors = new ArrayList<>();
            Async.currentLoop().callSoon(() -> {
                try {
                    ev.await();
                } catch (IllegalStateException e) {
                    errors.add(e.getMessage());
                }
                ev.set();
            });
            w.await();
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).startsWith("Event.await may suspend"), errors.get(0));
            return null;
        });
    }

    @Test
    void toStringShowsStateAndWaiters() {
        run(() -> {
            Event ev = new Event();
            assertEquals("Event[unset]", ev.toString());
            Task<Object> w = go(ev::await);
            tick();
            assertEquals("Event[unset, waiters:1]", ev.toString());
            ev.set();
            assertEquals("Event[set]", ev.toString());
            w.await();
            return null;
        });
    }

    @Test
    void anEventSetBeforeAnyLoopRunsIsUsableInTheLoop() {
        Event ev = new Event();
        ev.set(); // setting up outside any loop is allowed until a loop uses it
        run(() -> {
            ev.await();
            ev.clear();
            return null;
        });
        assertThrows(WrongThreadException.class, ev::isSet, "bound to the finished loop now");
    }
}
