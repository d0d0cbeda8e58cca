package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessesExampleTest {

    /** The children run for real (their sleeps are theirs, not the loop's): a short article-second. */
    private static final double SCALE = 0.3;

    @Test
    void inSequenceTheChildrenTakeTheSumAtOnceTheLongestAndTheirLinesComeAsPrinted() {
        TestSettings t = new TestSettings();
        ProcessesExample.Result r = ProcessesExample.run(t.real(SCALE, 0));
        for (ProcessesExample.Phase p : List.of(r.sequential(), r.concurrent())) {
            assertEquals(List.of(3, 2, 1), p.exitCodes(), "each child's exit status");
            for (String child : ProcessesExample.NAMES) {
                int steps = ProcessesExample.STEPS.get(ProcessesExample.NAMES.indexOf(child));
                List<String> mine = p.lines().stream().filter(l -> l.child().equals(child)).map(ProcessesExample.Line::text).toList();
                assertEquals(java.util.stream.IntStream.rangeClosed(1, steps).mapToObj(i -> "step " + i + " of " + steps).toList(), mine);
            }
        }
        // In sequence, R3's lines all come before R2's; at once, every child's first line comes
        // before any second line (they start together, a step apart).
        List<String> seq = r.sequential().lines().stream().map(ProcessesExample.Line::child).toList();
        assertEquals(List.of("R3", "R3", "R3", "R2", "R2", "R1"), seq);
        List<String> firstThree = r.concurrent().lines().subList(0, 3).stream().map(ProcessesExample.Line::text).toList();
        assertEquals(java.util.Set.of("step 1 of 3", "step 1 of 2", "step 1 of 1"), java.util.Set.copyOf(firstThree));
        long step = TestSettings.seconds(SCALE);
        assertTrue(r.sequential().elapsedNanos() >= 6 * step, "sleeps of 6 steps in a row");
        assertTrue(r.concurrent().elapsedNanos() >= 3 * step);
        assertTrue(r.concurrent().elapsedNanos() < r.sequential().elapsedNanos(), r.toString());
        assertTrue(t.lines.stream().anyMatch(l -> l.contains("exit codes [3, 2, 1]")), String.join("\n", t.lines));
    }
}
