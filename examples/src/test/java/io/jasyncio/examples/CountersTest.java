package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.examples.Counters.Line;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountersTest {

    @Test
    void fourCountersToAHundredTakeTurnsStepByStep() {
        TestSettings t = new TestSettings();
        Counters.Result r = Counters.run(t.virtual(0), 4, 100, true);
        assertEquals(400, r.lines().size());
        for (int i = 0; i < 400; i++) {
            assertEquals(new Line(i % 4, i / 4), r.lines().get(i), "line " + i);
        }
        assertTrue(Counters.takesTurns(r.lines(), 4));
        assertEquals("task0: 0", t.lines.get(0).trim());
        assertEquals("task3: 99", t.lines.get(399).trim());
    }

    @Test
    void withoutTheYieldEachCounterRunsToTheEndFirst() {
        TestSettings t = new TestSettings();
        Counters.Result r = Counters.run(t.virtual(0), 4, 100, false);
        assertEquals(400, r.lines().size());
        for (int i = 0; i < 400; i++) {
            assertEquals(new Line(i / 100, i % 100), r.lines().get(i), "line " + i);
        }
        assertTrue(!Counters.takesTurns(r.lines(), 4));
    }

    @Test
    void otherSizesTakeTurnsToo() {
        TestSettings t = new TestSettings();
        Counters.Result r = Counters.run(t.virtual(0), 7, 13, true);
        assertEquals(91, r.lines().size());
        assertTrue(Counters.takesTurns(r.lines(), 7));
        assertEquals(List.of(), Counters.run(t.virtual(0), 3, 0, true).lines());
    }
}
