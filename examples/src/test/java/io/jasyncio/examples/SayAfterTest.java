package io.jasyncio.examples;

import static io.jasyncio.examples.TestSettings.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SayAfterTest {

    @Test
    void awaitedInTurnTakesTheSumAsTasksTheLonger() {
        TestSettings t = new TestSettings();
        SayAfter.Result r = SayAfter.run(t.virtual(0));
        assertEquals(seconds(3), r.sequentialNanos());
        assertEquals(seconds(2), r.concurrentNanos());
        assertEquals(List.of("hello", "world", "hello", "world"), r.said());
    }

    @Test
    void printsTheWordsAndTheTimings() {
        TestSettings t = new TestSettings();
        SayAfter.run(t.virtual(0).withScale(0.5));
        List<String> words = t.lines.stream().map(String::trim).filter(l -> l.equals("hello") || l.equals("world")).toList();
        assertEquals(List.of("hello", "world", "hello", "world"), words);
        assertTrue(t.lines.contains("  took 1.50 s (3.00 s unscaled)"), t.lines.toString());
        assertTrue(t.lines.contains("  took 1.00 s (2.00 s unscaled)"), t.lines.toString());
    }

    @Test
    void onTheRealClockTheSpeedUpIsThere() {
        TestSettings t = new TestSettings();
        double unit = 0.2; // one article-second = 200 ms
        SayAfter.Result r = SayAfter.run(t.real(unit, 0));
        // Sleeps never end early, so in turn takes at least 1 + 2 units...
        assertTrue(r.sequentialNanos() >= seconds(3 * unit), "sequential " + r.sequentialNanos());
        assertTrue(r.concurrentNanos() >= seconds(2 * unit), "concurrent " + r.concurrentNanos());
        // ...and as tasks less than that: the two sleeps overlapped. (The margin, one unit, absorbs
        // scheduling hiccups on a loaded machine.)
        assertTrue(r.concurrentNanos() < seconds(3 * unit), r.toString());
    }
}
