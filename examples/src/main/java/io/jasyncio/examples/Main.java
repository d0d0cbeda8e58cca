package io.jasyncio.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * The launcher's entry point ({@code ./jasyncio}): {@code tour}, {@code example NAME [options]},
 * {@code list}, {@code demo}, {@code help}. Exit status: 0 on success, 1 if an example failed or
 * the demo lost a byte, 2 for a bad command line.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(List.of(args), System.out, System.err);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("usage: ./jasyncio <command> [options]\n\n");
        b.append("commands:\n");
        b.append("  tour [--scale X] [--seed N]   run all six examples in turn, delays scaled (default ×")
                .append(Tour.DEFAULT_SCALE).append(")\n");
        b.append("  example NAME [options]        run one example at the articles' speed (--scale X to change)\n");
        b.append("  list                          list the examples and their options\n");
        b.append("  demo [--conns N] [--size B] [--duration S] [--warmup S] [--servers LIST] [--tour-scale X]\n");
        b.append("                                one echo server on one jasyncio loop, then a thread per connection on\n");
        b.append("                                platform and on virtual threads, each with N concurrent connections\n");
        b.append("                                (default ").append(String.format(java.util.Locale.ROOT, "%,d", DemoOptions.DEFAULT_CONNS))
                .append(") of B-byte messages (").append(DemoOptions.DEFAULT_SIZE).append(") for S s (")
                .append((int) DemoOptions.DEFAULT_DURATION).append(") each; LIST from jasyncio,platform,virtual\n");
        b.append("  bench [--quick]               the whole benchmark suite in one run (JMH, memory, echo vs plain NIO\n");
        b.append("                                and Netty), one report at the end (launcher only; docs/benchmarks.md)\n");
        b.append("  help                          this text\n\n");
        b.append("examples: ");
        b.append(String.join(", ", Examples.ALL.stream().map(Examples.Entry::name).toList())).append('\n');
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
        try {
            switch (command) {
                case "help", "-h", "--help" -> out.print(usage());
                case "list" -> list(out);
                case "tour" -> tour(rest, out);
                case "demo" -> {
                    return Demo.run(rest, out, out == System.out && Demo.stdoutIsTerminal());
                }
                case "example" -> example(rest, out);
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
        } catch (RuntimeException e) {
            err.println("jasyncio: " + command + " failed:");
            e.printStackTrace(err);
            return 1;
        }
    }

    private static void list(PrintStream out) {
        for (Examples.Entry e : java.util.stream.Stream.concat(Examples.ALL.stream(), Examples.MORE.stream()).toList()) {
            out.printf("%-16s %s%n", e.name(), e.summary());
            out.printf("%-16s   article %s%n", "", e.article());
            out.printf("%-16s   ./jasyncio example %s %s%n", "", e.name(), e.usage());
        }
    }

    private static void tour(List<String> rest, PrintStream out) {
        Args a = Args.parse(rest, Set.of("scale", "seed"), Set.of());
        Tour.run(settings(a, Tour.DEFAULT_SCALE, out));
    }

    private static void example(List<String> rest, PrintStream out) {
        if (rest.isEmpty()) {
            throw new Args.UsageException("'example' needs the name of an example; try ./jasyncio list");
        }
        String name = rest.get(0);
        Examples.Entry e = Examples.find(name)
                .orElseThrow(() -> new Args.UsageException("no example called '" + name + "'; try ./jasyncio list"));
        Args a = e.parse(rest.subList(1, rest.size()));
        e.cli().accept(settings(a, 1.0, out), a);
    }

    private static Settings settings(Args a, double defaultScale, PrintStream out) {
        double scale = a.number("scale", defaultScale);
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new Args.UsageException("--scale must be a positive number, not " + scale);
        }
        return new Settings(scale, a.integer("seed", Settings.DEFAULT_SEED), out::println,
                io.jasyncio.EventLoop::builder);
    }
}
