package io.jasyncio.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The launcher's entry point ({@code ./jasyncio}): {@code tour}, {@code example NAME [options]},
 * {@code list}, {@code demo}, {@code help}. Exit status: 0 on success, 1 if an example failed or
 * the demo lost a byte, 2 for a bad command line.
 */
public final class Main {

    /** The range of {@code --scale}: below a thousandth a delay is lost in the loop's own overheads; above 100 a run takes hours. */
    static final double MIN_SCALE = 0.001, MAX_SCALE = 100;

    private Main() {
    }

    /**
     * The launcher's entry point.
     *
     * @param args the command line, as {@code ./jasyncio} passes it
     */
    public static void main(String[] args) {
        exit(run(List.of(args), System.out, System.err));
    }

    /**
     * Runs one example as {@code ./jasyncio example NAME args...} does and exits with its status:
     * the {@code main} of an example class, which the benchmark scripts call by class name.
     */
    static void mainOf(String name, String[] args) {
        List<String> line = new ArrayList<>(List.of("example", name));
        line.addAll(List.of(args));
        exit(run(line, System.out, System.err));
    }

    private static void exit(int status) {
        System.out.flush();
        System.err.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("usage: ./jasyncio <command> [options]\n\n");
        b.append("commands:\n");
        b.append("  tour [--scale X] [--seed N]   run the seed articles' six examples in turn, delays scaled (default ×")
                .append(Tour.DEFAULT_SCALE).append(")\n");
        b.append("  example NAME [options]        run one example (the seed articles' at their speed; --scale X to change)\n");
        b.append("  list                          list the examples and their options\n");
        b.append("  demo [--conns N] [--size B] [--duration S] [--warmup S] [--servers LIST] [--tour-scale X]\n");
        b.append("                                one echo server on one jasyncio loop, then a thread per connection on\n");
        b.append("                                platform and on virtual threads, each with N concurrent connections\n");
        b.append("                                (default ").append(String.format(java.util.Locale.ROOT, "%,d", DemoOptions.DEFAULT_CONNS))
                .append(") of B-byte messages (").append(DemoOptions.DEFAULT_SIZE).append(") for S s (")
                .append((int) DemoOptions.DEFAULT_DURATION).append(") each; LIST from jasyncio,platform,virtual\n");
        b.append("  bench [--quick]               the whole benchmark suite in one run (JMH, memory, echo vs plain NIO\n");
        b.append("                                and Netty), one report at the end (launcher only; docs/benchmarks.md)\n");
        b.append("  ps PID [--json]               the tasks of every event loop of JVM PID, one line each (attaches\n");
        b.append("                                through JMX; no loop code needs to run): docs/observability.md\n");
        b.append("  pstree PID [--json]           the same as a tree: each task under the task waiting for it\n");
        b.append("  help                          this text\n\n");
        b.append("examples: ");
        b.append(String.join(", ", Examples.every().stream().map(Examples.Entry::name).toList())).append('\n');
        return b.toString();
    }

    /** Runs one command line; returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            out.print(usage());
            return 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        String who = command;
        try {
            switch (command) {
                case "help", "-h", "--help" -> out.print(usage());
                case "list" -> list(out);
                case "tour" -> tour(rest, out);
                case "demo" -> {
                    return Demo.run(rest, out, out == System.out && Demo.stdoutIsTerminal());
                }
                case "example" -> {
                    Examples.Entry e = example(rest);
                    who = e.name();
                    try {
                        Args a = e.parse(rest.subList(1, rest.size()));
                        e.cli().accept(settings(a, 1.0, out), a);
                    } catch (Args.UsageException bad) {
                        // The example's own usage, not the launcher's page: that is the line that helps.
                        err.println("jasyncio: " + bad.getMessage());
                        err.println("usage: " + e.command());
                        return 2;
                    }
                }
                case "ps", "pstree" -> {
                    return Inspect.run(command, rest, out, err);
                }
                case "bench" -> throw new Args.UsageException(
                        "bench starts several JVMs and a C load generator: run it through the launcher, ./jasyncio bench");
                default -> throw new Args.UsageException("unknown command '" + command + "'");
            }
            return 0;
        } catch (Args.UsageException e) {
            err.println("jasyncio: " + e.getMessage());
            err.println();
            err.print(usage());
            return 2;
        } catch (ExampleFailure e) {
            err.println("jasyncio: " + who + ": " + e.getMessage());
            trace(e, err);
            return 1;
        } catch (RuntimeException e) {
            // Not a failure an example foresaw: a bug, most likely. Still one line, but the trace is a variable away.
            err.println("jasyncio: " + who + " failed: " + e + (tracing() ? "" : " (set " + TRACE + "=1 for the stack trace)"));
            trace(e, err);
            return 1;
        }
    }

    /** The environment variable that adds the stack trace to a failure's one line. */
    static final String TRACE = "JASYNCIO_TRACE";

    private static boolean tracing() {
        String v = System.getenv(TRACE);
        return v != null && !v.isEmpty() && !v.equals("0");
    }

    private static void trace(Throwable e, PrintStream err) {
        if (tracing()) {
            e.printStackTrace(err);
        }
    }

    private static void list(PrintStream out) {
        for (Examples.Entry e : Examples.every()) {
            out.printf("%-16s %s%n", e.name(), e.summary());
            out.printf("%-16s   %s; code: %s.java%n", "", e.origin(), e.code().getSimpleName());
            out.printf("%-16s   %s%n", "", e.command());
        }
    }

    private static void tour(List<String> rest, PrintStream out) {
        Args a = Args.parse(rest, Set.of("scale", "seed"), Set.of());
        Tour.run(settings(a, Tour.DEFAULT_SCALE, out));
    }

    private static Examples.Entry example(List<String> rest) {
        if (rest.isEmpty()) {
            throw new Args.UsageException("'example' needs the name of an example; try ./jasyncio list");
        }
        String name = rest.get(0);
        return Examples.find(name)
                .orElseThrow(() -> new Args.UsageException("no example called '" + name + "'; try ./jasyncio list"));
    }

    private static Settings settings(Args a, double defaultScale, PrintStream out) {
        double scale = a.number("scale", defaultScale);
        if (!(scale >= MIN_SCALE && scale <= MAX_SCALE)) {
            throw new Args.UsageException("--scale must be from " + MIN_SCALE + " to " + (int) MAX_SCALE + ", not "
                    + a.text("scale", "?"));
        }
        // Flushed line by line: a server's "listening on" line must reach a pipe before it blocks.
        return new Settings(scale, a.integer("seed", Settings.DEFAULT_SEED), line -> {
            out.println(line);
            out.flush();
        }, io.jasyncio.EventLoop::builder);
    }
}
