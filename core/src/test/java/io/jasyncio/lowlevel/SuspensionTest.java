package io.jasyncio.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The low-level suspension primitive: Suspension.park, Waker, and an Abort's two answers. */
class SuspensionTest {

    @Test
    void aWakerEndsTheParkWithItsValue() {
        assertEquals("hello", Async.run(() -> {
            Waker<String>[] waker = newWakerSlot();
            Task<String> t = Async.spawn(() -> {
                waker[0] = Suspension.waker();
                return Suspension.<String>park(null);
            });
            Async.yieldNow();
            waker[0].wake("hello");
            return t.await();
        }));
    }

    @Test
    void anAbortThatSucceedsUndoesTheWaitAndTheParkThrowsTheCancellation() {
        Async.run(() -> {
            List<String> registry = new ArrayList<>();
            Task<Object> t = Async.spawn(() -> {
                registry.add("me");
                return Suspension.park(() -> {
                    registry.remove("me");
                    return Abort.Result.SUCCEEDED;
                });
            });
            Async.yieldNow();
            t.cancel();
            assertThrows(CancelledException.class, t::await);
            assertEquals(List.of(), registry, "the abort undid the registration");
            assertThrows(IllegalStateException.class, () -> Waker.of(t).wake("late"), "a wake after the abort is an error");
            return null;
        });
    }

    @Test
    void anAbortThatIsTooLateKeepsTheTaskParkedUntilTheWakeComesThenTheCancellationFiresAtTheNextSuspension() {
        Async.run(() -> {
            int[] aborts = {0};
            List<String> got = new ArrayList<>();
            Task<Object> t = Async.spawn(() -> {
                Object v = Suspension.park(() -> {
                    aborts[0]++;
                    return Abort.Result.TOO_LATE; // say, another thread already has our value on its way
                });
                got.add((String) v);
                Async.yieldNow(); // the cancellation, level-triggered, fires here
                got.add("not reached");
                return null;
            });
            Async.yieldNow();
            t.cancel();
            Async.yieldNow();
            assertFalse(t.isDone(), "still parked: the abort said it was too late");
            t.cancel("again"); // asks nothing more: an abort is called at most once per park
            assertEquals(1, aborts[0]);
            Waker.of(t).wake("the value");
            assertThrows(CancelledException.class, t::await);
            assertEquals(List.of("the value"), got, "the wake's value was delivered, then the cancellation");
            return null;
        });
    }

    @Test
    void parkingAnAlreadyCancelledTaskThrowsAtOnceWithoutTheAbort() {
        Async.run(() -> {
            boolean[] aborted = {false};
            Task<?> me = Task.current();
            me.cancel();
            assertThrows(CancelledException.class, () -> Suspension.park(() -> {
                aborted[0] = true;
                return Abort.Result.SUCCEEDED;
            }));
            assertFalse(aborted[0]);
            return null;
        });
    }

    @Test
    void outsideATaskItSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Suspension.park(null));
        assertTrue(e.getMessage().contains("Suspension.park() called outside a coroutine"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Waker<String>[] newWakerSlot() {
        return (Waker<String>[]) new Waker<?>[1];
    }
}
