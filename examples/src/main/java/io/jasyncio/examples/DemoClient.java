package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import io.jasyncio.sync.AsyncQueue;
import io.jasyncio.sync.Semaphore;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The demo's load driver, in a child JVM of its own (each end of a loopback connection costs a
 * descriptor in its process; with both ends in one process, 10,000 connections would need 20,000
 * descriptors, the whole per-process limit here). One jasyncio event loop thread, a task per
 * connection. {@code DemoClient LIFETIME_SECONDS}; then, on stdin, for each server:
 *
 * <ol>
 * <li>{@code RUN port= conns= size= warmup_ms= duration_ms=}: opens the connections (at most
 *     {@value #CONNECT_CONCURRENCY} connecting at a time, each within {@value #CONNECT_TIMEOUT_S} s,
 *     all within {@value #CONNECT_STAGE_S} s), then every connection sends a message, reads the
 *     echo, checks every byte and sends the next, until the warm-up and the measured time are over;
 *     prints {@code PROGRESS} lines meanwhile, {@code MARK at=measure} and {@code MARK at=end} when the
 *     measured time starts and ends, then {@code HOLD} with every connection still open (for the
 *     server's figures);
 * <li>{@code CLOSE}: closes the connections and prints {@code ERROR} lines (a sample) and one
 *     {@code RESULT} line.
 * </ol>
 *
 * Message {@code seq} of connection {@code id} is a slice of one random pattern at an offset that
 * depends on both, so an echo from the wrong connection or of the wrong message does not match.
 * Bytes lost are the bytes sent that did not come back intact.
 */
public final class DemoClient {

    static final int CONNECT_CONCURRENCY = 256;
    static final int CONNECT_TIMEOUT_S = 10;
    static final int CONNECT_STAGE_S = 60;
    /** After the measured time, how long a connection may wait for its last echo. */
    static final int GRACE_S = 15;
    /** How long the client waits, holding its connections, for CLOSE. */
    static final int HOLD_S = 120;
    static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(10);
    private static final int SLACK = 4093; // pattern offsets: a prime, so (id, seq) spread over all of them
    private static final int ERROR_SAMPLES = 3;

    private DemoClient() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: DemoClient LIFETIME_SECONDS (started by ./jasyncio demo)");
            System.exit(2);
        }
        Duration lifetime = Duration.ofSeconds(Long.parseLong(args[0]));
        // One loop for the client's whole life, its commands delivered into it by the stdin thread:
        // nothing in a phase needs a new thread, not even waiting for the next command.
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            AsyncQueue<String> commands = AsyncQueue.fifo();
            DemoWire.guard(lifetime, line -> loop.callSoonThreadsafe(() -> commands.putNow(line)));
            DemoWire.say(DemoWire.line("HELLO", "pid", ProcessHandle.current().pid(), "fds", DemoOptions.descriptorLimit(),
                    "engine", loop.engineName()));
            for (;;) {
                String command = commands.get();
                switch (DemoWire.word(command)) {
                    case "RUN" -> {
                        Map<String, String> f = DemoWire.fields(command);
                        new Phase(Integer.parseInt(f.get("port")), Integer.parseInt(f.get("conns")),
                                Integer.parseInt(f.get("size")), Long.parseLong(f.get("warmup_ms")) * 1_000_000L,
                                Long.parseLong(f.get("duration_ms")) * 1_000_000L, commands).run();
                    }
                    case "EXIT" -> {
                        return null;
                    }
                    default -> System.err.println("demo client: unknown command '" + command + "'");
                }
            }
        });
    }

    /** One server's run; everything in it happens on one loop thread. */
    private static final class Phase {
        final int port, conns, size;
        final long warmupNanos, durationNanos;
        final AsyncQueue<String> commands;
        final byte[] pattern;
        final Histogram latency = new Histogram(MAX_LATENCY_US, 3);
        final List<String> errorSamples = new ArrayList<>();

        int attempted, opened, connectFailed, errors, finished;
        long sent, intact, wrong, messages, measured;
        long fewest = Long.MAX_VALUE, most; // measured messages of the least and the most served connection
        long measureStart = Long.MAX_VALUE, end = Long.MAX_VALUE;
        String stage = "connect";
        final long t0 = System.nanoTime();
        Semaphore connecting;
        Promise<Void> allAttempted, go, allFinished, release;

        Phase(int port, int conns, int size, long warmupNanos, long durationNanos, AsyncQueue<String> commands) {
            this.port = port;
            this.conns = conns;
            this.size = size;
            this.warmupNanos = warmupNanos;
            this.durationNanos = durationNanos;
            this.commands = commands;
            this.pattern = new byte[size + SLACK];
            new SplittableRandom(port).nextBytes(pattern);
        }

        Void run() throws Exception {
            connecting = new Semaphore(CONNECT_CONCURRENCY);
            allAttempted = new Promise<>();
            go = new Promise<>();
            allFinished = new Promise<>();
            release = new Promise<>();
            long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_STAGE_S);
            Task<Void> progress = Async.spawn("progress", () -> {
                for (;;) {
                    Async.sleep(Duration.ofMillis(200));
                    progress();
                }
            });
            List<Task<Void>> tasks = new ArrayList<>(conns);
            for (int i = 0; i < conns; i++) {
                int id = i;
                tasks.add(Async.spawn(() -> connection(id, connectDeadline)));
            }
            allAttempted.await();
            long start = System.nanoTime();
            measureStart = start + warmupNanos;
            end = measureStart + durationNanos;
            stage = "exchange";
            go.complete(null);
            Task<Void> marks = Async.spawn("marks", () -> {
                // Where the measured time starts and ends, for the parent to read the processes' CPU time.
                Async.sleep(Duration.ofNanos(Math.max(0, measureStart - System.nanoTime())));
                DemoWire.say(DemoWire.line("MARK", "at", "measure"));
                Async.sleep(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
                DemoWire.say(DemoWire.line("MARK", "at", "end"));
                return null;
            });
            if (opened > 0) {
                allFinished.await();
            }
            marks.await();
            progress.cancel();
            try {
                progress.await(); // a line it is about to print would land after this phase's last
            } catch (CancelledException e) {
                // as asked
            }
            stage = "hold";
            progress();
            DemoWire.say(DemoWire.line("HOLD", "opened", opened));
            String command = Async.moveOnAfter(Duration.ofSeconds(HOLD_S), commands::get);
            if (command != null && !command.equals("CLOSE")) {
                System.err.println("demo client: expected CLOSE, got '" + command + "'; closing anyway");
            }
            release.complete(null);
            Async.gather(tasks);
            for (String e : errorSamples) {
                DemoWire.say("ERROR " + e.replaceAll("\\s+", " "));
            }
            DemoWire.say(DemoWire.line("RESULT", "conns", conns, "opened", opened, "connect_failed", connectFailed,
                    "errors", errors, "messages", messages, "measured", measured, "window_ns", durationNanos,
                    "sent", sent, "intact", intact, "wrong", wrong, "p50_us", latency.getValueAtPercentile(50),
                    "p99_us", latency.getValueAtPercentile(99), "max_us", latency.getMaxValue(),
                    "mean_us", Math.round(latency.getMean()),
                    "fewest", fewest == Long.MAX_VALUE ? 0 : fewest, "most", most));
            return null;
        }

        void progress() {
            DemoWire.say(DemoWire.line("PROGRESS", "stage", stage, "opened", opened, "failed", connectFailed + errors,
                    "messages", messages, "elapsed_ms", (System.nanoTime() - t0) / 1_000_000,
                    "exchange_ms", end == Long.MAX_VALUE ? 0 : (System.nanoTime() - (measureStart - warmupNanos)) / 1_000_000));
        }

        void error(String what, Throwable e) {
            errors++;
            note(what, e);
        }

        void note(String what, Throwable e) {
            if (errorSamples.size() < ERROR_SAMPLES) {
                errorSamples.add(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        void attempted() {
            if (++attempted == conns) {
                allAttempted.complete(null);
            }
        }

        void finished() {
            if (++finished == opened) {
                allFinished.complete(null);
            }
        }

        Void connection(int id, long connectDeadline) {
            StreamConnection c;
            try (Semaphore.Permit p = connecting.acquire()) {
                long left = connectDeadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("not connected within the " + CONNECT_STAGE_S + " s the demo allows for connecting");
                }
                ConnectOptions o = ConnectOptions.defaults()
                        .connectTimeout(Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(CONNECT_TIMEOUT_S))));
                c = Net.openConnection("127.0.0.1", port, o);
            } catch (IOException | RuntimeException e) {
                connectFailed++;
                note("connection " + id + " did not open", e);
                attempted();
                return null;
            }
            opened++;
            attempted();
            try (c) {
                go.await();
                CancelScope scope = CancelScope.moveOnAt(end + TimeUnit.SECONDS.toNanos(GRACE_S));
                try {
                    scope.run(() -> exchange(c, id));
                    if (scope.cancelledCaught()) {
                        error("connection " + id, new IOException("no echo within " + GRACE_S + " s after the measured time"));
                    }
                } catch (IOException | RuntimeException e) {
                    error("connection " + id, e);
                }
                finished();
                release.await();
            }
            return null;
        }

        Void exchange(StreamConnection c, int id) throws IOException {
            StreamWriter w = c.writer();
            StreamReader r = c.reader();
            byte[] back = new byte[size];
            long mine = 0;
            for (long seq = 0; ; seq++) {
                long started = System.nanoTime();
                if (started >= end) {
                    fewest = Math.min(fewest, mine);
                    most = Math.max(most, mine);
                    return null;
                }
                int off = (int) ((id * 7919L + seq * 131L) % SLACK);
                w.write(pattern, off, size);
                sent += size;
                for (int got = 0; got < size; ) {
                    int n = r.read(back, got, size - got);
                    if (n < 0) {
                        throw new EOFException("the server closed the connection after " + got + " of " + size
                                + " bytes of message " + seq);
                    }
                    got += n;
                }
                long took = System.nanoTime() - started;
                if (!Arrays.equals(back, 0, size, pattern, off, off + size)) {
                    int wrong = 0;
                    for (int i = 0; i < size; i++) {
                        wrong += back[i] != pattern[off + i] ? 1 : 0;
                    }
                    intact += size - wrong;
                    this.wrong += wrong;
                    throw new IOException(wrong + " of " + size + " bytes of message " + seq + " came back wrong");
                }
                intact += size;
                messages++;
                if (started >= measureStart) {
                    latency.recordValue(Math.min(MAX_LATENCY_US, Math.max(1, took / 1000)));
                    measured++;
                    mine++;
                }
            }
        }
    }
}
