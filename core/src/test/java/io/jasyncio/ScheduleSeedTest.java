package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleSeedTest {

    /** Ten tasks each record their id after a yield and after a sleep to the same instant. */
    private static List<Integer> trace(EventLoop.Builder settings) {
        List<Integer> order = new ArrayList<>();
        Async.run(settings.clock(new VirtualTestClock()), () -> {
            List<Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int id = i;
                tasks.add(Async.spawn(() -> {
                    Async.yieldNow();
                    order.add(id);
                    Async.sleep(Duration.ofSeconds(1));
                    order.add(100 + id);
                    return null;
                }));
            }
            Async.gather(tasks);
            return null;
        });
        return order;
    }

    @Test
    void withoutASeedTheOrderIsFifo() {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(i);
        }
        for (int i = 0; i < 10; i++) {
            expected.add(100 + i);
        }
        assertEquals(expected, trace(EventLoop.builder()));
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndSeedsDiffer() {
        List<Integer> first = trace(EventLoop.builder().scheduleSeed(42));
        for (int i = 0; i < 5; i++) {
            assertEquals(first, trace(EventLoop.builder().scheduleSeed(42)));
        }
        Set<List<Integer>> distinct = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            distinct.add(trace(EventLoop.builder().scheduleSeed(seed)));
        }
        assertNotEquals(1, distinct.size(), "twenty seeds should not all give one schedule");
        assertNotEquals(trace(EventLoop.builder()), first);
    }
}
