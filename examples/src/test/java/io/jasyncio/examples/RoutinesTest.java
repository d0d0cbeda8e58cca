package io.jasyncio.examples;

import static io.jasyncio.examples.TestSettings.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutinesTest {

    @Test
    void sleepsAreOneToFiveSecondsAndFollowTheSeed() {
        for (long seed = 0; seed < 200; seed++) {
            List<Integer> sleeps = Routines.drawSleeps(seed);
            assertEquals(3, sleeps.size());
            assertTrue(sleeps.stream().allMatch(s -> s >= 1 && s <= 5), sleeps.toString());
            assertEquals(sleeps, Routines.drawSleeps(seed));
        }
    }

    @Test
    void asyncSequentialIsTheSumAndGatheredTheMaximum() {
        for (long seed = 0; seed < 20; seed++) {
            TestSettings t = new TestSettings();
            List<Integer> sleeps = Routines.drawSleeps(seed);
            Routines.Comparison c = Routines.runAsync(t.virtual(seed), sleeps);
            int sum = sleeps.stream().mapToInt(Integer::intValue).sum();
            int max = sleeps.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertEquals(seconds(sum), c.sequential().elapsedNanos(), "seed " + seed);
            assertEquals(seconds(max), c.concurrent().elapsedNanos(), "seed " + seed);
            List<Long> expected = sleeps.stream().map(s -> Routines.power10(s)).toList();
            assertEquals(expected, c.sequential().results());
            assertEquals(expected, c.concurrent().results()); // gather keeps the given order
        }
    }

    @Test
    void sequentialRoutinesFinishBeforeTheNextStartsGatheredOnesAllStartFirst() {
        TestSettings t = new TestSettings();
        Routines.runAsync(t.virtual(0), List.of(2, 5, 1));
        List<String> lines = t.lines.stream().map(String::trim).filter(l -> l.matches("R[0-9] .*")).toList();
        assertEquals(List.of(
                "R3 is sleeping for 2 seconds.", "R3 has woken up.",
                "R2 is sleeping for 5 seconds.", "R2 has woken up.",
                "R1 is sleeping for 1 seconds.", "R1 has woken up.",
                "R3 is sleeping for 2 seconds.", "R2 is sleeping for 5 seconds.", "R1 is sleeping for 1 seconds.",
                "R1 has woken up.", "R3 has woken up.", "R2 has woken up."), lines);
        assertEquals(List.of(1024L, 9765625L, 1L), List.of(Routines.power10(2), Routines.power10(5), Routines.power10(1)));
    }

    @Test
    void blockingSleepsOnWorkerThreadsOverlapToo() {
        TestSettings t = new TestSettings();
        double scale = 0.1; // one article-second = 100 ms
        List<Integer> sleeps = List.of(3, 1, 2);
        Routines.Comparison c = Routines.runThreads(t.real(scale, 0), sleeps);
        long sum = seconds(6 * scale), max = seconds(3 * scale);
        long seq = c.sequential().elapsedNanos(), conc = c.concurrent().elapsedNanos();
        assertTrue(seq >= sum, "sequential " + seq + " < sum of sleeps " + sum);
        assertTrue(conc >= max, "gathered " + conc + " < longest sleep " + max);
        // The threads overlapped: in the gathered half every routine was asleep before the first
        // woke (the shortest sleeps 100 ms). The order of events, not a ratio of elapsed times,
        // which a loaded machine can stretch either way.
        List<String> lines = t.lines.stream().map(String::trim).filter(l -> l.matches("R[0-9] .*")).toList();
        List<String> gathered = lines.subList(lines.size() - 6, lines.size());
        assertTrue(gathered.subList(0, 3).stream().allMatch(l -> l.contains("is sleeping"))
                && gathered.subList(3, 6).stream().allMatch(l -> l.contains("has woken up")), String.valueOf(lines));
        assertEquals(List.of(59049L, 1L, 1024L), c.sequential().results());
        assertEquals(List.of(59049L, 1L, 1024L), c.concurrent().results());
    }

    @Test
    void runDrawsFromTheSeedAndDoesBothComparisons() {
        TestSettings t = new TestSettings();
        Routines.Result r = Routines.run(t.real(0.02, 7));
        assertEquals(Routines.drawSleeps(7), r.sleeps());
        List<Long> expected = r.sleeps().stream().map(Routines::power10).toList();
        assertEquals(expected, r.async().concurrent().results());
        assertEquals(expected, r.threads().concurrent().results());
        assertTrue(t.lines.stream().anyMatch(l -> l.contains("blocking, on a worker thread")));
    }
}
