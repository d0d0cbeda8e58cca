package io.jasyncio.examples;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The examples the launcher knows, in tour order. */
final class Examples {

    private Examples() {
    }

    /**
     * One runnable example.
     *
     * @param name     its CLI name
     * @param summary  one line for {@code list}
     * @param article  which seed article it reproduces
     * @param options  its own options taking a value ({@code --scale} and {@code --seed} are common)
     * @param flags    its own options without a value
     * @param cli      runs it from the command line, printing
     * @param tour     runs it in the tour, printing, and returns a one-line summary of its timings
     */
    record Entry(String name, String summary, String article, Set<String> options, Set<String> flags,
                 BiConsumer<Settings, Args> cli, Function<Settings, String> tour) {

        String usage() {
            StringBuilder b = new StringBuilder("[--scale X] [--seed N]");
            options.stream().filter(o -> !o.equals("seed")).sorted().forEach(o -> b.append(" [--").append(o).append(" N]"));
            flags.stream().sorted().forEach(f -> b.append(" [--").append(f).append(']'));
            return b.toString();
        }

        Args parse(List<String> args) {
            Set<String> valued = new HashSet<>(options);
            valued.add("scale");
            valued.add("seed");
            return Args.parse(args, valued, flags);
        }
    }

    static final List<Entry> ALL = List.of(
            new Entry("round-robin", "generator-style tasks interleaved part by part by the ready queue",
                    "000 Async Python Part 2 (MyConcurrentRunner)", Set.of(), Set.of(),
                    RoundRobin::cli, Tour::roundRobin),
            new Entry("countdown", "a 1 s countdown and a 3 s count-up on non-blocking sleep: max, not sum",
                    "002 Understanding Asyncio in Python (count_down / count_up)", Countdown.OPTIONS, Set.of(),
                    Countdown::cli, Tour::countdown),
            new Entry("say-after", "hello after 1 s, world after 2 s: ~3 s awaited in turn, ~2 s as tasks",
                    "003 asyncio (say_after with myasyncio)", Set.of(), Set.of(),
                    SayAfter::cli, Tour::sayAfter),
            new Entry("routines", "three 1-5 s routines: sum in sequence, max gathered; also with toThread",
                    "001 Introducing asyncio (routine R3, R2, R1)", Routines.OPTIONS, Set.of(),
                    Routines::cli, Tour::routines),
            new Entry("counters", "four tasks counting to 100, yielding after each step, take turns",
                    "004 Async Python (working example)", Counters.OPTIONS, Counters.FLAGS,
                    Counters::cli, Tour::counters),
            new Entry("fetcher-monitor", "batches of 10 with no suspension inside: the monitor sees multiples of 10",
                    "004 Async Python (fetcher and monitor)", FetcherMonitor.OPTIONS, FetcherMonitor.FLAGS,
                    FetcherMonitor::cli, Tour::fetcherMonitor));

    /** Examples beyond the seed tour: runnable by name and listed, not part of the tour. */
    static final List<Entry> MORE = List.of(
            new Entry("shared-socket", "coroutines sharing one UDP socket need a Lock; without it, replies go astray",
                    "003 asyncio (two coroutines sharing one socket)", Set.of("clients", "requests"), Set.of(),
                    SharedSocketExample::cli, null));

    static Optional<Entry> find(String name) {
        return java.util.stream.Stream.concat(ALL.stream(), MORE.stream()).filter(e -> e.name().equals(name)).findFirst();
    }
}
