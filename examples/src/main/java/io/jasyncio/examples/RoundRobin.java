package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code round-robin}: generator-style tasks interleaved by the loop's ready queue (article 000,
 * "Async Python Part 2", {@code MyConcurrentRunner}).
 *
 * <p>Four "generators" print their parts and {@link Async#yieldNow() yield} between parts, like
 * the article's {@code task1_part1 ... task1_part4}; the fourth only delegates to the first
 * ({@code yield from task1_part1()}), which here is a plain method call: a method called from a
 * task may suspend at any depth.
 *
 * <p>The same four methods run twice. Called one after another from one task, each runs to its
 * end before the next starts: that is what the article's runner does, since it drains each
 * generator before popping the next. Spawned as four tasks, every yield sends the task to the back
 * of the ready queue, and the parts alternate: one part per task per turn.
 */
public final class RoundRobin {

    private RoundRobin() {
    }

    /** One printed part: which generator (1-4) printed it, and what. */
    public record Step(int generator, String text) {
        @Override
        public String toString() {
            return generator + ":" + text;
        }
    }

    /** The order in which the parts ran, drained one generator at a time and then interleaved. */
    public record Result(List<Step> drained, List<Step> interleaved) {
    }

    /** A place for the parts to print to, remembering the order. */
    private static final class Printer {
        private final Settings settings;
        private final List<Step> steps = new ArrayList<>();

        Printer(Settings settings) {
            this.settings = settings;
        }

        void print(int generator, String text) {
            steps.add(new Step(generator, text));
            // One column per generator, so that the alternation shows.
            settings.say("  " + " ".repeat(17 * (generator - 1)) + text);
        }
    }

    // The article's generators. A part prints, then yields: the yield is the only place where
    // another task can run.

    static void task1Part1(Printer p, int generator) {
        p.print(generator, "task1_part1.1");
        Async.yieldNow();
        p.print(generator, "task1_part1.2");
        Async.yieldNow();
    }

    static void task1Part2(Printer p, int generator) {
        p.print(generator, "task1_part2.0");
        Async.yieldNow();
        p.print(generator, "task1_part2.1");
        Async.yieldNow();
        p.print(generator, "task1_part2.2");
        Async.yieldNow();
    }

    static void task1Part3(Printer p, int generator) {
        for (int i = 1; i <= 5; i++) {
            p.print(generator, "task1_part3." + i);
            Async.yieldNow();
        }
    }

    /** {@code yield from task1_part1()}: just a call. */
    static void task1Part4(Printer p, int generator) {
        task1Part1(p, generator);
    }

    private static void generator(Printer p, int n) {
        switch (n) {
            case 1 -> task1Part1(p, 1);
            case 2 -> task1Part2(p, 2);
            case 3 -> task1Part3(p, 3);
            case 4 -> task1Part4(p, 4);
            default -> throw new IllegalArgumentException("no generator " + n);
        }
    }

    /** Runs the four generators drained in turn, then as four tasks, and returns both orders. */
    public static Result run(Settings s) {
        return s.run(() -> {
            s.say("One task calls the four generators in turn (the article's runner drains each one):");
            Printer drained = new Printer(s);
            for (int n = 1; n <= 4; n++) {
                generator(drained, n);
            }

            s.say("Four tasks; each yield puts its task at the back of the ready queue:");
            Printer interleaved = new Printer(s);
            List<Task<Object>> tasks = new ArrayList<>();
            for (int n = 1; n <= 4; n++) {
                int g = n;
                tasks.add(Async.spawn("generator-" + g, () -> {
                    generator(interleaved, g);
                    return null;
                }));
            }
            Async.gather(tasks);
            return new Result(List.copyOf(drained.steps), List.copyOf(interleaved.steps));
        });
    }

    static void cli(Settings s, Args a) {
        Result r = run(s);
        s.say("Which generator ran each part:");
        s.say("  drained in turn: " + generators(r.drained()));
        s.say("  as tasks:        " + generators(r.interleaved()));
    }

    /** The generator numbers of {@code steps}, space-separated. */
    static String generators(List<Step> steps) {
        StringBuilder b = new StringBuilder();
        for (Step st : steps) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(st.generator());
        }
        return b.toString();
    }
}
