package io.jasyncio.sync;

import static io.jasyncio.sync.SyncTesting.go;
import static io.jasyncio.sync.SyncTesting.ms;
import static io.jasyncio.sync.SyncTesting.run;
import static io.jasyncio.sync.SyncTesting.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.Outcome;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BarrierTest {

    @Test
    void nobodyPassesUntilAllPartiesArriveAndIndicesFollowArrival() {
        run(() -> {
            Barrier barrier = new Barrier(3);
            List<String> log = new ArrayList<>();
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                ts.add(Async.spawn(() -> {
                    Async.sleep(ms(10L * n)); // arrive in order 0, 1, 2
                    log.add("arrive " + n);
                    int index = barrier.await();
                    log.add("pass " + n);
                    return index;
                }));
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(i, ts.get(i).await());
            }
            assertEquals(List.of("arrive 0", "arrive 1", "arrive 2", "pass 2", "pass 0", "pass 1"), log);
            assertEquals(0, barrier.numberWaiting());
            assertFalse(barrier.isBroken());
            return null;
        });
    }

    @Test
    void theBarrierIsReusableCycleAfterCycle() {
        run(() -> {
            Barrier barrier = new Barrier(2);
            int[] passes = {0};
            List<Task<?>> ts = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                ts.add(go(() -> {
                    for (int round = 0; round < 5; round++) {
                        barrier.await();
                        passes[0]++;
                    }
                }));
            }
            for (Task<?> t : ts) {
                t.await();
            }
            assertEquals(10, passes[0]);
            return null;
        });
    }

    @Test
    void abortBreaksWaitersAndLaterArrivalsUntilReset() {
        run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = Async.spawn(barrier::await);
            tick();
            assertEquals(1, barrier.numberWaiting());
            barrier.abort();
            assertTrue(barrier.isBroken());
            BarrierBrokenException e = assertThrows(BarrierBrokenException.class, a::await);
            assertTrue(e.getMessage().contains("aborted"));
            assertThrows(BarrierBrokenException.class, barrier::await);
            assertEquals("Barrier[broken]", barrier.toString());
            barrier.reset();
            assertFalse(barrier.isBroken());
            assertEquals("Barrier[filling, waiters:0/3]", barrier.toString());
            return null;
        });
    }

    @Test
    void resetBreaksTheCurrentWaitersAndRefillsOnceTheyHaveLeft() {
        run(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> first = List.of(Async.spawn(barrier::await), Async.spawn(barrier::await));
            tick();
            barrier.reset();
            assertEquals("Barrier[resetting]", barrier.toString());
            Task<Integer> latecomer = Async.spawn(barrier::await); // blocked until the reset completes
            for (Task<Integer> t : first) {
                assertThrows(BarrierBrokenException.class, t::await);
            }
            assertEquals("Barrier[filling, waiters:1/3]", barrier.toString());
            Task<Integer> b = Async.spawn(barrier::await);
            Task<Integer> c = Async.spawn(barrier::await);
            assertEquals(List.of(0, 1, 2), List.of(latecomer.await(), b.await(), c.await()));
            return null;
        });
    }

    @Test
    void cancelledWaiterLeavesWithoutBreakingTheBarrier() {
        run(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = Async.spawn(barrier::await);
            tick();
            assertEquals(1, barrier.numberWaiting());
            a.cancel();
            assertThrows(CancelledException.class, a::await);
            assertEquals(0, barrier.numberWaiting());
            assertFalse(barrier.isBroken());
            Task<Integer> b = Async.spawn(barrier::await);
            tick();
            assertEquals(1, barrier.await());
            assertEquals(0, b.await());
            return null;
        });
    }

    @Test
    void taskCancelledWhileBlockedByADrainingOrResettingCycleLeavesNoTrace() {
        run(() -> {
            Barrier barrier = new Barrier(2);
            List<String> seen = new ArrayList<>();
            // Draining: the released task 'a' has not left yet when 'blocked' arrives.
            Task<Integer> a = Async.spawn(barrier::await);
            tick();
            Task<Integer> blocked = Async.spawn(barrier::await);
            Async.currentLoop().callSoon(() -> {
                seen.add(barrier + " done=" + blocked.isDone());
                blocked.cancel();
            });
            assertEquals(1, barrier.await()); // releases a; run order now: blocked, the callback, a
            assertThrows(CancelledException.class, blocked::await);
            assertEquals(0, a.await());
            assertEquals("Barrier[filling, waiters:0/2]", barrier.toString());
            // Resetting: the broken task 'x' has not left yet when 'y' arrives.
            Task<Integer> x = Async.spawn(barrier::await);
            tick();
            Task<Integer> y = Async.spawn(barrier::await);
            Async.currentLoop().callSoon(() -> {
                seen.add(barrier + " done=" + y.isDone());
                y.cancel();
            });
            barrier.reset();
            assertThrows(CancelledException.class, y::await);
            assertThrows(BarrierBrokenException.class, x::await);
            assertEquals(List.of("Barrier[draining] done=false", "Barrier[resetting] done=false"), seen);
            assertEquals("Barrier[filling, waiters:0/2]", barrier.toString());
            Task<Integer> p = Async.spawn(barrier::await);
            tick();
            assertEquals(1, barrier.await());
            assertEquals(0, p.await());
            return null;
        });
    }

    @Test
    void releasedWaiterCancelledBeforeResumingStillPasses() {
        run(() -> {
            Barrier barrier = new Barrier(2);
            List<String> log = new ArrayList<>();
            Task<Object> a = go(() -> {
                log.add("passed with index " + barrier.await());
                tick();
            });
            tick();
            assertEquals(1, barrier.await()); // releases a
            a.cancel();
            assertThrows(CancelledException.class, a::await);
            assertEquals(List.of("passed with index 0"), log);
            assertEquals("Barrier[filling, waiters:0/2]", barrier.toString());
            return null;
        });
    }

    @Test
    void timeoutWhileWaitingAndAlreadyCancelledScopesLeaveTheCountRight() {
        run(() -> {
            Barrier barrier = new Barrier(2);
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(10), barrier::await));
            assertEquals(0, barrier.numberWaiting());
            CancelScope s = CancelScope.create();
            s.cancel();
            s.run(barrier::await);
            assertTrue(s.cancelledCaught());
            assertEquals(0, barrier.numberWaiting());
            List<Outcome<Integer>> r = Async.gatherSettled(Async.spawn(barrier::await), Async.spawn(barrier::await));
            assertEquals(List.of(new Outcome.Success<>(0), new Outcome.Success<>(1)), r);
            return null;
        });
    }

    @Test
    void onePartyPassesAtOnce() {
        run(() -> {
            Barrier barrier = new Barrier(1);
            assertEquals(0, barrier.await());
            assertEquals(0, barrier.await());
            assertEquals(1, barrier.parties());
            return null;
        });
    }

    @Test
    void partiesMustBePositiveAndAwaitNeedsATask() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-4));
        run(() -> {
            Barrier barrier = new Barrier(2);
            List<String> errors = new ArrayList<>();
            Async.currentLoop().callSoon(() -> {
                try {
                    barrier.await();
                } catch (IllegalStateException e) {
                    errors.add(e.getMessage());
                }
                barrier.abort(); // callbacks may abort and reset
                barrier.reset();
            });
            tick();
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).contains("plain callback"));
            return null;
        });
    }
}
