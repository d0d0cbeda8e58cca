package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.examples.RoundRobin.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    private static Step s(int g, String text) {
        return new Step(g, text);
    }

    @Test
    void drainingRunsEachGeneratorToItsEnd() {
        TestSettings t = new TestSettings();
        RoundRobin.Result r = RoundRobin.run(t.virtual(0));
        assertEquals(List.of(
                s(1, "task1_part1.1"), s(1, "task1_part1.2"),
                s(2, "task1_part2.0"), s(2, "task1_part2.1"), s(2, "task1_part2.2"),
                s(3, "task1_part3.1"), s(3, "task1_part3.2"), s(3, "task1_part3.3"), s(3, "task1_part3.4"), s(3, "task1_part3.5"),
                s(4, "task1_part1.1"), s(4, "task1_part1.2")), r.drained());
    }

    @Test
    void tasksAlternatePartByPartInReadyQueueOrder() {
        TestSettings t = new TestSettings();
        RoundRobin.Result r = RoundRobin.run(t.virtual(0));
        assertEquals(List.of(
                // turn 1: every generator runs its first part, in spawn order
                s(1, "task1_part1.1"), s(2, "task1_part2.0"), s(3, "task1_part3.1"), s(4, "task1_part1.1"),
                // turn 2
                s(1, "task1_part1.2"), s(2, "task1_part2.1"), s(3, "task1_part3.2"), s(4, "task1_part1.2"),
                // generators 1 and 4 are out of parts; 2 and 3 keep alternating
                s(2, "task1_part2.2"), s(3, "task1_part3.3"),
                s(3, "task1_part3.4"),
                s(3, "task1_part3.5")), r.interleaved());
        assertEquals("1 2 3 4 1 2 3 4 2 3 3 3", RoundRobin.generators(r.interleaved()));
    }

    @Test
    void bothRunsPrintTheSamePartsAndOnlyTheOrderDiffers() {
        TestSettings t = new TestSettings();
        RoundRobin.Result r = RoundRobin.run(t.virtual(0));
        List<Step> a = new ArrayList<>(r.drained()), b = new ArrayList<>(r.interleaved());
        a.sort(java.util.Comparator.comparing(Step::toString));
        b.sort(java.util.Comparator.comparing(Step::toString));
        assertEquals(a, b);
        // Every part was printed, in the order recorded, each on its generator's column.
        List<String> printed = t.lines.stream().filter(l -> l.trim().startsWith("task1_")).toList();
        assertEquals(24, printed.size());
        for (int i = 0; i < 12; i++) {
            Step step = r.interleaved().get(i);
            String line = printed.get(12 + i);
            assertEquals(step.text(), line.trim());
            assertEquals(2 + 17 * (step.generator() - 1), line.indexOf("task1_"), line);
        }
        assertTrue(t.lines.get(0).contains("drains"));
    }
}
