package io.jasyncio.bench;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.TimerHandle;
import io.jasyncio.sync.AsyncQueue;
import io.jasyncio.lowlevel.Readiness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every kernel and primitive figure at 1, 1,000 and 1,000,000 items, side by side with the floor
 * (a raw JDK continuation under {@link Floor}, the smallest scheduler that runs the same program)
 * and with virtual threads on one carrier, in one run (issue 14). Each (figure, implementation)
 * runs in a child JVM of its own, with the same flags; each size runs warm-up repetitions and then
 * measured ones, and the driver prints the medians, the cost per item at each size, and the
 * growth from 1,000 to 1,000,000 against the floor's growth in the same run.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.jasyncio.bench.ScaleBench [--quick] [--figures a,b] [--out DIR]
 * </pre>
 * Figures: {@code yield} (ns per switch, N tasks yielding in turn), {@code pingpong} (ns per round
 * trip through two one-slot queues, N tasks = N/2 pairs; "1" is one pair), {@code spawnawait}
 * (ns per task: spawn N, await in spawn order), {@code sleepers} (ns to start a task that sleeps,
 * and heap bytes per sleeping task), {@code timers} (ns per schedule+cancel of a callback timer
 * with N timers pending), {@code oversleep} (µs by which {@code sleep(1 ms)} overshoots, mean and
 * p99, with N tasks sleeping; 1 and 1,000 only: at a million the loop cannot even visit every task
 * once per millisecond, so it measures throughput, not precision).
 *
 * <p>Run-based figures (yield, ping-pong) are timed in a window of one run, the same way for
 * every implementation: the clock starts when every task has completed one switch (one round trip)
 * and stops when every task has completed K + 1 of its K + 2, so the window holds N·K switches of
 * steady state, its collections included, and no spawn, first freeze or end (K: a million switches
 * in all below a million tasks, 4 per task at a million). Each run starts from a collected heap,
 * and their child JVMs have a fixed young generation (G1's minimum at this heap, -Xmn205m), so
 * how often the collector runs in the window follows from the bytes allocated and kept live, not
 * from G1's pause-time sizing of earlier repetitions. At a million, each window's collections,
 * their time and the bytes the loop thread allocated per item are printed. (Before, these figures
 * were differential, a run with K+1 switches per task less a run with 1, and at a million, K = 2,
 * a young pause landing in one of the two runs and not the other decided the figure: the floor's
 * yield came out below a hot switch's cost.)
 */
public final class ScaleBench {

    static final int[] SIZES = {1, 1_000, 1_000_000};
    static final String[] IMPLS = {"jasyncio", "floor", "vthread"};
    static final String[] FIGURES = {"yield", "pingpong", "spawnawait", "sleepers", "timers", "oversleep"};

    /** The figures timed in a window of one run (see {@link #tick()}), with a fixed young generation. */
    static final List<String> WINDOWED = List.of("yield", "pingpong");
    static final int YOUNG_MB = 205;

    static volatile int asleep;
    static int sink;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5],
                    args.length > 6 ? args[6] : args[2]);
            return;
        }
        boolean quick = false;
        List<String> figures = new ArrayList<>(List.of(FIGURES));
        List<String> impls = new ArrayList<>(List.of(IMPLS));
        Path out = null;
        String baseJar = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base-jar" -> baseJar = args[++i];
                case "--quick" -> quick = true;
                case "--figures" -> figures = List.of(args[++i].split(","));
                case "--impls" -> impls = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ScaleBench [--quick] [--figures " + String.join(",", FIGURES)
                            + "] [--impls jasyncio,floor,vthread,jasyncio-io] [--base-jar JAR] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        if (baseJar != null) {
            // The same jasyncio programs on another build (a benchmarks.jar of an earlier commit, with
            // this class in it), in the same run: "base" rows beside this build's "jasyncio" rows.
            impls = new ArrayList<>(impls);
            impls.add(impls.indexOf("jasyncio") + 1, "base");
            if (impls.contains("jasyncio-io")) {
                impls.add(impls.indexOf("jasyncio-io") + 1, "base-io");
            }
        }
        drive(quick, figures, impls, out, baseJar);
    }

    // ================================================================== driver

    /** figure → impl → size → measured values (for sleepers: "start" and "heap" under separate keys). */
    static final Map<String, Map<String, Map<Integer, List<Double>>>> RESULTS = new LinkedHashMap<>();

    static void drive(boolean quick, List<String> figures, List<String> impls, Path out, String baseJar) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        int warmup = quick ? 1 : 2;
        int reps = quick ? 3 : 5;
        List<String> raw = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String figure : figures) {
            for (String impl : impls) {
                if (impl.endsWith("-io") && !figure.equals("oversleep")) {
                    continue; // the registered-channel variant only changes how the loop waits
                }
                boolean base = impl.startsWith("base");
                String childImpl = base ? impl.replace("base", "jasyncio") : impl;
                List<String> cmd = new ArrayList<>(List.of(java, "-Xms4g", "-Xmx4g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch",
                        "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                        "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                        "-cp", base ? baseJar : cp, ScaleBench.class.getName(), "child", figure, childImpl,
                        Integer.toString(warmup), Integer.toString(reps), quick ? "quick" : "full", impl));
                if (WINDOWED.contains(figure)) {
                    // A fixed young generation for the windowed figures, every implementation alike:
                    // G1's own minimum at this heap (5% of 4 GiB), the size it picked in most
                    // repetitions anyway. Left to its pause-time goal, G1 sized eden from the pauses
                    // of earlier repetitions, and now and then grew it so far that a window at a
                    // million saw no collection at all: a figure that was one of two values.
                    cmd.add(cmd.indexOf("-XX:+UseG1GC"), "-Xmn" + YOUNG_MB + "m");
                }
                if (Boolean.getBoolean("scale.histogram")) {
                    cmd.add(cmd.indexOf("-cp"), "-Dscale.histogram=true");
                }
                System.err.printf("scale: %s / %s (%.0f s so far, load %s)%n", figure, impl,
                        (System.nanoTime() - t0) / 1e9, loadAverage());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("ROW ")) {
                            raw.add(line);
                            String[] f = line.split(" ");
                            RESULTS.computeIfAbsent(f[1], k -> new LinkedHashMap<>())
                                    .computeIfAbsent(f[2], k -> new TreeMap<>())
                                    .computeIfAbsent(Integer.parseInt(f[3]), k -> new ArrayList<>())
                                    .add(Double.parseDouble(f[5]));
                        } else if (!line.startsWith("WARNING")) {
                            System.err.println("  " + line);
                        }
                    }
                }
                if (p.waitFor() != 0) {
                    System.err.println("scale: child " + figure + "/" + impl + " failed with status " + p.exitValue());
                }
            }
        }
        String report = report(quick, (System.nanoTime() - t0) / 1e9);
        System.out.print(report);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("scale.md"), report);
            Files.write(out.resolve("scale-raw.txt"), raw);
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static final Map<String, String> UNITS = Map.of(
            "yield", "ns per switch", "pingpong", "ns per round trip", "spawnawait", "ns per task",
            "sleepers.start", "ns per sleeper started", "sleepers.heap", "heap bytes per sleeping task",
            "timers", "ns per schedule+cancel", "oversleep.mean", "µs mean oversleep of sleep(1 ms)",
            "oversleep.p99", "µs p99 oversleep of sleep(1 ms)");

    static String report(boolean quick, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n## ScaleBench%s: medians, %.0f s, load average %s at the end%n%n",
                quick ? " --quick (smoke run: not for quoting)" : "", seconds, loadAverage()));
        b.append("| figure | implementation | N = 1 | N = 1,000 | N = 1,000,000 | growth 1M / 1k | vs floor at 1k | vs floor at 1M | growth vs floor's |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var fig : RESULTS.entrySet()) {
            Map<String, Map<Integer, List<Double>>> byImpl = fig.getValue();
            Map<Integer, List<Double>> floor = byImpl.get("floor");
            for (var impl : byImpl.entrySet()) {
                Map<Integer, List<Double>> m = impl.getValue();
                double c1 = med(m, 1), ck = med(m, 1_000), cm = med(m, 1_000_000);
                double growth = cm / ck;
                b.append("| ").append(fig.getKey()).append(" (").append(UNITS.getOrDefault(fig.getKey(), "")).append(") | ")
                        .append(impl.getKey()).append(" | ").append(fmt(c1)).append(" | ").append(fmt(ck)).append(" | ")
                        .append(fmt(cm)).append(" | ").append(ratio(growth)).append(" | ");
                if (floor != null && !impl.getKey().equals("floor")) {
                    double fk = med(floor, 1_000), fm = med(floor, 1_000_000);
                    b.append(ratio(ck / fk)).append(" | ").append(ratio(cm / fm)).append(" | ")
                            .append(ratio(growth / (fm / fk))).append(" |\n");
                } else {
                    b.append("— | — | — |\n");
                }
            }
        }
        b.append("\nGrowth = cost per item at 1,000,000 / cost per item at 1,000; \"growth vs floor's\" is that growth\n"
                + "divided by the floor's (issue 14: at most 1.25). A dash: not measured at that size.\n");
        return b.toString();
    }

    static double med(Map<Integer, List<Double>> m, int size) {
        List<Double> v = m.get(size);
        return v == null ? Double.NaN : median(v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.1f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "—" : String.format(Locale.ROOT, "%.2f×", v);
    }

    // ================================================================== child

    static PrintStream out = System.out;

    static void row(String figure, String impl, int size, int rep, double value) {
        out.printf(Locale.ROOT, "ROW %s %s %d %d %.3f%n", figure, impl, size, rep, value);
        out.flush();
    }

    /** The row label of this child JVM ("base" for a base build's jasyncio), for its printed lines. */
    static String childLabel = "";

    static void child(String figure, String impl, int warmup, int reps, String mode, String label) throws Exception {
        childLabel = label;
        int[] sizes = figure.equals("oversleep") ? new int[] {1, 1_000} : SIZES;
        for (int size : sizes) {
            long sizeStart = System.nanoTime();
            // A million items take seconds per repetition, and the JIT is warm from the smaller sizes.
            int w = size >= 1_000_000 ? Math.min(warmup, 1) : warmup;
            int n = size >= 1_000_000 ? Math.min(reps, 3) : reps;
            for (int rep = -w; rep < n; rep++) {
                double[] v = switch (figure) {
                    case "yield" -> new double[] {yieldCost(impl, size)};
                    case "pingpong" -> new double[] {pingPongCost(impl, size)};
                    case "spawnawait" -> new double[] {spawnAwaitCost(impl, size)};
                    case "sleepers" -> sleepers(impl, size);
                    case "timers" -> new double[] {timerCost(impl, size)};
                    case "oversleep" -> oversleep(impl, size, mode.equals("quick"));
                    default -> throw new IllegalArgumentException("no figure " + figure);
                };
                if (rep < 0) {
                    continue;
                }
                if (figure.equals("sleepers")) {
                    row("sleepers.start", label, size, rep, v[0]);
                    if (size >= 1_000) {
                        row("sleepers.heap", label, size, rep, v[1]);
                    }
                } else if (figure.equals("oversleep")) {
                    row("oversleep.mean", label, size, rep, v[0]);
                    row("oversleep.p99", label, size, rep, v[1]);
                } else {
                    row(figure, label, size, rep, v[0]);
                }
            }
            out.printf(Locale.ROOT, "%s / %s, N = %,d: %.1f s%n", figure, label, size, (System.nanoTime() - sizeStart) / 1e9);
        }
        Runtime.getRuntime().halt(0);
    }

    /** Runs {@code body} in a virtual thread (on the one carrier) and returns its value. */
    static <T> T inVirtual(Callable<T> body) throws Exception {
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result[0] = body.call();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T r = (T) result[0];
        return r;
    }

    static <T> T onLoop(Callable<T> body) {
        EventLoop loop = new EventLoop();
        try {
            return loop.runUntilComplete(body);
        } finally {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ windowed runs

    // Yield and ping-pong time a window inside one run, the same way for every implementation:
    // each task (for ping-pong, the first of each pair) counts its switches (round trips) in
    // WINDOW_COUNT as they complete, and the clock runs from the count at which every task has
    // completed one (all of them spawned, started, suspended and resumed once: their stack chunks
    // exist) to the count at which every task has completed k + 1 (none has ended yet: each does
    // k + 2). The window holds N·k switches of steady state, collections included, and no spawn,
    // no first freeze, no end. Each run starts from a collected heap (System.gc() first), so one
    // repetition's dead tasks are not the next one's old-generation garbage. One carrier thread
    // runs every task, so a plain static counter is exact.
    static long windowCount, windowStartAt, windowStopAt, windowT0, windowT1;
    static long gcCount0, gcMillis0, gcCount1, gcMillis1, alloc0, alloc1;
    /** System.nanoTime() at the JVM's start, as near as uptime tells it: to place a window in a GC log. */
    static final long JVM_START = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;

    static void windowReset(long items, int k) throws InterruptedException {
        usedAfterGc();
        windowCount = 0;
        windowStartAt = items;
        windowStopAt = items * (k + 1);
        windowT0 = windowT1 = 0;
    }

    /** One switch (round trip) completed: at the window's edges, read the clock and the collector. */
    static void tick() {
        long c = ++windowCount;
        if (c == windowStartAt) {
            gcCount0 = gcCount();
            gcMillis0 = gcMillis();
            alloc0 = allocated();
            windowT0 = System.nanoTime();
        } else if (c == windowStopAt) {
            windowT1 = System.nanoTime();
            gcCount1 = gcCount();
            gcMillis1 = gcMillis();
            alloc1 = allocated();
        }
    }

    /** Bytes this thread has allocated (jasyncio and the floor: the loop thread); -1 in a virtual thread. */
    static long allocated() {
        if (Thread.currentThread().isVirtual()) {
            return -1;
        }
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static long gcCount() {
        long n = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    static long gcMillis() {
        long n = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    static double windowCost(String figure, String impl, long items, int k) {
        if (windowT1 == 0 || windowCount != items * (k + 2)) {
            throw new IllegalStateException(figure + "/" + impl + ": the window did not close (" + windowCount + " ticks)");
        }
        double cost = (double) (windowT1 - windowT0) / ((double) items * k);
        if (items >= 500_000 || Boolean.getBoolean("scale.verbose")) {
            out.printf(Locale.ROOT, "%s / %s, %,d items, k = %d: window %.0f ms (uptime %.3f s to %.3f s), %d collections, %d ms in them,"
                    + " %s B allocated per item (%.1f ns per item)%n",
                    figure, childLabel, items, k, (windowT1 - windowT0) / 1e6, (windowT0 - JVM_START) / 1e9, (windowT1 - JVM_START) / 1e9,
                    gcCount1 - gcCount0, gcMillis1 - gcMillis0,
                    alloc0 < 0 ? "?" : String.format(Locale.ROOT, "%.0f", (double) (alloc1 - alloc0) / ((double) items * k)), cost);
        }
        return cost;
    }

    // ------------------------------------------------------------------ yield

    /** Switches per task in the window: a million in all below a million tasks, 4 each at a million. */
    static int yieldRounds(int n) {
        return Math.max(4, 1_000_000 / n);
    }

    static double yieldCost(String impl, int n) throws Exception {
        int k = yieldRounds(n);
        windowReset(n, k);
        yieldRun(impl, n, k + 2);
        return windowCost("yield", impl, n, k);
    }

    static void yieldRun(String impl, int n, int yields) throws Exception {
        switch (impl) {
            case "jasyncio" -> onLoop(() -> {
                Task<?>[] ts = new Task<?>[n];
                for (int i = 0; i < n; i++) {
                    ts[i] = Async.spawn(() -> {
                        for (int y = 0; y < yields; y++) {
                            Async.yieldNow();
                            tick();
                        }
                        return null;
                    });
                }
                Async.yieldNow();
                for (Task<?> t : ts) {
                    t.await();
                }
                return null;
            });
            case "floor" -> {
                Floor f = new Floor();
                for (int i = 0; i < n; i++) {
                    f.spawn(() -> {
                        for (int y = 0; y < yields; y++) {
                            f.yieldNow();
                            tick();
                        }
                    });
                }
                f.run();
            }
            case "vthread" -> inVirtual(() -> {
                Thread[] ts = new Thread[n];
                for (int i = 0; i < n; i++) {
                    ts[i] = Thread.ofVirtual().start(() -> {
                        for (int y = 0; y < yields; y++) {
                            Thread.yield();
                            tick();
                        }
                    });
                }
                for (Thread t : ts) {
                    t.join();
                }
                return null;
            });
            default -> throw new IllegalArgumentException(impl);
        }
    }

    // ------------------------------------------------------------------ ping-pong

    /** Round trips per pair in the window: 500,000 in all below a million tasks, 4 each at a million. */
    static int pingPongRounds(int pairs) {
        return Math.max(4, 500_000 / pairs);
    }

    static double pingPongCost(String impl, int n) throws Exception {
        int pairs = Math.max(1, n / 2);
        int k = pingPongRounds(pairs);
        windowReset(pairs, k);
        pingPongRun(impl, pairs, k + 2);
        return windowCost("pingpong", impl, pairs, k);
    }

    static final Object BALL = "ball";

    static void pingPongRun(String impl, int pairs, int rounds) throws Exception {
        switch (impl) {
            case "jasyncio" -> onLoop(() -> {
                Task<?>[] ts = new Task<?>[2 * pairs];
                for (int i = 0; i < pairs; i++) {
                    AsyncQueue<Object> there = AsyncQueue.fifo(1), back = AsyncQueue.fifo(1);
                    ts[2 * i] = Async.spawn(() -> {
                        for (int r = 0; r < rounds; r++) {
                            there.put(BALL);
                            back.get();
                            tick();
                        }
                        return null;
                    });
                    ts[2 * i + 1] = Async.spawn(() -> {
                        for (int r = 0; r < rounds; r++) {
                            back.put(there.get());
                        }
                        return null;
                    });
                }
                Async.yieldNow();
                for (Task<?> t : ts) {
                    t.await();
                }
                return null;
            });
            case "floor" -> {
                Floor f = new Floor();
                for (int i = 0; i < pairs; i++) {
                    Floor.Slot there = new Floor.Slot(f), back = new Floor.Slot(f);
                    f.spawn(() -> {
                        for (int r = 0; r < rounds; r++) {
                            there.put(BALL);
                            back.get();
                            tick();
                        }
                    });
                    f.spawn(() -> {
                        for (int r = 0; r < rounds; r++) {
                            back.put(there.get());
                        }
                    });
                }
                f.run();
            }
            case "vthread" -> inVirtual(() -> {
                Thread[] ts = new Thread[2 * pairs];
                for (int i = 0; i < pairs; i++) {
                    ArrayBlockingQueue<Object> there = new ArrayBlockingQueue<>(1), back = new ArrayBlockingQueue<>(1);
                    ts[2 * i] = Thread.ofVirtual().start(() -> {
                        try {
                            for (int r = 0; r < rounds; r++) {
                                there.put(BALL);
                                back.take();
                                tick();
                            }
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    ts[2 * i + 1] = Thread.ofVirtual().start(() -> {
                        try {
                            for (int r = 0; r < rounds; r++) {
                                back.put(there.take());
                            }
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                for (Thread t : ts) {
                    t.join();
                }
                return null;
            });
            default -> throw new IllegalArgumentException(impl);
        }
    }

    // ------------------------------------------------------------------ spawn + await

    static final int SPAWN_TOTAL = 1_000_000;
    static final Callable<Integer> ONE = () -> 1;
    static Floor activeFloor;
    static final Runnable FLOOR_ONE = () -> activeFloor.current.result = 1;
    static final Runnable VT_ONE = () -> sink++;
    static Object[] round;

    /** Spawn N, await them in spawn order, in rounds making a million tasks in all (as the JMH rows). */
    static double spawnAwaitCost(String impl, int n) throws Exception {
        if (round == null || round.length != n) {
            round = new Object[n];
        }
        Object[] ts = round;
        int rounds = SPAWN_TOTAL / n;
        long nanos;
        switch (impl) {
            case "jasyncio" -> nanos = onLoop(() -> {
                long t0 = System.nanoTime();
                long sum = 0;
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < n; i++) {
                        ts[i] = Async.spawn(ONE);
                    }
                    for (int i = 0; i < n; i++) {
                        sum += ((Task<Integer>) ts[i]).await();
                    }
                }
                sink += (int) sum;
                return System.nanoTime() - t0;
            });
            case "floor" -> {
                Floor f = new Floor();
                activeFloor = f;
                long[] took = new long[1];
                f.spawn(() -> {
                    long t0 = System.nanoTime();
                    long sum = 0;
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < n; i++) {
                            ts[i] = f.create(FLOOR_ONE);
                        }
                        for (int i = 0; i < n; i++) {
                            Floor.FTask t = (Floor.FTask) ts[i];
                            if (!t.started) {
                                f.startInline(t);
                            }
                            sum += (Integer) t.result;
                        }
                    }
                    sink += (int) sum;
                    took[0] = System.nanoTime() - t0;
                });
                f.run();
                nanos = took[0];
            }
            case "vthread" -> nanos = inVirtual(() -> {
                long t0 = System.nanoTime();
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < n; i++) {
                        ts[i] = Thread.ofVirtual().start(VT_ONE);
                    }
                    for (int i = 0; i < n; i++) {
                        ((Thread) ts[i]).join();
                    }
                }
                return System.nanoTime() - t0;
            });
            default -> throw new IllegalArgumentException(impl);
        }
        Arrays.fill(ts, null);
        return (double) nanos / SPAWN_TOTAL;
    }

    // ------------------------------------------------------------------ sleepers

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** With -Dscale.histogram=true: the top of this JVM's class histogram, for where the bytes go. */
    static void histogram(String what) throws IOException, InterruptedException {
        if (!Boolean.getBoolean("scale.histogram")) {
            return;
        }
        String jcmd = ProcessHandle.current().info().command().orElse("java").replaceFirst("java$", "jcmd");
        // Into a file, not a pipe: the histogram is written by the VM thread at a safepoint, where
        // no Java thread of ours can drain a pipe, so a histogram longer than the pipe's 64 KiB
        // deadlocked the JVM (its VM thread waiting on jcmd, jcmd on the full pipe).
        Path file = Files.createTempFile("scale-histogram", ".txt");
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            p.waitFor();
            out.println("histogram, " + what + ":");
            Files.readAllLines(file, StandardCharsets.UTF_8).stream().limit(16).forEach(line -> out.println("    " + line));
        } finally {
            Files.delete(file);
        }
    }

    /**
     * Runs {@code loop} on this thread until what is in its ready queue now, and what that makes
     * ready meanwhile, has run: a callback queued behind it ends the run.
     */
    static void runWhatIsReady(EventLoop loop) {
        Promise<Void> done = new Promise<>(loop);
        loop.callSoon(() -> done.complete(null));
        loop.runUntilComplete(done);
    }

    static final Duration HOUR = Duration.ofHours(1);
    static final Callable<Object> J_SLEEPER = () -> {
        asleep++;
        Async.sleep(HOUR);
        return null;
    };
    static final Runnable F_SLEEPER = () -> {
        asleep++;
        activeFloor.sleepNanos(3_600_000_000_000L);
    };
    static final Runnable V_SLEEPER = () -> {
        asleep++;
        try {
            Thread.sleep(HOUR);
        } catch (InterruptedException e) {
            // woken to end
        }
    };

    /**
     * Start N sleepers, in rounds making 100,000 in all (10,000 for N = 1): {start ns per sleeper,
     * heap bytes per sleeper} (heap from the first round, for N of 1,000 and more).
     */
    static double[] sleepers(String impl, int n) throws Exception {
        int rounds = n == 1 ? 10_000 : Math.max(1, 100_000 / n);
        long startNanos = 0;
        double heap = Double.NaN;
        Object[] ts = new Object[n];
        for (int r = 0; r < rounds; r++) {
            boolean measureHeap = r == 0 && n >= 1_000;
            long[] res = switch (impl) {
                case "jasyncio" -> {
                    // Driven from outside the loop, as the floor's sleepers are: a driver task would
                    // be a second body type at the one call site every task body goes through
                    // (Task.runBody), and the JIT's bimorphic inlining there made every sleeper's
                    // frozen stack 32 bytes larger (312 against 280), a cost the floor's sleepers,
                    // with one body type at theirs, did not pay.
                    EventLoop loop = new EventLoop();
                    try {
                        long base = measureHeap ? usedAfterGc() : 0;
                        asleep = 0;
                        long t0 = System.nanoTime();
                        for (int i = 0; i < n; i++) {
                            ts[i] = loop.spawn(J_SLEEPER);
                        }
                        runWhatIsReady(loop);
                        if (asleep != n) {
                            throw new IllegalStateException("jasyncio: " + asleep + " of " + n + " asleep");
                        }
                        long took = System.nanoTime() - t0;
                        long used = measureHeap ? usedAfterGc() : 0;
                        if (measureHeap && n == 1_000_000) {
                            histogram("jasyncio, a million sleepers");
                        }
                        for (Object t : ts) {
                            ((Task<?>) t).cancel();
                        }
                        runWhatIsReady(loop);
                        for (Object t : ts) {
                            if (!((Task<?>) t).isCancelled()) {
                                throw new IllegalStateException("jasyncio: a sleeper was not cancelled");
                            }
                        }
                        yield new long[] {took, used - base};
                    } finally {
                        loop.close();
                    }
                }
                case "floor" -> {
                    Floor f = new Floor();
                    activeFloor = f;
                    long base = measureHeap ? usedAfterGc() : 0;
                    asleep = 0;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        ts[i] = f.spawn(F_SLEEPER);
                    }
                    f.runReady();
                    if (asleep != n) {
                        throw new IllegalStateException("floor: " + asleep + " of " + n + " asleep");
                    }
                    long took = System.nanoTime() - t0;
                    long used = measureHeap ? usedAfterGc() : 0;
                    if (measureHeap && n == 1_000_000) {
                        histogram("floor, a million sleepers");
                    }
                    activeFloor = null; // the sleepers are dropped with it
                    yield new long[] {took, used - base};
                }
                case "vthread" -> inVirtual(() -> {
                    long base = measureHeap ? usedAfterGc() : 0;
                    asleep = 0;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        ts[i] = Thread.ofVirtual().start(V_SLEEPER);
                    }
                    while (asleep < n) {
                        Thread.yield();
                    }
                    Thread.yield(); // the last one from its increment to its sleep
                    long took = System.nanoTime() - t0;
                    long used = measureHeap ? usedAfterGc() : 0;
                    if (measureHeap && n == 1_000_000) {
                        histogram("virtual threads, a million sleepers");
                    }
                    for (Object t : ts) {
                        ((Thread) t).interrupt();
                    }
                    for (Object t : ts) {
                        ((Thread) t).join();
                    }
                    return new long[] {took, used - base};
                });
                default -> throw new IllegalArgumentException(impl);
            };
            Arrays.fill(ts, null);
            startNanos += res[0];
            if (measureHeap) {
                heap = (double) res[1] / n;
            }
        }
        return new double[] {(double) startNanos / ((long) rounds * n), heap};
    }

    // ------------------------------------------------------------------ timers

    static final Runnable NOTHING = () -> { };

    /** Schedule+cancel of a 10 s callback timer, a million times, with N one-hour timers pending. */
    static double timerCost(String impl, int n) throws Exception {
        int ops = 1_000_000;
        long nanos;
        switch (impl) {
            case "jasyncio" -> nanos = onLoop(() -> {
                EventLoop l = Async.currentLoop();
                TimerHandle[] pending = new TimerHandle[n];
                for (int i = 0; i < n; i++) {
                    pending[i] = l.callLater(HOUR, NOTHING);
                }
                Duration d = Duration.ofSeconds(10);
                long t0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    l.callLater(d, NOTHING).cancel();
                }
                long took = System.nanoTime() - t0;
                for (TimerHandle h : pending) {
                    h.cancel();
                }
                return took;
            });
            case "floor" -> {
                Floor f = new Floor();
                for (int i = 0; i < n; i++) {
                    f.callLater(3_600_000_000_000L, NOTHING);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    f.cancel(f.callLater(10_000_000_000L, NOTHING));
                }
                nanos = System.nanoTime() - t0;
            }
            case "vthread" -> {
                // The virtual threads' own timer: JDK 25's ForkJoinPool.schedule (its DelayScheduler).
                ForkJoinPool pool = new ForkJoinPool(1);
                ScheduledFuture<?>[] pending = new ScheduledFuture<?>[n];
                for (int i = 0; i < n; i++) {
                    pending[i] = pool.schedule(NOTHING, 1, TimeUnit.HOURS);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    pool.schedule(NOTHING, 10, TimeUnit.SECONDS).cancel(false);
                }
                nanos = System.nanoTime() - t0;
                for (ScheduledFuture<?> s : pending) {
                    s.cancel(false);
                }
                pool.shutdownNow();
            }
            default -> throw new IllegalArgumentException(impl);
        }
        return (double) nanos / ops;
    }

    // ------------------------------------------------------------------ oversleep

    /**
     * N tasks each sleeping 1 ms in a loop: {mean, p99} of (time slept − 1 ms), in µs. The
     * {@code jasyncio-io} variant keeps a listening socket registered with the loop meanwhile (a
     * task waits to accept on it), which is how a server's loop waits.
     */
    static double[] oversleep(String impl, int n, boolean quick) throws Exception {
        int sleeps = (n == 1 ? 2_000 : 100) / (quick ? 2 : 1);
        long[] over = new long[n * sleeps];
        long ms = 1_000_000;
        switch (impl) {
            case "jasyncio", "jasyncio-io" -> onLoop(() -> {
                ServerSocketChannel server = null;
                Task<?> acceptor = null;
                if (impl.equals("jasyncio-io")) {
                    server = ServerSocketChannel.open();
                    server.bind(new InetSocketAddress("127.0.0.1", 0));
                    server.configureBlocking(false);
                    ServerSocketChannel s = server;
                    acceptor = Async.spawn(() -> {
                        Readiness.waitReadable(s);
                        return null;
                    });
                }
                Task<?>[] ts = new Task<?>[n];
                for (int i = 0; i < n; i++) {
                    int base = i * sleeps;
                    ts[i] = Async.spawn(() -> {
                        Duration d = Duration.ofMillis(1);
                        for (int k = 0; k < sleeps; k++) {
                            long t0 = System.nanoTime();
                            Async.sleep(d);
                            over[base + k] = System.nanoTime() - t0 - ms;
                        }
                        return null;
                    });
                }
                for (Task<?> t : ts) {
                    t.await();
                }
                if (acceptor != null) {
                    acceptor.cancel();
                    server.close();
                }
                return null;
            });
            case "floor" -> {
                Floor f = new Floor();
                for (int i = 0; i < n; i++) {
                    int base = i * sleeps;
                    f.spawn(() -> {
                        for (int k = 0; k < sleeps; k++) {
                            long t0 = System.nanoTime();
                            f.sleepNanos(ms);
                            over[base + k] = System.nanoTime() - t0 - ms;
                        }
                    });
                }
                f.run();
            }
            case "vthread" -> inVirtual(() -> {
                Thread[] ts = new Thread[n];
                for (int i = 0; i < n; i++) {
                    int base = i * sleeps;
                    ts[i] = Thread.ofVirtual().start(() -> {
                        try {
                            for (int k = 0; k < sleeps; k++) {
                                long t0 = System.nanoTime();
                                Thread.sleep(1);
                                over[base + k] = System.nanoTime() - t0 - ms;
                            }
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                for (Thread t : ts) {
                    t.join();
                }
                return null;
            });
            default -> throw new IllegalArgumentException(impl);
        }
        Arrays.sort(over);
        double mean = Arrays.stream(over).average().orElse(Double.NaN) / 1_000;
        double p99 = over[(int) Math.min(over.length - 1, Math.ceil(over.length * 0.99) - 1)] / 1_000.0;
        return new double[] {mean, p99};
    }
}
