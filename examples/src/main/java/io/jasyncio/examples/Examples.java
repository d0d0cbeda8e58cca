package io.jasyncio.examples;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The examples the launcher knows: the seed tour's, in tour order, then the others. {@code
 * ./jasyncio list}, the usage text and {@code ./jasyncio example NAME} all read this one list.
 */
final class Examples {

    private Examples() {
    }

    /**
     * One runnable example.
     *
     * @param name     its CLI name
     * @param code     the class that holds it
     * @param summary  one line for {@code list}
     * @param origin   where it comes from: the seed article it reproduces, or the page it serves
     * @param options  its own options taking a value, each with the placeholder its usage shows
     * @param flags    its own options without a value
     * @param timed    whether it takes {@code --scale X} and {@code --seed N} (the seed articles'
     *                 programs, whose delays and random draws those change)
     * @param cli      runs it from the command line, printing
     * @param tour     runs it in the tour, printing, and returns a one-line summary of its timings
     *                 (null for an example that is not in the tour)
     */
    record Entry(String name, Class<?> code, String summary, String origin, Map<String, String> options, Set<String> flags,
                 boolean timed, BiConsumer<Settings, Args> cli, Function<Settings, String> tour) {

        /** Its options, as {@code list} and a usage error show them. */
        String usage() {
            StringBuilder b = new StringBuilder(timed ? "[--scale X] [--seed N]" : "");
            options.forEach((o, placeholder) -> {
                if (!(timed && o.equals("seed"))) {
                    b.append(b.isEmpty() ? "" : " ").append("[--").append(o).append(' ').append(placeholder).append(']');
                }
            });
            flags.stream().sorted().forEach(f -> b.append(b.isEmpty() ? "" : " ").append("[--").append(f).append(']'));
            return b.toString();
        }

        /** The command that runs it. */
        String command() {
            String u = usage();
            return "./jasyncio example " + name + (u.isEmpty() ? "" : " " + u);
        }

        Args parse(List<String> args) {
            Set<String> valued = new HashSet<>(options.keySet());
            if (timed) {
                valued.add("scale");
                valued.add("seed");
            }
            return Args.parse(args, valued, flags);
        }
    }

    /** Options that take a number, shown as {@code N}, in alphabetical order. */
    private static Map<String, String> numbers(Set<String> names) {
        Map<String, String> m = new TreeMap<>();
        names.forEach(n -> m.put(n, "N"));
        return m;
    }

    /** Options in the order given: name, placeholder, name, placeholder, ... */
    private static Map<String, String> options(String... namesAndPlaceholders) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndPlaceholders.length; i += 2) {
            m.put(namesAndPlaceholders[i], namesAndPlaceholders[i + 1]);
        }
        return m;
    }

    /** The seed articles' programs: the tour runs these, in this order. */
    static final List<Entry> ALL = List.of(
            new Entry("round-robin", RoundRobin.class,
                    "generator-style tasks interleaved part by part by the ready queue",
                    "article 000 Async Python Part 2 (MyConcurrentRunner)", Map.of(), Set.of(), true,
                    RoundRobin::cli, Tour::roundRobin),
            new Entry("countdown", Countdown.class,
                    "counts down from 10 in 1 s steps and up 0, 1, 2 in 3 s steps, at once: 10 s, not the sum",
                    "article 002 Understanding Asyncio in Python (count_down / count_up)", numbers(Countdown.OPTIONS),
                    Set.of(), true, Countdown::cli, Tour::countdown),
            new Entry("say-after", SayAfter.class,
                    "hello after 1 s, world after 2 s: ~3 s awaited in turn, ~2 s as tasks",
                    "article 003 asyncio (say_after with myasyncio)", Map.of(), Set.of(), true,
                    SayAfter::cli, Tour::sayAfter),
            new Entry("routines", Routines.class,
                    "three 1-5 s routines: sum in sequence, max gathered; also with toThread",
                    "article 001 Introducing asyncio (routine R3, R2, R1)", numbers(Routines.OPTIONS), Set.of(), true,
                    Routines::cli, Tour::routines),
            new Entry("counters", Counters.class,
                    "four tasks counting to 100, yielding after each step, take turns",
                    "article 004 Async Python (working example)", numbers(Counters.OPTIONS), Counters.FLAGS, true,
                    Counters::cli, Tour::counters),
            new Entry("fetcher-monitor", FetcherMonitor.class,
                    "batches of 10 with no suspension inside: the monitor sees multiples of 10",
                    "article 004 Async Python (fetcher and monitor)", numbers(FetcherMonitor.OPTIONS), FetcherMonitor.FLAGS,
                    true, FetcherMonitor::cli, Tour::fetcherMonitor));

    /** Examples beyond the seed tour: runnable by name and listed, not part of the tour. */
    static final List<Entry> MORE = List.of(
            new Entry("shared-socket", SharedSocketExample.class,
                    "coroutines sharing one UDP socket need a Lock; without it, replies go astray",
                    "article 003 asyncio (two coroutines sharing one socket)", numbers(Set.of("clients", "requests")),
                    Set.of(), false, SharedSocketExample::cli, null),
            new Entry("udp-requests", UdpRequestsExample.class,
                    "two requests to a UDP server taking 1 s each: ~2 s awaited in turn, ~1 s as two tasks",
                    "article 003 asyncio (execute_api_call against a UDP server)", options("connect", "HOST:PORT"),
                    Set.of(), false, UdpRequestsExample::cli, null),
            new Entry("echo-server", EchoServerExample.class,
                    "a TCP echo server, a task per connection on one event loop (or N: --loops), until Ctrl-C",
                    "streams (docs/networking.md); the server of docs/benchmarks-net.md",
                    options("host", "H", "port", "P", "loops", "N", "spread", "reuse-port|round-robin|least-loaded"), Set.of("tls"), false, EchoServerExample::cli, null),
            new Entry("echo-client", EchoClientExample.class,
                    "N connections echoing B-byte messages for S s, every byte checked: msgs/s and latency",
                    "streams (docs/networking.md); the Java client of docs/benchmarks.md",
                    options("host", "H", "port", "P", "conns", "N", "size", "B", "duration", "S"), Set.of("tls", "insecure"),
                    false, EchoClientExample::cli, null),
            new Entry("processes", ProcessesExample.class,
                    "three child processes printing a line a second: ~6 s awaited in turn, ~3 s as tasks, lines as they come",
                    "article 001 Introducing asyncio (processes beside coroutines); docs/processes.md", Map.of(), Set.of(), true,
                    ProcessesExample::cli, null),
            new Entry("stalls", Stalls.class,
                    "a service that stalls in one of three ways, to look at with ./jasyncio ps PID and the watchdog",
                    "docs/observability.md (the worked example)", options("mode", "deadlock|no-reply|sleep", "seconds", "S"),
                    Set.of(), false, Stalls::cli, null),
            new Entry("many-tasks", ManyTasks.class,
                    "N parked tasks and a 1 ms ticker: how long ./jasyncio ps takes, and what it costs the loop",
                    "docs/observability.md (a dump at scale)", options("tasks", "N", "seconds", "S"), Set.of(), false,
                    ManyTasks::cli, null),
            new Entry("nio-echo-server", PlainNioEchoServer.class,
                    "the benchmarks' baseline: a plain single-thread java.nio echo server, no jasyncio",
                    "docs/benchmarks-net.md", options("host", "H", "port", "P"), Set.of(), false,
                    PlainNioEchoServer::cli, null));

    /** Every example, the tour's first. */
    static List<Entry> every() {
        return Stream.concat(ALL.stream(), MORE.stream()).toList();
    }

    static Optional<Entry> find(String name) {
        return every().stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
