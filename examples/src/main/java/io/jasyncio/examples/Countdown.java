package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code countdown}: a countdown reporting every second and a count-up reporting every three
 * seconds, running at once on non-blocking sleep (article 002, "Understanding Asyncio in Python",
 * {@code count_down} and {@code count_up}).
 *
 * <p>While one sleeps the loop runs the other, so together they take as long as the longer of
 * the two, not the sum. The article builds this with a ready queue and a heap of sleepers ordered
 * by deadline; that is {@link Async#sleep}: the task goes into the loop's timer heap, and when
 * nothing is ready the loop waits only until the earliest deadline.
 */
public final class Countdown {

    private Countdown() {
    }

    /** The article's numbers: count down from 10, a step a second; count up 0, 1, 2, a step every 3 seconds. */
    public static final int DEFAULT_FROM = 10, DEFAULT_UP_TO = 3;

    /** One report: when (loop nanoseconds since the start) and what was printed. */
    public record Event(long atNanos, String who, int value) {
    }

    /**
     * What happened: every report in order, how long each counter took on its own, and the total.
     */
    public record Result(List<Event> events, long countDownNanos, long countUpNanos, long totalNanos) {
    }

    /** Counts down from {@code n}: reports n, sleeps a second, reports n-1, ... down to 1. */
    static long countDown(Settings s, long start, List<Event> events, int n) {
        long t0 = Settings.now();
        boolean finished = false;
        try {
            while (n > 0) {
                report(s, start, events, "count_down", n);
                Async.sleep(s.seconds(1));
                n--;
            }
            finished = true;
            return Settings.now() - t0;
        } finally {
            if (!finished) { // cancelled: Ctrl-C, which Async.run turns into a cancellation of every task
                s.say("  count_down stopped at " + n + " (its finally block ran)");
            }
        }
    }

    /** Counts up from 0 to {@code n - 1}, reporting every three seconds. */
    static long countUp(Settings s, long start, List<Event> events, int n) {
        long t0 = Settings.now();
        int i = 0;
        try {
            for (; i < n; i++) {
                report(s, start, events, "count_up", i);
                Async.sleep(s.seconds(3));
            }
            return Settings.now() - t0;
        } finally {
            if (i < n) {
                s.say("  count_up stopped at " + i + " (its finally block ran)");
            }
        }
    }

    private static void report(Settings s, long start, List<Event> events, String who, int value) {
        events.add(new Event(Settings.now() - start, who, value));
        String indent = who.equals("count_up") ? "                  " : "";
        s.say("  " + s.stamp(start) + "  " + indent + who + " " + value);
    }

    /** Runs {@code countDown(from)} and {@code countUp(upTo)} as two tasks and waits for both. */
    public static Result run(Settings s, int from, int upTo) {
        if (from < 0 || upTo < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        return s.run(() -> {
            List<Event> events = new ArrayList<>();
            long start = Settings.now();
            Task<Long> down = Async.spawn("count_down", () -> countDown(s, start, events, from));
            Task<Long> up = Async.spawn("count_up", () -> countUp(s, start, events, upTo));
            try {
                long downNanos = down.await();
                long upNanos = up.await();
                return new Result(List.copyOf(events), downNanos, upNanos, Settings.now() - start);
            } catch (CancelledException e) {
                // Ctrl-C cancels this main task first; it cancels the counters and lets them unwind
                // before it goes (Async.run would cancel them after it otherwise).
                s.say("interrupted (Ctrl-C): cancelling the counters");
                down.cancel();
                up.cancel();
                Async.shield(() -> Async.gatherSettled(down, up));
                throw e;
            }
        });
    }

    static final Set<String> OPTIONS = Set.of("from", "up-to");

    /** The CLI's bound on either count: a count-up to 1000 already lasts 50 minutes. */
    static final int MAX_COUNT = 1000;

    static void cli(Settings s, Args a) {
        int from = a.integer("from", DEFAULT_FROM, 0, MAX_COUNT);
        int upTo = a.integer("up-to", DEFAULT_UP_TO, 0, MAX_COUNT);
        s.say("count_down(" + from + ") reports every 1 s, count_up(" + upTo + ") every 3 s, both as tasks"
                + " (t= is in the article's seconds):");
        Result r = run(s, from, upTo);
        s.say("count_down alone took " + s.time(r.countDownNanos()) + ", count_up alone " + s.time(r.countUpNanos()) + ";");
        s.say("together they took " + s.time(r.totalNanos()) + ": the longer of the two, not the sum ("
                + s.time(r.countDownNanos() + r.countUpNanos()) + ").");
    }
}
