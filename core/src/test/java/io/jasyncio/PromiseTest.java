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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromiseTest {

    @Test
    void awaitSuspendsUntilCompleted() {
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            long t0 = now();
            Async.currentLoop().callLater(ms(25), () -> assertTrue(p.complete("v")));
            assertEquals("v", p.await());
            assertEquals(25, millisSince(t0));
            assertEquals(Awaitable.State.SUCCESS, p.state());
            return null;
        });
    }

    @Test
    void onlyTheFirstCompletionCounts() {
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            assertTrue(p.complete("first"));
            assertFalse(p.complete("second"));
            assertFalse(p.fail(new RuntimeException()));
            assertFalse(p.cancel());
            assertEquals("first", p.await());

            Promise<String> f = new Promise<>();
            RuntimeException boom = new RuntimeException("boom");
            assertTrue(f.fail(boom));
            assertFalse(f.complete("late"));
            assertSame(boom, f.exceptionNow());

            Promise<String> c = new Promise<>();
            assertTrue(c.cancel("why"));
            assertFalse(c.complete("late"));
            assertFalse(c.cancel("again"));
            assertEquals("why", assertThrows(CancelledException.class, c::await).getMessage());
            return null;
        });
    }

    @Test
    void failWakesAwaitersWithTheError() {
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            Async.currentLoop().callLater(ms(5), () -> p.fail(boom));
            assertSame(boom, assertThrows(IllegalArgumentException.class, p::await));
            assertEquals(Awaitable.State.FAILED, p.state());
            assertThrows(NullPointerException.class, () -> new Promise<String>().fail(null));
            return null;
        });
    }

    @Test
    void cancelCompletesThePromiseAsCancelledForEveryAwaiter() {
        List<String> got = new ArrayList<>();
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            List<Task<?>> ts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ts.add(Async.spawn(() -> {
                    try {
                        return p.await();
                    } catch (CancelledException e) {
                        got.add(e.getMessage());
                        return null;
                    }
                }));
            }
            sleepMs(1);
            assertTrue(p.cancel("no longer needed"));
            assertTrue(p.isCancelled());
            Async.gather(ts);
            // The awaiters were not cancelled themselves: they could catch and go on.
            for (Task<?> t : ts) {
                assertEquals(Awaitable.State.SUCCESS, t.state());
            }
            return null;
        });
        assertEquals(List.of("no longer needed", "no longer needed", "no longer needed"), got);
    }

    @Test
    void failWithACancelledExceptionCancels() {
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            CancelledException c = new CancelledException("via fail");
            assertTrue(p.fail(c));
            assertTrue(p.isCancelled());
            CancelledException seen = assertThrows(CancelledException.class, p::await);
            assertEquals("via fail", seen.getMessage());
            assertSame(c, seen.getCause(), "each awaiter gets a fresh copy caused by the original");
            return null;
        });
    }

    @Test
    void aPromiseCanBeMadeForAnIdleLoopAndCompletedBeforeItRuns() {
        EventLoop loop = new EventLoop();
        try {
            Promise<String> p = new Promise<>(loop);
            assertSame(loop, p.loop());
            p.complete("ready");
            assertEquals("ready", loop.runUntilComplete(() -> p.await()));
        } finally {
            loop.close();
        }
    }

    @Test
    void resultNowAndExceptionNowOnPendingAndDonePromises() {
        runVirtual(() -> {
            Promise<Integer> p = new Promise<>();
            assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class, p::resultNow));
            assertTrue(p.toString().contains("pending"), p.toString());
            p.complete(null);
            assertNull(p.resultNow());
            assertNull(p.exceptionNow());
            return null;
        });
    }

    @Test
    void awaitersAndDoneCallbacksAreNotifiedInRegistrationOrder() {
        List<String> order = new ArrayList<>();
        runVirtual(() -> {
            Promise<String> p = new Promise<>();
            Task<?> w1 = Async.spawn(() -> order.add("waiter1 " + p.await()));
            sleepMs(1);
            p.addDoneCallback(a -> order.add("callback"));
            Task<?> w2 = Async.spawn(() -> order.add("waiter2 " + p.await()));
            sleepMs(1);
            p.complete("v");
            Async.gather(w1, w2);
            return null;
        });
        assertEquals(List.of("waiter1 v", "callback", "waiter2 v"), order);
    }
}
