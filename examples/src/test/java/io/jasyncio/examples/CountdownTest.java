package io.jasyncio.examples;

import static io.jasyncio.examples.TestSettings.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.examples.Countdown.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountdownTest {

    @Test
    void countDownReportsEverySecondAndCountUpEveryThree() {
        TestSettings t = new TestSettings();
        Countdown.Result r = Countdown.run(t.virtual(0), 10, 3);
        List<Event> down = r.events().stream().filter(e -> e.who().equals("count_down")).toList();
        List<Event> up = r.events().stream().filter(e -> e.who().equals("count_up")).toList();
        assertEquals(10, down.size());
        for (int k = 0; k < 10; k++) {
            assertEquals(10 - k, down.get(k).value());
            assertEquals(seconds(k), down.get(k).atNanos(), "count_down " + (10 - k));
        }
        assertEquals(3, up.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, up.get(i).value());
            assertEquals(seconds(3 * i), up.get(i).atNanos(), "count_up " + i);
        }
    }

    @Test
    void totalIsTheLongerOfTheTwoNotTheSum() {
        TestSettings t = new TestSettings();
        Countdown.Result r = Countdown.run(t.virtual(0), 10, 3);
        assertEquals(seconds(10), r.countDownNanos());
        assertEquals(seconds(9), r.countUpNanos());
        assertEquals(seconds(10), r.totalNanos()); // max(10, 9), not 19
    }

    @Test
    void theLongerOneSetsTheTotalWhicheverItIs() {
        TestSettings t = new TestSettings();
        Countdown.Result r = Countdown.run(t.virtual(0), 2, 4);
        assertEquals(seconds(2), r.countDownNanos());
        assertEquals(seconds(12), r.countUpNanos());
        assertEquals(seconds(12), r.totalNanos());
    }

    @Test
    void reportsInterleaveInTimeOrder() {
        TestSettings t = new TestSettings();
        Countdown.Result r = Countdown.run(t.virtual(0), 4, 2);
        List<String> order = r.events().stream().map(e -> e.who() + " " + e.value()).toList();
        // t=0: both start; t=1,2: countdown; t=3: count-up 1 and countdown 1 are due together, and
        // the timer scheduled first (count-up's, at t=0) fires first.
        assertEquals(List.of("count_down 4", "count_up 0", "count_down 3", "count_down 2", "count_up 1", "count_down 1"),
                order);
        for (int i = 1; i < r.events().size(); i++) {
            assertEquals(true, r.events().get(i - 1).atNanos() <= r.events().get(i).atNanos());
        }
    }

    @Test
    void scaleShortensEveryDelay() {
        TestSettings t = new TestSettings();
        Countdown.Result r = Countdown.run(t.virtual(0).withScale(0.25), 10, 3);
        assertEquals(seconds(2.5), r.totalNanos());
        assertEquals(seconds(0.25 * 19), r.countDownNanos() + r.countUpNanos());
        // Printed stamps are in the article's seconds.
        assertEquals(true, t.lines.stream().anyMatch(l -> l.contains("[t= 9.0]") && l.contains("count_down 1")), t.lines.toString());
    }

    /** What {@code ./jasyncio list} says the example does is what its defaults do. */
    @Test
    void theListedSummarySaysWhatTheDefaultsDo() {
        TestSettings t = new TestSettings();
        Countdown.Result r = Countdown.run(t.virtual(0), Countdown.DEFAULT_FROM, Countdown.DEFAULT_UP_TO);
        List<Event> down = r.events().stream().filter(e -> e.who().equals("count_down")).toList();
        List<Event> up = r.events().stream().filter(e -> e.who().equals("count_up")).toList();
        String summary = Examples.find("countdown").orElseThrow().summary();
        String downSteps = "down from " + down.get(0).value() + " in " + step(down) + " s steps";
        String upSteps = "up " + String.join(", ", up.stream().map(e -> String.valueOf(e.value())).toList()) + " in "
                + step(up) + " s steps";
        String total = Math.round(r.totalNanos() / 1e9) + " s, not the sum";
        for (String part : List.of(downSteps, upSteps, total)) {
            org.junit.jupiter.api.Assertions.assertTrue(summary.contains(part), "'" + part + "' not in: " + summary);
        }
    }

    private static long step(List<Event> events) {
        return Math.round((events.get(1).atNanos() - events.get(0).atNanos()) / 1e9);
    }
}
