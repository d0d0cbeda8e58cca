package io.jasyncio.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.process.ProcessOptions;
import io.jasyncio.process.Processes;
import io.jasyncio.process.Subprocess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code processes}: the seed's sequential-versus-concurrent timing ("Introducing asyncio", which
 * sets processes beside threads and coroutines), with child processes instead of sleeps. Three
 * children R3, R2 and R1 each print a line a second for 3, 2 and 1 seconds and exit with status
 * 3, 2 and 1. Awaited one after another they take the sum (6 s); started as three tasks on one
 * loop they take the longest (3 s). Either way each child's stdout is read line by line as the
 * lines come ({@code Subprocess.stdout().readLine}), and the exit codes are gathered.
 *
 * <p>Nothing blocks the loop: each child's stdout comes in through a pump thread (see
 * {@code io.jasyncio.process}), and the tasks wait for lines and exits as they would for a socket.
 * Ctrl-C cancels the tasks, which stops the children (SIGTERM) before the JVM exits with 130.
 */
public final class ProcessesExample {

    private ProcessesExample() {
    }

    /** The children: name, and how many one-second steps it takes (also its exit status). */
    static final List<String> NAMES = List.of("R3", "R2", "R1");
    static final List<Integer> STEPS = List.of(3, 2, 1);

    /** One line a child printed, when (loop nanoseconds since the phase began) and whose. */
    public record Line(long atNanos, String child, String text) {
    }

    /** One way of running the three: how long, what they printed in arrival order, their exit codes. */
    public record Phase(long elapsedNanos, List<Line> lines, List<Integer> exitCodes) {
    }

    /** In sequence, then at once. */
    public record Result(Phase sequential, Phase concurrent) {
    }

    /** A shell that prints "step i of n" every {@code stepSeconds} and exits with n. */
    static List<String> command(int steps, double stepSeconds) {
        String sleep = String.format(Locale.ROOT, "%.3f", stepSeconds);
        return List.of("/bin/sh", "-c", "i=1; while [ $i -le " + steps + " ]; do echo \"step $i of " + steps + "\"; sleep "
                + sleep + "; i=$((i+1)); done; exit " + steps);
    }

    /** Starts one child, streams its stdout line by line, returns its exit code. */
    static int runChild(Settings s, long start, List<Line> lines, String name, int steps) throws IOException {
        double stepSeconds = s.seconds(1).toNanos() / 1e9;
        try (Subprocess p = Processes.exec(ProcessOptions.defaults().stdout(io.jasyncio.process.Stdio.PIPE),
                command(steps, stepSeconds))) {
            String text;
            while ((text = p.stdout().readLine(UTF_8)) != null) {
                lines.add(new Line(Settings.now() - start, name, text));
                s.say("  " + s.stamp(start) + "  " + "        ".repeat(NAMES.indexOf(name)) + name + ": " + text);
            }
            return p.await();
        }
    }

    /** Runs the three children in sequence and then at once. */
    public static Result run(Settings s) {
        return s.run(() -> {
            s.say("in sequence: each child awaited before the next starts");
            long t0 = Settings.now();
            List<Line> seqLines = new ArrayList<>();
            List<Integer> seqCodes = new ArrayList<>();
            for (int i = 0; i < NAMES.size(); i++) {
                seqCodes.add(runChild(s, t0, seqLines, NAMES.get(i), STEPS.get(i)));
            }
            Phase sequential = new Phase(Settings.now() - t0, List.copyOf(seqLines), List.copyOf(seqCodes));
            s.say("  exit codes " + seqCodes + ", " + s.time(sequential.elapsedNanos()) + ": the sum of the three");

            s.say("at once: three tasks on one loop, each streaming its child's lines as they come");
            long t1 = Settings.now();
            List<Line> conLines = new ArrayList<>();
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < NAMES.size(); i++) {
                String name = NAMES.get(i);
                int steps = STEPS.get(i);
                tasks.add(Async.spawn(name, () -> runChild(s, t1, conLines, name, steps)));
            }
            List<Integer> conCodes = Async.gather(tasks);
            Phase concurrent = new Phase(Settings.now() - t1, List.copyOf(conLines), List.copyOf(conCodes));
            s.say("  exit codes " + conCodes + ", " + s.time(concurrent.elapsedNanos()) + ": the longest, not the sum");
            return new Result(sequential, concurrent);
        });
    }

    static void cli(Settings s, Args a) {
        s.say("processes: children R3, R2, R1 (/bin/sh) print a line a second for 3, 2 and 1 s and exit with 3, 2, 1"
                + " (t= is in the article's seconds):");
        run(s);
    }
}
