package io.jasyncio.examples;

import io.jasyncio.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./jasyncio tour}: all six examples in turn with shortened delays, each followed by the
 * timing that makes its point, and a summary at the end.
 */
final class Tour {

    private Tour() {
    }

    /** The tour's default: one article-second lasts a quarter of a second. */
    static final double DEFAULT_SCALE = 0.25;

    static void run(Settings s) {
        String engine = Async.run(s.loops().get(), () -> Async.currentLoop().engineName());
        s.say("jasyncio tour: the seed articles' programs on one event loop thread (engine: " + engine + ").");
        s.say(String.format(Locale.ROOT,
                "Delays scaled ×%s: one second in the articles lasts %.2f s here; t= stamps are in the articles' seconds.",
                trim(s.scale()), s.scale()));
        long t0 = System.nanoTime();
        List<String> summary = new ArrayList<>();
        int i = 0;
        for (Examples.Entry e : Examples.ALL) {
            i++;
            s.say("");
            s.say("── " + i + "/" + Examples.ALL.size() + "  " + e.name() + ": " + e.summary());
            s.say("   (" + e.origin() + "; run it alone with ./jasyncio example " + e.name() + ")");
            summary.add(String.format(Locale.ROOT, "  %-16s %s", e.name(), e.tour().apply(s)));
        }
        s.say("");
        s.say("Summary (delays ×" + trim(s.scale()) + ", real times measured on this run):");
        summary.forEach(s::say);
        s.say(String.format(Locale.ROOT, "Tour done in %.1f s.", (System.nanoTime() - t0) / 1e9));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    static String roundRobin(Settings s) {
        RoundRobin.Result r = RoundRobin.run(s);
        String drained = RoundRobin.generators(r.drained());
        String interleaved = RoundRobin.generators(r.interleaved());
        s.say("Generator of each part, drained: " + drained + "; as tasks: " + interleaved);
        return "as tasks the parts alternate: " + interleaved;
    }

    static String countdown(Settings s) {
        Countdown.Result r = Countdown.run(s, Countdown.DEFAULT_FROM, Countdown.DEFAULT_UP_TO);
        String line = "together " + s.time(r.totalNanos()) + " vs back to back "
                + s.time(r.countDownNanos() + r.countUpNanos());
        s.say(line);
        return line;
    }

    static String sayAfter(Settings s) {
        SayAfter.Result r = SayAfter.run(s);
        return "awaited in turn " + s.time(r.sequentialNanos()) + " vs as tasks " + s.time(r.concurrentNanos());
    }

    static String routines(Settings s) {
        Routines.Result r = Routines.run(s);
        String line = "sequential " + s.time(r.async().sequential().elapsedNanos()) + " vs gathered "
                + s.time(r.async().concurrent().elapsedNanos()) + "; on threads "
                + s.time(r.threads().sequential().elapsedNanos()) + " vs " + s.time(r.threads().concurrent().elapsedNanos());
        s.say(line);
        return line;
    }

    static String counters(Settings s) {
        int count = 3;
        s.say("(counting to " + count + " instead of " + Counters.DEFAULT_COUNT + " to keep the tour short)");
        s.say("With a yield after each step:");
        Counters.Result with = Counters.run(s, Counters.DEFAULT_TASKS, count, true);
        s.say("Without the yield:");
        Counters.Result without = Counters.run(s, Counters.DEFAULT_TASKS, count, false);
        return "with yields: " + order(with) + "; without: " + order(without);
    }

    private static String order(Counters.Result r) {
        StringBuilder b = new StringBuilder();
        for (Counters.Line l : r.lines()) {
            b.append(l.task());
        }
        return b.toString();
    }

    static String fetcherMonitor(Settings s) {
        s.say("No suspension inside a batch:");
        FetcherMonitor.Result plain = FetcherMonitor.run(s, FetcherMonitor.DEFAULT_SECONDS, false);
        FetcherMonitor.report(s, plain);
        s.say("For contrast, a sleep after each value (an await inside the batch):");
        FetcherMonitor.Result awaiting = FetcherMonitor.run(s, FetcherMonitor.DEFAULT_SECONDS, true);
        FetcherMonitor.report(s, awaiting);
        return "monitor saw " + plain.observed() + " (await inside the batch: " + awaiting.observed() + ")";
    }
}
