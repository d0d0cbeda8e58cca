package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loop's segmented ready queue against an ArrayDeque, across segment boundaries. */
class ReadyQueueTest {

    @Test
    void emptyQueueAnswersNullAtBothEnds() {
        ReadyQueue q = new ReadyQueue();
        assertTrue(q.isEmpty());
        assertNull(q.peekFirst());
        assertNull(q.peekLast());
        assertNull(q.pollFirst());
        assertNull(q.pollLast());
    }

    @Test
    void fifoAcrossSegmentsKeepsOrderAndSize() {
        ReadyQueue q = new ReadyQueue();
        int n = ReadyQueue.SEGMENT * 3 + 7;
        for (int i = 0; i < n; i++) {
            q.add(i);
        }
        assertEquals(n, q.size());
        List<Object> seen = new ArrayList<>();
        q.forEach(seen::add);
        assertEquals(n, seen.size());
        assertEquals(0, seen.get(0));
        assertEquals(n - 1, seen.get(n - 1));
        for (int i = 0; i < n; i++) {
            assertEquals(i, q.peekFirst());
            assertEquals(i, q.pollFirst());
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void takingFromTheTailCrossesBackOverSegments() {
        ReadyQueue q = new ReadyQueue();
        int n = ReadyQueue.SEGMENT * 2 + 1;
        for (int i = 0; i < n; i++) {
            q.add(i);
        }
        for (int i = n - 1; i >= 0; i--) {
            assertEquals(i, q.peekLast());
            assertEquals(i, q.pollLast());
        }
        assertTrue(q.isEmpty());
        q.add("again");
        assertEquals("again", q.peekFirst());
        assertEquals("again", q.peekLast());
    }

    @Test
    void randomOperationsMatchAnArrayDeque() {
        SplittableRandom random = new SplittableRandom(7);
        ReadyQueue q = new ReadyQueue();
        ArrayDeque<Object> model = new ArrayDeque<>();
        int next = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                // Bursts, so that the queue grows over several segments and drains back again.
                int burst = random.nextInt(1, 3 * ReadyQueue.SEGMENT / 2);
                for (int i = 0; i < burst && model.size() < 5 * ReadyQueue.SEGMENT; i++) {
                    q.add(next);
                    model.add(next++);
                }
            } else if (op < 8) {
                assertEquals(model.pollFirst(), q.pollFirst());
            } else if (op < 9) {
                assertEquals(model.pollLast(), q.pollLast());
            } else {
                q.clear();
                model.clear();
            }
            assertEquals(model.size(), q.size());
            assertEquals(model.peekFirst(), q.peekFirst());
            assertEquals(model.peekLast(), q.peekLast());
        }
        List<Object> seen = new ArrayList<>();
        q.forEach(seen::add);
        assertEquals(new ArrayList<>(model), seen);
    }
}
