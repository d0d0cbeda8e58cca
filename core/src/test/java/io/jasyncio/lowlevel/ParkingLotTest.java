package io.jasyncio.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import org.junit.jupiter.api.Test;

/** ParkingLot.park: add-and-park in one call, reusing the ticket of a park whose task has resumed. */
class ParkingLotTest {

    @Test
    void parkHandsTheItemToTheWakerAndReturnsTheWakeValue() {
        assertEquals("reply", Async.run(() -> {
            ParkingLot lot = new ParkingLot();
            Task<Object> t = Async.spawn(() -> lot.park(Task.current(), "offer"));
            Async.yieldNow();
            assertEquals(1, lot.size());
            ParkingLot.Ticket w = lot.poll();
            assertSame(t, w.task());
            assertEquals("offer", w.item());
            assertFalse(w.isInLot());
            w.wake("reply");
            return t.await();
        }));
    }

    @Test
    void aResumedParksTicketServesTheNextParkAndAnAddedTicketIsNeverReused() {
        Async.run(() -> {
            ParkingLot lot = new ParkingLot();
            Task<Object> first = Async.spawn(() -> lot.park(Task.current(), 1));
            Async.yieldNow();
            ParkingLot.Ticket w1 = lot.poll();
            w1.wake(null);
            first.await(); // resumed: its ticket is the lot's again

            Task<Object> second = Async.spawn(() -> lot.park(Task.current(), 2));
            Async.yieldNow();
            ParkingLot.Ticket w2 = lot.poll();
            assertSame(w1, w2, "the second park reused the first one's ticket");
            assertSame(second, w2.task());
            assertEquals(2, w2.item());

            // While w2's task has not resumed, its ticket is in use: a third park gets another.
            Task<Object> third = Async.spawn(() -> lot.park(Task.current()));
            Async.yieldNow();
            ParkingLot.Ticket w3 = lot.poll();
            assertTrue(w3 != w2, "a ticket whose task has not resumed is not reused");
            assertNull(w3.item());
            w2.wake(null);
            w3.wake(null);
            second.await();
            third.await();

            // A ticket from add() stays its caller's after its task resumes.
            Task<Object> added = Async.spawn(() -> lot.add(Task.current(), "kept").park());
            Async.yieldNow();
            ParkingLot.Ticket kept = lot.poll();
            kept.wake(null);
            added.await();
            Task<Object> fourth = Async.spawn(() -> lot.park(Task.current()));
            Async.yieldNow();
            assertTrue(lot.poll() != kept, "a ticket made by add() is never handed out again");
            assertSame(added, kept.task());
            assertEquals("kept", kept.item());
            Async.yieldNow();
            fourth.cancel();
            return null;
        });
    }

    @Test
    void aCancelledParkLeavesTheLotAndTheNextOneGetsTheHandOffWithTheReusedTicket() {
        Async.run(() -> {
            ParkingLot lot = new ParkingLot();
            Task<Object> a = Async.spawn(() -> lot.park(Task.current(), "a"));
            Task<Object> b = Async.spawn(() -> lot.park(Task.current(), "b"));
            Async.yieldNow();
            assertEquals(2, lot.size());
            a.cancel();
            assertThrows(CancelledException.class, a::await);
            assertEquals(1, lot.size(), "the cancelled park unlinked its ticket");
            ParkingLot.Ticket w = lot.poll();
            assertSame(b, w.task(), "the cancelled waiter swallowed nothing: the next one is first");
            w.wake("for b");
            assertEquals("for b", b.await());

            // The cancelled park's ticket went back to the lot too, clean.
            Task<Object> c = Async.spawn(() -> lot.park(Task.current(), "c"));
            Async.yieldNow();
            ParkingLot.Ticket wc = lot.poll();
            assertSame(c, wc.task());
            assertEquals("c", wc.item());
            wc.wake("for c");
            assertEquals("for c", c.await());
            return null;
        });
    }

    @Test
    void aTaskCancelledBeforeItParksNeverEntersTheLot() {
        Async.run(() -> {
            ParkingLot lot = new ParkingLot();
            Task<Object> t = Async.spawn(() -> {
                Task.current().cancel();
                return lot.park(Task.current(), "x");
            });
            assertThrows(CancelledException.class, t::await);
            assertTrue(lot.isEmpty());
            assertNull(lot.poll());
            return null;
        });
    }
}
