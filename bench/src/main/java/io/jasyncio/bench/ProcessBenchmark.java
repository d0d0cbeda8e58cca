package io.jasyncio.bench;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.process.Processes;
import io.jasyncio.process.Subprocess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Spawning and reaping children: {@code N} {@code true} children started at once and waited for,
 * by jasyncio ({@code Processes.exec} + {@code await} in N tasks on one loop), by
 * {@code ProcessBuilder.start()} + {@code waitFor()} on N platform threads, and by Python asyncio
 * ({@code create_subprocess_exec} + {@code wait} in N coroutines, bench/scripts/processes_asyncio.py,
 * a fresh interpreter per round whose own timer is what counts). The three alternate round by round
 * in one run, so a noisy machine hurts them alike; the medians and their ratios are printed.
 *
 * <p>With {@code pipes}: what the pipes cost. (1) Throughput: {@code MIB} MiB through one
 * {@code cat}, written to its stdin and read back from its stdout, by jasyncio's streams (two
 * tasks; a pump thread per pipe behind them), by the JDK's blocking streams on two platform
 * threads, and by Python asyncio. (2) The cost of a pipe at start: {@code N} children started
 * and reaped with all three streams piped against none, in one loop, the difference per child
 * being three pump threads, three JDK pipes and the streams over them.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.jasyncio.bench.ProcessBenchmark [children=1000] [rounds=7]
 * java ... io.jasyncio.bench.ProcessBenchmark pipes [MiB=256] [rounds=5]
 * </pre>
 */
public final class ProcessBenchmark {

    private ProcessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("pipes")) {
            pipes(args.length > 1 ? Integer.parseInt(args[1]) : 256, args.length > 2 ? Integer.parseInt(args[2]) : 5);
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path python = findPythonScript();
        System.out.printf(Locale.ROOT, "spawn and reap %,d `true` children at once, %d rounds, engine %s%n", n, rounds,
                engineName());
        // Warm-up: one round each (class loading, JIT, the JDK's reaper pool).
        jasyncio(n);
        platformThreads(n);
        List<Double> j = new ArrayList<>(), t = new ArrayList<>(), py = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            j.add(jasyncio(n));
            t.add(platformThreads(n));
            if (python != null) {
                py.add(python(python, "spawn", n));
            }
            System.out.printf(Locale.ROOT, "  round %d: jasyncio %.0f ms, ProcessBuilder+threads %.0f ms%s%n", r + 1,
                    j.getLast(), t.getLast(), python != null ? String.format(Locale.ROOT, ", python asyncio %.0f ms", py.getLast()) : "");
        }
        double mj = median(j), mt = median(t);
        System.out.printf(Locale.ROOT, "median: jasyncio %.0f ms (%.0f µs a child), ProcessBuilder on %d platform threads %.0f ms"
                + " (jasyncio/threads %.2fx)", mj, mj * 1000 / n, n, mt, mj / mt);
        if (python != null) {
            double mp = median(py);
            System.out.printf(Locale.ROOT, ", python asyncio %.0f ms (jasyncio/python %.2fx)", mp, mj / mp);
        } else {
            System.out.print(", python asyncio: python3 or the script not found");
        }
        System.out.println();
    }

    static void pipes(int mib, int rounds) throws Exception {
        Path python = findPythonScript();
        System.out.printf(Locale.ROOT, "%d MiB through one `cat` (stdin -> stdout), %d rounds, engine %s%n", mib, rounds, engineName());
        pipeJasyncio(mib);
        pipeBlocking(mib);
        List<Double> j = new ArrayList<>(), b = new ArrayList<>(), py = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            j.add(pipeJasyncio(mib));
            b.add(pipeBlocking(mib));
            if (python != null) {
                py.add(python(python, "pipe", mib));
            }
            System.out.printf(Locale.ROOT, "  round %d: jasyncio %.0f ms, blocking streams+2 threads %.0f ms%s%n", r + 1, j.getLast(),
                    b.getLast(), python != null ? String.format(Locale.ROOT, ", python asyncio %.0f ms", py.getLast()) : "");
        }
        double mj = median(j), mb = median(b);
        System.out.printf(Locale.ROOT, "median: jasyncio %.0f ms (%.0f MiB/s), blocking %.0f ms (%.0f MiB/s, jasyncio/blocking %.2fx)",
                mj, mib / mj * 1000, mb, mib / mb * 1000, mj / mb);
        if (python != null) {
            double mp = median(py);
            System.out.printf(Locale.ROOT, ", python asyncio %.0f ms (%.0f MiB/s, jasyncio/python %.2fx)", mp, mib / mp * 1000, mj / mp);
        }
        System.out.println();

        int n = 300;
        System.out.printf(Locale.ROOT, "%d children started at once and reaped, all three streams piped vs none:%n", n);
        spawnWith(n, true);
        spawnWith(n, false);
        List<Double> piped = new ArrayList<>(), bare = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            piped.add(spawnWith(n, true));
            bare.add(spawnWith(n, false));
        }
        double mp = median(piped), mn = median(bare);
        System.out.printf(Locale.ROOT, "median: piped %.0f ms, none %.0f ms: %.0f µs a child for its three pipes (%.2fx)%n", mp, mn,
                (mp - mn) * 1000 / n, mp / mn);
    }

    private static final int PIPE_CHUNK = 64 * 1024;

    /** {@code mib} MiB into cat's stdin from one task, back from its stdout in another; every byte counted. */
    static double pipeJasyncio(int mib) {
        long total = (long) mib << 20;
        return Async.run(() -> {
            long t0 = System.nanoTime();
            try (Subprocess cat = Processes.exec(io.jasyncio.process.ProcessOptions.piped(), "cat")) {
                byte[] chunk = new byte[PIPE_CHUNK];
                Task<Void> writer = Async.spawn(() -> {
                    for (long left = total; left > 0; left -= chunk.length) {
                        cat.stdin().write(chunk);
                    }
                    cat.stdin().close();
                    return null;
                });
                byte[] buf = new byte[PIPE_CHUNK];
                long got = 0;
                for (int k; (k = cat.stdout().read(buf)) > 0; ) {
                    got += k;
                }
                writer.await();
                check(cat.await());
                if (got != total) {
                    throw new IllegalStateException("got " + got + " of " + total);
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        });
    }

    /** The same with the JDK's blocking streams: a platform thread writes, this one reads. */
    static double pipeBlocking(int mib) throws Exception {
        long total = (long) mib << 20;
        long t0 = System.nanoTime();
        Process cat = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread writer = Thread.ofPlatform().start(() -> {
            byte[] chunk = new byte[PIPE_CHUNK];
            try (var out = cat.getOutputStream()) {
                for (long left = total; left > 0; left -= chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] buf = new byte[PIPE_CHUNK];
        long got = 0;
        try (var in = cat.getInputStream()) {
            for (int k; (k = in.read(buf)) > 0; ) {
                got += k;
            }
        }
        writer.join();
        check(cat.waitFor());
        if (got != total) {
            throw new IllegalStateException("got " + got + " of " + total);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** N `true` children at once on one loop, with all three streams piped or none. */
    static double spawnWith(int n, boolean piped) {
        io.jasyncio.process.ProcessOptions o = piped ? io.jasyncio.process.ProcessOptions.piped()
                : io.jasyncio.process.ProcessOptions.defaults();
        return Async.run(() -> {
            long t0 = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Async.spawn(() -> {
                    try (Subprocess p = Processes.exec(o, "true")) {
                        return p.await();
                    }
                }));
            }
            for (int rc : Async.gather(tasks)) {
                check(rc);
            }
            return (System.nanoTime() - t0) / 1e6;
        });
    }

    private static String engineName() {
        return Async.run(() -> Async.currentLoop().engineName());
    }

    /** One round on a fresh loop: N tasks, each starting a child and awaiting its exit. */
    static double jasyncio(int n) {
        return Async.run(() -> {
            long t0 = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Async.spawn(() -> {
                    Subprocess p = Processes.exec("true");
                    return p.await();
                }));
            }
            for (int rc : Async.gather(tasks)) {
                check(rc);
            }
            return (System.nanoTime() - t0) / 1e6;
        });
    }

    /** One round: N platform threads, each starting a child and waiting for it. */
    static double platformThreads(int n) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Thread.ofPlatform().start(() -> {
                try {
                    Process p = new ProcessBuilder("true").redirectInput(ProcessBuilder.Redirect.INHERIT)
                            .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    check(p.waitFor());
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (failure.get() != null) {
            throw new IllegalStateException("a platform-thread child failed", failure.get());
        }
        return ms;
    }

    /** One round in a fresh python3: the ms it reports for its own timed section. */
    static double python(Path script, String what, int n) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", script.toString(), what, Integer.toString(n))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("python asyncio round failed: " + out);
        }
        return Double.parseDouble(out);
    }

    static Path findPythonScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path s = dir.resolve("bench/scripts/processes_asyncio.py");
            if (Files.exists(s)) {
                try {
                    if (new ProcessBuilder("python3", "--version").start().waitFor() == 0) {
                        return s;
                    }
                } catch (IOException | InterruptedException e) {
                    return null;
                }
            }
        }
        return null;
    }

    static void check(int rc) {
        if (rc != 0) {
            throw new IllegalStateException("`true` exited with " + rc);
        }
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
