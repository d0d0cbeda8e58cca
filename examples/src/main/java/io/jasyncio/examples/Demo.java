package io.jasyncio.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./jasyncio demo}: the same client drives three echo servers in turn, each with 10,000
 * concurrent connections exchanging 1 KiB messages: jasyncio on one event loop thread, then a
 * thread per connection on platform threads, then on virtual threads. Then one table, the seed
 * tour's timings, and whether any byte was lost (exit status 1 if one was).
 *
 * <p>Processes: this JVM only orchestrates. The client ({@link DemoClient}) is one child JVM for
 * the whole run, and each server ({@link DemoServer}) a child JVM of its own for its phase, so that
 * each row's heap, RSS and threads belong to that server alone, and each end of a loopback
 * connection costs a descriptor in its own process (the per-process limit here is 20,000).
 */
final class Demo {

    private Demo() {
    }

    /** One server's row. */
    record Row(DemoOptions.Server server, int conns, int opened, double msgsPerSecond, long p50us, long p99us,
               double serverCores, double serverCpuUsPerMessage, String threads, String osThreads, String heap, String rss,
               long errors,
               long sent, long intact, long wrong, boolean completed) {

        long lost() {
            return sent - intact;
        }
    }

    /**
     * Runs the demo; returns the exit status: 0, or 1 if a byte was lost, a server's run did not
     * finish, or the demo could not start.
     */
    static int run(List<String> args, PrintStream out, boolean terminal) {
        DemoOptions o = DemoOptions.parse(args);
        long t0 = System.nanoTime();
        Duration phaseBound = Duration.ofSeconds(DemoClient.CONNECT_STAGE_S + DemoClient.GRACE_S + 30)
                .plusNanos((long) ((o.warmup() + o.duration()) * 1e9));
        Duration clientLifetime = phaseBound.plusSeconds(DemoClient.HOLD_S).multipliedBy(o.servers().size()).plusSeconds(60);
        Duration serverLifetime = phaseBound.plusSeconds(DemoClient.HOLD_S + 60);

        List<Row> rows = new ArrayList<>();
        try (DemoChild client = DemoChild.start("client", DemoClient.class, String.valueOf(clientLifetime.toSeconds()))) {
            Map<String, String> hello;
            try {
                hello = DemoWire.fields(client.await("HELLO", Duration.ofSeconds(60), l -> { }));
            } catch (DemoChild.Failure e) {
                out.println("The client JVM did not start: " + e.getMessage());
                return 1;
            }
            long fdLimit = DemoOptions.descriptorLimit();
            long clientFds = Long.parseLong(hello.getOrDefault("fds", "-1"));
            long limit = Math.min(fdLimit < 0 ? Long.MAX_VALUE : fdLimit, clientFds < 0 ? Long.MAX_VALUE : clientFds);
            DemoOptions.Plan plan;
            try {
                plan = DemoOptions.plan(o.conns(), limit, DemoOptions.ephemeralPorts());
            } catch (IllegalStateException e) {
                out.println("Cannot run the demo: " + e.getMessage() + ".");
                return 1;
            }
            out.printf(Locale.ROOT, "jasyncio demo: %,d concurrent connections echoing %,d-byte messages, %s s per server%s.%n",
                    plan.granted(), o.size(), num(o.duration()),
                    o.warmup() > 0 ? " after " + num(o.warmup()) + " s of warm-up" : "");
            plan.notes().forEach(out::println);
            out.println("Processes: the client is a child JVM running one jasyncio event loop thread, for the whole demo; each");
            out.println("server runs in a child JVM of its own, started for its run and stopped after it, so that its heap, RSS");
            out.printf(Locale.ROOT, "and threads are its own. (Each end of a loopback connection costs a descriptor in its process: in"
                    + " one%nprocess, %,d connections would need %,d descriptors%s.)%n", plan.granted(), 2L * plan.granted(),
                    limit == Long.MAX_VALUE ? "" : String.format(Locale.ROOT, ", and the limit is %,d per process", limit));
            out.printf(Locale.ROOT, "Machine: %d cores, %s %s, Java %s; loopback only. Client engine: %s.%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                    Runtime.version(), hello.getOrDefault("engine", "?"));
            int n = 0;
            for (DemoOptions.Server s : o.servers()) {
                out.println();
                out.printf(Locale.ROOT, "[%d/%d] %s: %s%n", ++n, o.servers().size(), s.label, s.description);
                rows.add(phase(s, client, plan.granted(), o, phaseBound, serverLifetime, out, terminal));
                if (!client.isAlive()) {
                    out.println("The client JVM has gone; the remaining servers are skipped.");
                    break;
                }
            }
            client.send("EXIT");
        } catch (IOException e) {
            out.println("Could not start a child JVM: " + e.getMessage());
            return 1;
        }

        out.println();
        table(rows, o, out);
        out.println();
        tourTimings(o.tourScale(), out);
        out.println();
        long sent = rows.stream().mapToLong(Row::sent).sum();
        long lost = rows.stream().mapToLong(Row::lost).sum();
        long wrong = rows.stream().mapToLong(Row::wrong).sum();
        long conns = rows.stream().mapToLong(Row::opened).sum();
        List<String> unfinished = new ArrayList<>();
        for (DemoOptions.Server s : o.servers()) {
            if (rows.stream().noneMatch(r -> r.server() == s && r.completed())) {
                unfinished.add(s.label);
            }
        }
        out.printf(Locale.ROOT, "Demo done in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        if (lost > 0) {
            out.printf(Locale.ROOT, "BYTES LOST: %,d of the %,d bytes sent did not come back intact (%,d came back wrong; %,d were"
                    + " in flight on connections that failed: see the errors above).%n", lost, sent, wrong, lost - wrong);
            return 1;
        }
        if (!unfinished.isEmpty()) {
            out.printf(Locale.ROOT, "No byte lost in the runs that finished (%,d bytes sent, every one echoed back and checked),"
                    + " but these did not finish: %s.%n", sent, String.join(", ", unfinished));
            return 1;
        }
        out.printf(Locale.ROOT, "Not a byte lost: %,d bytes sent over %,d connections, every one echoed back and checked.%n",
                sent, conns);
        return 0;
    }

    private static Row phase(DemoOptions.Server s, DemoChild client, int conns, DemoOptions o, Duration phaseBound,
                             Duration serverLifetime, PrintStream out, boolean terminal) {
        Progress progress = new Progress(out, terminal, s.option, conns, o.warmup(), o.duration());
        DemoChild server;
        try {
            server = DemoChild.start(s.option + " server", DemoServer.class, s.option, String.valueOf(serverLifetime.toSeconds()),
                    String.valueOf(o.loops()));
        } catch (IOException e) {
            return failed(s, conns, "could not start the server JVM: " + e.getMessage(), out);
        }
        try (server) {
            Map<String, String> ready = DemoWire.fields(server.await("READY", Duration.ofSeconds(60), l -> { }));
            long serverPid = Long.parseLong(ready.get("pid"));
            client.send(DemoWire.line("RUN", "port", ready.get("port"), "conns", conns, "size", o.size(),
                    "warmup_ms", Math.round(o.warmup() * 1000), "duration_ms", Math.round(o.duration() * 1000)));
            long[] cpu = new long[6]; // server and client CPU ns and wall ns, at the start and the end of the measured time
            client.await("HOLD", phaseBound, l -> {
                switch (DemoWire.word(l)) {
                    case "PROGRESS" -> progress.update(DemoWire.fields(l));
                    case "MARK" -> {
                        int at = DemoWire.fields(l).get("at").equals("measure") ? 0 : 3;
                        cpu[at] = cpuNanos(serverPid);
                        cpu[at + 1] = cpuNanos(client.pid());
                        cpu[at + 2] = System.nanoTime();
                    }
                    default -> { }
                }
            });
            progress.done();
            // Every connection is open and idle: the server's figures now are what 'conns' connections cost it.
            Map<String, String> stats;
            String rss = "?", osThreads = "?";
            try {
                server.send("STATS");
                stats = DemoWire.fields(server.await("STATS", Duration.ofSeconds(60), l -> { }));
                Map<String, String> status = procStatus(serverPid);
                rss = mib(status.get("VmRSS"));
                osThreads = status.getOrDefault("Threads", "?");
            } catch (DemoChild.Failure e) {
                stats = Map.of();
                out.println("  the server did not report its figures: " + e.getMessage());
            }
            client.send("CLOSE");
            List<String> errors = new ArrayList<>();
            Map<String, String> r = DemoWire.fields(client.await("RESULT", Duration.ofSeconds(DemoClient.GRACE_S + 60), l -> {
                if (DemoWire.word(l).equals("ERROR")) {
                    errors.add(l.substring(6));
                }
            }));
            server.send("STOP");
            return row(s, conns, r, stats, rss, osThreads, errors, cpu, out);
        } catch (DemoChild.Failure e) {
            progress.done();
            if (e.child == client) {
                client.close(Duration.ofSeconds(2)); // mid-phase, it cannot serve another one
            }
            return failed(s, conns, e.getMessage(), out);
        }
    }

    private static Row row(DemoOptions.Server s, int conns, Map<String, String> r, Map<String, String> stats, String rss,
                           String osThreads, List<String> errors, long[] cpu, PrintStream out) {
        long measured = Long.parseLong(r.get("measured"));
        double window = Long.parseLong(r.get("window_ns")) / 1e9;
        // Errors are connections that failed, as the client saw them; the server's own count is noted below.
        long clientErrors = Long.parseLong(r.get("errors")) + Long.parseLong(r.get("connect_failed"));
        long serverErrors = Long.parseLong(stats.getOrDefault("errors", "0"));
        List<String> samples = new ArrayList<>(errors);
        String serverError = stats.getOrDefault("error", "-");
        if (!serverError.equals("-")) {
            samples.add(String.format(Locale.ROOT, "server (%,d errors), the first: %s", serverErrors, serverError.replace('_', ' ')));
        }
        String threads = stats.containsKey("threads")
                ? String.format(Locale.ROOT, "%,d", Long.parseLong(stats.get("threads"))) + (s == DemoOptions.Server.VIRTUAL ? " virtual" : "")
                : "?";
        String heap = stats.containsKey("heap") ? mib(Long.parseLong(stats.get("heap"))) : "?";
        boolean cpuKnown = cpu[2] != 0 && cpu[5] != 0 && cpu[0] >= 0 && cpu[3] >= 0 && cpu[1] >= 0 && cpu[4] >= 0;
        double wall = cpuKnown ? cpu[5] - cpu[2] : 0;
        double serverCpuPerMessage = cpuKnown && measured > 0 ? (cpu[3] - cpu[0]) / 1000.0 / measured : -1;
        Row row = new Row(s, conns, Integer.parseInt(r.get("opened")), measured / window, Long.parseLong(r.get("p50_us")),
                Long.parseLong(r.get("p99_us")), cpuKnown && wall > 0 ? (cpu[3] - cpu[0]) / wall : -1, serverCpuPerMessage,
                threads, osThreads, heap, rss,
                clientErrors, Long.parseLong(r.get("sent")), Long.parseLong(r.get("intact")),
                Long.parseLong(r.get("wrong")), true);
        out.printf(Locale.ROOT, "  %,d messages in the %s s measured, %,d in all; %,d bytes sent, %,d came back intact; %,d connections failed.%n",
                measured, num(window), Long.parseLong(r.get("messages")), row.sent(), row.intact(), row.errors());
        out.printf(Locale.ROOT, "  Measured messages per connection: %,d to %,d; round trip p50 %s, p99 %s, max %s.%n",
                Long.parseLong(r.get("fewest")), Long.parseLong(r.get("most")), latency(row.p50us()), latency(row.p99us()),
                latency(Long.parseLong(r.get("max_us"))));
        if (cpuKnown && wall > 0) {
            out.printf(Locale.ROOT, "  While measured, the server used %.2f cores and the client %.2f (of %d).%n",
                    (cpu[3] - cpu[0]) / wall, (cpu[4] - cpu[1]) / wall, Runtime.getRuntime().availableProcessors());
        }
        if (stats.containsKey("heap")) {
            out.printf(Locale.ROOT, "  With every connection open, the server held %s of live heap and %s of direct buffers.%n",
                    heap, mib(Long.parseLong(stats.get("direct"))));
        }
        for (String e : samples) {
            out.println("  error: " + e);
        }
        return row;
    }

    private static Row failed(DemoOptions.Server s, int conns, String why, PrintStream out) {
        out.println("  this server's run failed: " + why);
        return new Row(s, conns, 0, 0, -1, -1, -1, -1, "?", "?", "?", "?", conns, 0, 0, 0, false);
    }

    // ------------------------------------------------------------------ output

    private static void table(List<Row> rows, DemoOptions o, PrintStream out) {
        String[] head = {"server", "conns", "msgs/s", "p50", "p99", "server CPU", "CPU/msg", "threads (OS)", "heap used", "RSS",
            "errors"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {
                r.server().label,
                String.format(Locale.ROOT, "%,d", r.opened()),
                String.format(Locale.ROOT, "%,.0f", r.msgsPerSecond()),
                latency(r.p50us()),
                latency(r.p99us()),
                r.serverCores() < 0 ? "?" : String.format(Locale.ROOT, "%.2f cores", r.serverCores()),
                r.serverCpuUsPerMessage() < 0 ? "?" : String.format(Locale.ROOT, "%.1f µs", r.serverCpuUsPerMessage()),
                r.threads() + " (" + (r.osThreads().equals("?") ? "?" : String.format(Locale.ROOT, "%,d", Long.parseLong(r.osThreads()))) + ")",
                r.heap(),
                r.rss(),
                String.format(Locale.ROOT, "%,d", r.errors())});
        }
        int[] width = new int[head.length];
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        out.printf(Locale.ROOT, "Results: %,d-byte messages, one in flight per connection, %s s measured per server.%n",
                o.size(), num(o.duration()));
        for (int k = 0; k < cells.size(); k++) {
            StringBuilder b = new StringBuilder();
            String[] c = cells.get(k);
            for (int i = 0; i < c.length; i++) {
                if (i == 0) {
                    b.append(String.format("%-" + width[i] + "s", c[i]));
                } else {
                    b.append("  ").append(String.format("%" + width[i] + "s", c[i]));
                }
            }
            out.println(b.toString().stripTrailing());
            if (k == 0) {
                out.println("-".repeat(b.length()));
            }
        }
        out.println("msgs/s: echoes received and checked per second by the client; p50/p99: its round-trip time per message");
        out.println("(HdrHistogram). Server CPU: the server JVM's CPU time (all its threads, /proc/PID/stat) while measured, in");
        out.println("cores, and per message. Threads: those serving connections (jasyncio: its loop threads, one per --loops; the others: one");
        out.println("per connection plus the acceptor), then all the JVM's OS threads. Heap used (after a full GC) and RSS (VmRSS");
        out.println("in /proc/PID/status) are the server JVM's with every connection open. Client and server share the cores,");
        out.println("and other processes may too: msgs/s follows the CPU a run got; CPU/msg and memory are the steadier figures.");
        out.println("Errors: connections that failed to open or broke, as the client saw them.");
    }

    private static String latency(long us) {
        if (us < 0) {
            return "?";
        }
        if (us < 1000) {
            return us + " µs";
        }
        if (us < 100_000) {
            return String.format(Locale.ROOT, "%.1f ms", us / 1000.0);
        }
        return String.format(Locale.ROOT, "%,d ms", Math.round(us / 1000.0));
    }

    private static void tourTimings(double scale, PrintStream out) {
        Settings s = new Settings(scale, Settings.DEFAULT_SEED, line -> { }, io.jasyncio.EventLoop::builder);
        SayAfter.Result say = SayAfter.run(s);
        UdpRequestsExample.Timings udp = UdpRequestsExample.run(null, 0, s.seconds(1), line -> { });
        out.printf(Locale.ROOT, "The seed tour's timings, delays ×%s (so one second of the articles lasts %s s here; unscaled in brackets):%n",
                num(scale), num(scale));
        out.printf(Locale.ROOT, "  say-after     awaited in turn %s → as two tasks %s   (./jasyncio example say-after)%n",
                s.time(say.sequentialNanos()), s.time(say.concurrentNanos()));
        out.printf(Locale.ROOT, "  udp-requests  awaited in turn %s → as two tasks %s   (./jasyncio example udp-requests)%n",
                s.time(udp.sequentialNanos()), s.time(udp.concurrentNanos()));
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", Math.round(bytes / 1048576.0));
    }

    /** {@code 123456 kB} to MiB. */
    private static String mib(String procValue) {
        if (procValue == null) {
            return "?";
        }
        String[] p = procValue.trim().split("\\s+");
        try {
            return mib(Long.parseLong(p[0]) * 1024);
        } catch (NumberFormatException e) {
            return "?";
        }
    }

    /** A process's CPU time (user + system, all threads) from /proc/PID/stat, or -1 if unreadable. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "stat")).get(0);
            // fields after "pid (comm) ": state is field 3, utime 14, stime 15; comm may contain spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** USER_HZ: the unit of /proc/PID/stat's times, 100 on every Linux ABI the JDK runs on. */
    private static final long CLOCK_TICKS = 100;

    /** The fields of /proc/PID/status ({@code VmRSS}, {@code Threads}, ...), empty if unreadable. */
    static Map<String, String> procStatus(long pid) {
        Map<String, String> m = new java.util.HashMap<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                    m.put(l.substring(0, colon), l.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            // not Linux, or the process is gone
        }
        return m;
    }

    /** The live progress line of one phase: rewritten in place on a terminal, a line every two seconds otherwise. */
    static final class Progress {
        private final PrintStream out;
        private final boolean terminal;
        private final String name;
        private final int conns;
        private final double warmup, duration;
        private long lastPrinted;
        private boolean printedAny;
        private String last = "";
        private int lastLength;

        Progress(PrintStream out, boolean terminal, String name, int conns, double warmup, double duration) {
            this.out = out;
            this.terminal = terminal;
            this.name = name;
            this.conns = conns;
            this.warmup = warmup;
            this.duration = duration;
        }

        void update(Map<String, String> f) {
            String stage = f.get("stage");
            long opened = Long.parseLong(f.get("opened"));
            long messages = Long.parseLong(f.get("messages"));
            long failed = Long.parseLong(f.get("failed"));
            String text;
            if (stage.equals("connect")) {
                text = String.format(Locale.ROOT, "  %s: connecting, %,d of %,d connections open", name, opened, conns);
            } else {
                double t = Long.parseLong(f.get("exchange_ms")) / 1000.0;
                String when = t < warmup
                        ? String.format(Locale.ROOT, "warming up (%.1f of %s s)", t, num(warmup))
                        : String.format(Locale.ROOT, "measuring (%.1f of %s s)", Math.min(duration, t - warmup), num(duration));
                text = String.format(Locale.ROOT, "  %s: %,d connections open, %,d messages echoed, %s", name, opened, messages, when);
            }
            if (failed > 0) {
                text += String.format(Locale.ROOT, ", %,d errors", failed);
            }
            last = text;
            if (terminal) {
                out.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
                out.flush();
                lastLength = text.length();
            } else {
                long now = System.nanoTime();
                if (!printedAny || now - lastPrinted >= 2_000_000_000L) {
                    out.println(text);
                    printedAny = true;
                    lastPrinted = now;
                    last = "";
                }
            }
        }

        void done() {
            if (terminal) {
                if (lastLength > 0) {
                    out.println();
                    lastLength = 0;
                }
            } else if (!last.isEmpty()) {
                out.println(last);
                last = "";
            }
        }
    }

    /** Whether {@code System.out} is a terminal (JDK 22+: {@code Console.isTerminal}; before: a console exists). */
    static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
