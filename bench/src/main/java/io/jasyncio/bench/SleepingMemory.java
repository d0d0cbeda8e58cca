package io.jasyncio.bench;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Heap bytes per sleeping task: one million jasyncio tasks each in {@code Async.sleep(1 h)} vs one
 * million virtual threads each in {@code Thread.sleep(1 h)}.
 *
 * <p>Without a mode argument this is the driver: it runs each mode in its own child JVM, one after
 * the other, with the same flags ({@code -Xmx4g}, the {@code jdk.internal.vm} export, this class
 * path), and prints both figures and their ratio. A child measures heap used (after
 * {@code System.gc()} twice) before and after starting the sleepers, and divides the difference by
 * the count. The array holding the sleepers' references is allocated before the baseline, so it is
 * not counted. With {@code --histogram} the child also prints the top of its own class histogram
 * ({@code jcmd <pid> GC.class_histogram}) while the sleepers sleep.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.jasyncio.bench.SleepingMemory [count] [--histogram]
 * </pre>
 */
public final class SleepingMemory {

    public static void main(String[] args) throws Exception {
        int count = 1_000_000;
        boolean histogram = false;
        String mode = null;
        for (String a : args) {
            if (a.equals("--histogram")) histogram = true;
            else if (a.equals("jasyncio") || a.equals("vthread")) mode = a;
            else count = Integer.parseInt(a.replace("_", ""));
        }
        if (mode == null) {
            drive(count, histogram);
        } else {
            child(mode, count, histogram);
        }
    }

    // ------------------------------------------------------------------ driver

    static void drive(int count, boolean histogram) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        double[] perTask = new double[2];
        String[] modes = {"jasyncio", "vthread"};
        for (int m = 0; m < modes.length; m++) {
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx4g",
                    "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-cp", cp,
                    SleepingMemory.class.getName(), modes[m], Integer.toString(count)));
            if (histogram) cmd.add("--histogram");
            System.out.println("$ " + String.join(" ", cmd.subList(0, 3)) + " ... " + String.join(" ", cmd.subList(5, cmd.size())));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("  " + line);
                    if (line.startsWith("RESULT ")) {
                        perTask[m] = Double.parseDouble(line.split(" ")[3]);
                    }
                }
            }
            p.waitFor();
        }
        System.out.printf("%njasyncio task: %.0f B, virtual thread: %.0f B, ratio %.2fx (target <= 0.5x)%n",
                perTask[0], perTask[1], perTask[0] / perTask[1]);
    }

    // ------------------------------------------------------------------ child

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void child(String mode, int count, boolean histogram) throws Exception {
        Object[] holders = new Object[count];
        if (mode.equals("jasyncio")) {
            EventLoop loop = new EventLoop();
            loop.runUntilComplete(() -> {
                long base = usedAfterGc();
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    holders[i] = Async.spawn(() -> {
                        Async.sleep(Duration.ofHours(1));
                        return null;
                    });
                }
                // Let every task run up to its sleep (they were only scheduled).
                Async.sleep(Duration.ofMillis(500));
                long t1 = System.nanoTime();
                report(mode + " (engine " + loop.engineName() + ")", count, base, usedAfterGc(), t1 - t0, histogram);
                return null;
            });
        } else {
            long base = usedAfterGc();
            long t0 = System.nanoTime();
            CountDownLatch started = new CountDownLatch(count);
            for (int i = 0; i < count; i++) {
                holders[i] = Thread.ofVirtual().start(() -> {
                    started.countDown();
                    try {
                        Thread.sleep(Duration.ofHours(1));
                    } catch (InterruptedException e) {
                        // exit
                    }
                });
            }
            started.await();
            Thread.sleep(500); // let the last ones reach their sleep
            long t1 = System.nanoTime();
            report(mode, count, base, usedAfterGc(), t1 - t0, histogram);
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    static void report(String mode, int count, long base, long used, long nanos, boolean histogram) throws Exception {
        double perTask = (double) (used - base) / count;
        System.out.printf("%s: %,d sleeping, heap used %,d -> %,d B, started in %d ms (incl. 500 ms settle)%n",
                mode, count, base, used, nanos / 1_000_000);
        System.out.printf("RESULT %s bytesPerTask %.1f%n", mode.split(" ")[0], perTask);
        if (histogram) {
            String jcmd = ProcessHandle.current().info().command().orElse("java").replaceFirst("java$", "jcmd");
            // To a file, read once jcmd has exited: this JVM reading jcmd's output through a pipe
            // would stall at the histogram's safepoint with the pipe full, and jcmd and this JVM's
            // VM thread would wait for each other for ever (seen with 100,000 sleepers).
            java.io.File out = java.io.File.createTempFile("histogram", ".txt");
            try {
                Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                        .redirectErrorStream(true).redirectOutput(out).start();
                p.waitFor();
                List<String> lines = java.nio.file.Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
                for (String line : lines.subList(0, Math.min(18, lines.size()))) {
                    System.out.println("    " + line);
                }
            } finally {
                out.delete();
            }
        }
    }
}
