package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@code routines}: three routines R3, R2, R1 that each sleep a random 1-5 s and return
 * {@code sleep_time ** 10} (article 001, "Introducing asyncio", "The problems of sequential code").
 *
 * <p>Run one after another, the total is the sum of the sleeps; spawned as tasks and gathered, it
 * is the longest one. Then the same again with a blocking {@link Thread#sleep} in each routine,
 * handed to a worker thread with {@link Async#toThread}: the loop keeps running while the threads
 * block, so gathering three of them again takes about the longest one. (A blocking sleep called
 * directly in a task would stall the whole loop; that is what {@code toThread} is for.)
 */
public final class Routines {

    private Routines() {
    }

    /** The routines' names, in the article's order ({@code for i in range(3, 0, -1)}). */
    public static final List<String> NAMES = List.of("R3", "R2", "R1");

    /** One way of running the three: how long it took and what they returned, in order. */
    public record Phase(long elapsedNanos, List<Long> results) {
    }

    /** One after another versus all at once. */
    public record Comparison(Phase sequential, Phase concurrent) {
    }

    /** Everything: the drawn sleeps (seconds), then the async and the threaded comparison. */
    public record Result(List<Integer> sleeps, Comparison async, Comparison threads) {
    }

    /** Three sleep times in whole seconds, 1 to 5, drawn from {@code seed} ({@code random.randint(1, 5)}). */
    public static List<Integer> drawSleeps(long seed) {
        Random random = new Random(seed);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            out.add(1 + random.nextInt(5));
        }
        return List.copyOf(out);
    }

    static long power10(int base) {
        long r = 1;
        for (int i = 0; i < 10; i++) {
            r *= base;
        }
        return r;
    }

    /** The article's routine, with a non-blocking sleep. */
    static long routine(Settings s, String name, int seconds) {
        s.say("  " + name + " is sleeping for " + seconds + " seconds.");
        Async.sleep(s.seconds(seconds));
        s.say("  " + name + " has woken up.");
        return power10(seconds);
    }

    /** The article's routine as written, blocking sleep and all, run on a worker thread. */
    static long blockingRoutine(Settings s, String name, int seconds) {
        s.say("  " + name + " is sleeping for " + seconds + " seconds (blocking, on a worker thread).");
        Duration d = s.seconds(seconds);
        long value = Async.toThread(() -> {
            Thread.sleep(d); // blocks the worker thread, not the loop
            return power10(seconds);
        });
        s.say("  " + name + " has woken up.");
        return value;
    }

    @FunctionalInterface
    interface Routine {
        long call(Settings s, String name, int seconds);
    }

    private static Comparison compare(Settings s, List<Integer> sleeps, Routine routine) {
        if (sleeps.size() != NAMES.size()) {
            throw new IllegalArgumentException("need " + NAMES.size() + " sleep times, got " + sleeps);
        }
        return s.run(() -> {
            s.say(" one after another:");
            long t0 = Settings.now();
            List<Long> results = new ArrayList<>();
            for (int i = 0; i < NAMES.size(); i++) {
                results.add(routine.call(s, NAMES.get(i), sleeps.get(i)));
            }
            Phase sequential = new Phase(Settings.now() - t0, List.copyOf(results));
            s.say("  Results = " + results + ", elapsed " + s.time(sequential.elapsedNanos()));

            s.say(" spawned as tasks and gathered:");
            long t1 = Settings.now();
            List<Task<Long>> tasks = new ArrayList<>();
            for (int i = 0; i < NAMES.size(); i++) {
                String name = NAMES.get(i);
                int seconds = sleeps.get(i);
                tasks.add(Async.spawn(name, () -> routine.call(s, name, seconds)));
            }
            List<Long> gathered = Async.gather(tasks);
            Phase concurrent = new Phase(Settings.now() - t1, List.copyOf(gathered));
            s.say("  Results = " + gathered + ", elapsed " + s.time(concurrent.elapsedNanos()));
            return new Comparison(sequential, concurrent);
        });
    }

    /** The routines with {@link Async#sleep}: sequentially, then gathered. Fine on a virtual clock. */
    public static Comparison runAsync(Settings s, List<Integer> sleeps) {
        return compare(s, sleeps, Routines::routine);
    }

    /**
     * The routines with blocking sleeps on worker threads: sequentially, then gathered. Real
     * threads sleep in real time, so give this a loop on the real clock.
     */
    public static Comparison runThreads(Settings s, List<Integer> sleeps) {
        return compare(s, sleeps, Routines::blockingRoutine);
    }

    /** Draws the sleeps from the seed and runs both comparisons. */
    public static Result run(Settings s) {
        List<Integer> sleeps = drawSleeps(s.seed());
        s.say("Sleep times drawn with seed " + s.seed() + ": " + sleeps + " (seconds)");
        s.say("With Async.sleep:");
        Comparison async = runAsync(s, sleeps);
        s.say("With Thread.sleep inside Async.toThread:");
        Comparison threads = runThreads(s, sleeps);
        return new Result(sleeps, async, threads);
    }

    static final Set<String> OPTIONS = Set.of("seed");

    static void cli(Settings s, Args a) {
        Settings settings = s.withSeed(a.integer("seed", s.seed()));
        Result r = run(settings);
        int sum = r.sleeps().stream().mapToInt(Integer::intValue).sum();
        int max = r.sleeps().stream().mapToInt(Integer::intValue).max().orElse(0);
        settings.say("Sequential: the sum (" + sum + " s): " + settings.time(r.async().sequential().elapsedNanos())
                + " async, " + settings.time(r.threads().sequential().elapsedNanos()) + " on threads.");
        settings.say("Concurrent: the longest (" + max + " s): " + settings.time(r.async().concurrent().elapsedNanos())
                + " async, " + settings.time(r.threads().concurrent().elapsedNanos()) + " on threads.");
    }
}
