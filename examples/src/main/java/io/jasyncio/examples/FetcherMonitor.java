package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.TaskGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@code fetcher-monitor}: a fetcher appending values in batches of ten and a monitor printing how
 * many there are every second (article 004, "Async Python", the {@code vals} example).
 *
 * <p>Both tasks share one plain {@link ArrayList} with no lock. Control only changes hands at a
 * suspension point, and the fetcher has none inside a batch, so the monitor can never see half a
 * batch: every length it prints is a multiple of 10. Put an await inside the batch loop (the
 * {@code --await-inside} variant, where each value "arrives" with a short sleep) and that
 * guarantee is gone.
 *
 * <p>The two run in a {@link TaskGroup} inside {@link Async#moveOnAfter}: when the time is up,
 * the deadline cancels the group, which cancels both tasks and waits for them.
 */
public final class FetcherMonitor {

    private FetcherMonitor() {
    }

    public static final int BATCH = 10;
    public static final double DEFAULT_SECONDS = 4.5;

    /** Every length the monitor printed, and how many values the fetcher had appended by the end. */
    public record Result(List<Integer> observed, int fetched) {
        public boolean allWholeBatches() {
            return observed.stream().allMatch(n -> n % BATCH == 0);
        }
    }

    /** Simulated I/O: waits 0.05-0.35 s, then returns the next ten values. */
    static List<Integer> getSomeValuesFromIo(Settings s, Random random, int next) {
        Async.sleep(s.seconds(0.05 + 0.3 * random.nextDouble()));
        List<Integer> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(next + i);
        }
        return batch;
    }

    static Object fetcher(Settings s, List<Integer> vals, boolean awaitInsideBatch) {
        Random random = new Random(s.seed());
        while (true) {
            List<Integer> ioVals = getSomeValuesFromIo(s, random, vals.size());
            for (Integer v : ioVals) {
                vals.add(v);
                if (awaitInsideBatch) {
                    Async.sleep(s.seconds(0.05)); // a suspension point inside the batch
                }
            }
        }
    }

    static Object monitor(Settings s, List<Integer> vals, List<Integer> observed, long start) {
        while (true) {
            int n = vals.size();
            observed.add(n);
            s.say("  " + s.stamp(start) + "  len(vals) = " + n + (n % BATCH == 0 ? "" : "   <- half a batch"));
            Async.sleep(s.seconds(1));
        }
    }

    /** Runs fetcher and monitor for {@code seconds} (article seconds), then cancels both. */
    public static Result run(Settings s, double seconds, boolean awaitInsideBatch) {
        return s.run(() -> {
            List<Integer> vals = new ArrayList<>();
            List<Integer> observed = new ArrayList<>();
            long start = Settings.now();
            Async.moveOnAfter(s.seconds(seconds), () -> {
                try (TaskGroup group = Async.taskGroup()) {
                    group.spawn("fetcher", () -> fetcher(s, vals, awaitInsideBatch));
                    group.spawn("monitor", () -> monitor(s, vals, observed, start));
                }
                return null;
            });
            return new Result(List.copyOf(observed), vals.size());
        });
    }

    static final Set<String> OPTIONS = Set.of("seconds", "seed");
    static final Set<String> FLAGS = Set.of("await-inside");

    static void cli(Settings s, Args a) {
        Settings settings = s.withSeed(a.integer("seed", s.seed()));
        double seconds = a.positive("seconds", DEFAULT_SECONDS, 3600);
        boolean awaitInside = a.flag("await-inside");
        settings.say("The fetcher appends batches of " + BATCH + (awaitInside
                ? " with a sleep after each value;" : " with no suspension inside a batch;")
                + " the monitor prints the length every second, for " + seconds + " s:");
        Result r = run(settings, seconds, awaitInside);
        report(settings, r);
    }

    static void report(Settings s, Result r) {
        s.say("Fetched " + r.fetched() + " values; the monitor saw " + r.observed() + ": "
                + (r.allWholeBatches() ? "always a multiple of " + BATCH + "."
                        : "not always a multiple of " + BATCH + ", because the fetcher suspends inside a batch."));
    }
}
