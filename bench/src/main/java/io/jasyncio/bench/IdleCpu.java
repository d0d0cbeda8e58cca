package io.jasyncio.bench;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.lowlevel.Readiness;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Locale;

/**
 * What an otherwise idle loop costs in CPU while one task sleeps {@code D} over and over for
 * {@code S} seconds: the loop thread's CPU time (ThreadMXBean) per second and per sleep, with the
 * wall time per sleep beside it. With {@code --io} a listening socket is registered with the loop
 * meanwhile (a task waits to accept on it), as in a server. Issue 14: sub-millisecond waits must
 * not burn a core.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *       io.jasyncio.bench.IdleCpu [--io] [SLEEP_MICROS [SECONDS]]     (default 1000 µs, 5 s)
 * </pre>
 */
public final class IdleCpu {

    public static void main(String[] args) throws Exception {
        boolean io = false;
        long micros = 1_000;
        double seconds = 5;
        int positional = 0;
        for (String a : args) {
            if (a.equals("--io")) {
                io = true;
            } else if (positional++ == 0) {
                micros = Long.parseLong(a);
            } else {
                seconds = Double.parseDouble(a);
            }
        }
        long sleepMicros = micros;
        double runSeconds = seconds;
        boolean withIo = io;
        var threads = ManagementFactory.getThreadMXBean();
        EventLoop loop = new EventLoop();
        String line = loop.run(() -> {
            ServerSocketChannel server = null;
            Task<?> acceptor = null;
            if (withIo) {
                server = ServerSocketChannel.open();
                server.bind(new InetSocketAddress("127.0.0.1", 0));
                server.configureBlocking(false);
                ServerSocketChannel s = server;
                acceptor = Async.spawn(() -> {
                    Readiness.waitReadable(s);
                    return null;
                });
                Async.yieldNow();
            }
            Duration d = Duration.ofNanos(sleepMicros * 1_000);
            long end = System.nanoTime() + (long) (runSeconds * 1e9);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long sleeps = 0;
            while (System.nanoTime() < end) {
                Async.sleep(d);
                sleeps++;
            }
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            if (acceptor != null) {
                acceptor.cancel();
                server.close();
            }
            return String.format(Locale.ROOT,
                    "sleep %d µs%s: %d sleeps in %.2f s, %.1f µs wall per sleep (%.1f µs over), loop thread CPU %.2f%% of a core, %.2f µs CPU per sleep",
                    sleepMicros, withIo ? " (a channel registered)" : "", sleeps, wall / 1e9, wall / 1e3 / sleeps,
                    wall / 1e3 / sleeps - sleepMicros, 100.0 * cpu / wall, cpu / 1e3 / sleeps);
        });
        System.out.println(line);
    }
}
