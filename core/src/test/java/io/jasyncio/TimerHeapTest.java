package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.internal.timer.TimerHeap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's timer heap on its own: ordering, ties, wrap-around and lazy deletion. */
class TimerHeapTest {

    /** The loop's rule for callback timers: live until cancelled. */
    private static final TimerHeap.Liveness HANDLES = (target, deadline) -> !((TimerHandle) target).isCancelled();

    /** Handles need a loop (cancelling one tells it); an idle one on this thread will do. */
    private EventLoop loop;

    private TimerHandle handle(long when) {
        if (loop == null) {
            loop = new EventLoop();
        }
        return new TimerHandle(loop, when, () -> {});
    }

    private void closeLoop() {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void pollsByDeadlineThenInsertionOrder() {
        try {
            pollsByDeadlineThenInsertionOrderBody();
        } finally {
            closeLoop();
        }
    }

    private void pollsByDeadlineThenInsertionOrderBody() {
        TimerHeap heap = new TimerHeap(HANDLES, null);
        List<TimerHandle> hs = new ArrayList<>();
        long[] deadlines = {50, 10, 30, 10, 20, 50, 10};
        for (long d : deadlines) {
            TimerHandle h = handle(d);
            hs.add(h);
            heap.add(d, h);
        }
        assertEquals(7, heap.size());
        assertEquals(10, heap.peekDeadline());
        assertNull(heap.pollDue(9));
        List<TimerHandle> out = new ArrayList<>();
        Object o;
        while ((o = heap.pollDue(100)) != null) {
            out.add((TimerHandle) o);
        }
        assertEquals(List.of(hs.get(1), hs.get(3), hs.get(6), hs.get(4), hs.get(2), hs.get(0), hs.get(5)), out);
        assertTrue(heap.isEmpty());
    }

    @Test
    void deadlinesAreComparedSafelyAcrossLongOverflow() {
        try {
            deadlinesAreComparedSafelyAcrossLongOverflowBody();
        } finally {
            closeLoop();
        }
    }

    private void deadlinesAreComparedSafelyAcrossLongOverflowBody() {
        TimerHeap heap = new TimerHeap(HANDLES, null);
        TimerHandle late = handle(Long.MAX_VALUE + 10); // wrapped around: numerically negative
        TimerHandle early = handle(Long.MAX_VALUE - 10);
        heap.add(Long.MAX_VALUE + 10, late);
        heap.add(Long.MAX_VALUE - 10, early);
        assertNull(heap.pollDue(Long.MAX_VALUE - 11));
        assertSame(early, heap.pollDue(Long.MAX_VALUE));
        assertNull(heap.pollDue(Long.MAX_VALUE));
        assertSame(late, heap.pollDue(Long.MAX_VALUE + 10));
    }

    @Test
    void cancelledEntriesAreSkippedAndCompactedAway() {
        try {
            cancelledEntriesAreSkippedAndCompactedAwayBody();
        } finally {
            closeLoop();
        }
    }

    private void cancelledEntriesAreSkippedAndCompactedAwayBody() {
        TimerHeap heap = new TimerHeap(HANDLES, null);
        int n = 1000;
        TimerHandle[] hs = new TimerHandle[n];
        for (int i = 0; i < n; i++) {
            hs[i] = handle(i);
            heap.add(i, hs[i]);
        }
        for (int i = 0; i < n; i++) {
            if (i % 4 != 0) {
                hs[i].cancel();
                heap.noteStale(); // what the loop does when a TimerHandle is cancelled
            }
        }
        assertTrue(heap.size() < n, "stale entries should have been compacted, size " + heap.size());
        heap.pruneTop();
        assertEquals(0, heap.peekDeadline());
        int count = 0;
        Object o;
        long last = -1;
        while ((o = heap.pollDue(n)) != null) {
            TimerHandle h = (TimerHandle) o;
            assertTrue(!h.isCancelled());
            assertTrue(h.when() > last);
            last = h.when();
            count++;
        }
        assertEquals(n / 4, count);
    }

    @Test
    void clearEmptiesTheHeap() {
        try {
            clearEmptiesTheHeapBody();
        } finally {
            closeLoop();
        }
    }

    private void clearEmptiesTheHeapBody() {
        TimerHeap heap = new TimerHeap(HANDLES, null);
        heap.add(1, handle(1));
        heap.clear();
        assertTrue(heap.isEmpty());
        assertNull(heap.pollDue(10));
    }
}
