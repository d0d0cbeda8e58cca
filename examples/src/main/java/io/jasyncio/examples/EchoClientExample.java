package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.tls.TlsCertificateException;
import io.jasyncio.net.tls.TlsConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * {@code ./jasyncio example echo-client [--host H] [--port P] [--conns N] [--size B] [--duration S]
 * [--tls] [--insecure]}: N connections (default 10), each a task sending B-byte messages (1024)
 * one at a time to any echo server (ours or not; default 127.0.0.1:8888) for S seconds (5),
 * checking every echoed byte. Prints messages per second and the latency distribution. {@code --tls} verifies the server's certificate against the host name
 * with the JDK's trusted CAs; add {@code --insecure} for a self-signed server such as
 * {@code echo-server --tls}.
 */
public final class EchoClientExample {

    private EchoClientExample() {
    }

    /** What one connection did. */
    private record Result(long messages, long[] latenciesNanos, int count) {
    }

    /**
     * {@code ./jasyncio example echo-client} by class name (the benchmark scripts start it so).
     *
     * @param args {@code [--host H] [--port P] [--conns N] [--size B] [--duration S] [--tls] [--insecure]}
     */
    public static void main(String[] args) {
        Main.mainOf("echo-client", args);
    }

    /** The bound on {@code --conns}: each connection costs a descriptor at both ends. */
    static final int MAX_CONNS = 100_000;

    /** {@code ./jasyncio example echo-client ...}: prints the one-line summary. */
    static void cli(Settings s, Args a) {
        String host = a.text("host", "127.0.0.1");
        int port = a.port("port", 8888, 1);
        int conns = a.integer("conns", 10, 1, MAX_CONNS);
        int size = a.integer("size", 1024, 1, 16 << 20);
        double seconds = a.positive("duration", 5, 3600);
        if (a.flag("insecure") && !a.flag("tls")) {
            throw new Args.UsageException("--insecure only matters with --tls; add --tls, or drop --insecure");
        }
        ConnectOptions options = ConnectOptions.defaults().connectTimeout(CONNECT_TIMEOUT);
        if (a.flag("tls")) {
            options.tls(a.flag("insecure") ? TlsConfig.insecureClient() : TlsConfig.client());
        }
        s.say(measure(host, port, conns, size, seconds, options));
    }

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Runs the load and returns its one-line summary. The connections are a task group: the first
     * to fail stops the others, and every failure is collected, none left unretrieved.
     *
     * @throws ExampleFailure if a connection could not be opened or broke, or a byte came back wrong
     */
    static String measure(String host, int port, int conns, int size, double seconds, ConnectOptions options) {
        return Async.run(() -> {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long t0 = System.nanoTime();
            List<Task<Result>> tasks = new ArrayList<>();
            try (TaskGroup group = Async.taskGroup()) {
                for (int i = 0; i < conns; i++) {
                    int id = i;
                    tasks.add(group.spawn(() -> run(host, port, options, id, size, deadline)));
                }
            } catch (TaskGroupException e) {
                Throwable first = e.exceptions().get(0);
                throw first instanceof ExampleFailure f ? f : new ExampleFailure("connection to "
                        + Addresses.of(host, port) + " failed: " + first, first);
            }
            long messages = 0;
            List<long[]> all = new ArrayList<>();
            int samples = 0;
            for (Task<Result> t : tasks) {
                Result r = t.resultNow();
                messages += r.messages;
                all.add(Arrays.copyOf(r.latenciesNanos, r.count));
                samples += r.count;
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long[] lat = new long[samples];
            int k = 0;
            for (long[] a : all) {
                System.arraycopy(a, 0, lat, k, a.length);
                k += a.length;
            }
            Arrays.sort(lat);
            return String.format("conns=%d size=%d messages=%d seconds=%.2f msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f max_us=%.1f"
                            + " (every echoed byte checked)",
                    conns, size, messages, elapsed, messages / elapsed, pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1.0));
        });
    }

    /**
     * Why connection {@code id} could not be opened, in words, with the fix. The checks go from
     * the most specific type to the least: a TLS certificate failure is also a handshake failure.
     */
    static ExampleFailure cannotConnect(String host, int port, IOException e) {
        String at = Addresses.of(host, port);
        if (e instanceof UnknownHostException) {
            return new ExampleFailure("cannot resolve the host '" + host + "'; check --host", e);
        }
        if (e instanceof TlsCertificateException) {
            return new ExampleFailure("the certificate of " + at + " is not trusted (" + innermost(e).getMessage() + ");"
                    + " for a server with a self-signed certificate, such as echo-server --tls, add --insecure", e);
        }
        if (e instanceof SSLException) {
            return new ExampleFailure("the TLS handshake with " + at + " failed (" + innermost(e).getMessage() + ");"
                    + " is it a TLS server? For a plain one, drop --tls", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new ExampleFailure("no answer from " + at + " within " + CONNECT_TIMEOUT.toSeconds() + " s; check --host"
                    + " and --port, and that no firewall drops the connection", e);
        }
        if (e instanceof ConnectException) {
            return new ExampleFailure("connection refused by " + at + ": no server listens there; start one first, such as"
                    + " ./jasyncio example echo-server --port " + port, e);
        }
        if (String.valueOf(e.getMessage()).contains("Too many open files")) {
            return new ExampleFailure("out of file descriptors (each connection takes one); raise the limit with ulimit -n,"
                    + " or ask for fewer with --conns", e);
        }
        return new ExampleFailure("cannot connect to " + at + ": " + e.getMessage() + "; check --host and --port", e);
    }

    private static Throwable innermost(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }

    private static Result run(String host, int port, ConnectOptions options, int id, int size, long deadline) {
        long[] lat = new long[1 << 16];
        int count = 0;
        long messages = 0;
        byte[] msg = new byte[size];
        StreamConnection c;
        try {
            c = Net.openConnection(host, port, options);
        } catch (IOException e) {
            throw cannotConnect(host, port, e);
        }
        String at = Addresses.of(host, port);
        try (c) {
            byte[] back = new byte[size];
            while (System.nanoTime() < deadline) {
                fill(msg, id, messages);
                long t = System.nanoTime();
                c.writer().write(msg);
                for (int got = 0; got < size; ) {
                    int n = c.reader().read(back, got, size - got);
                    if (n < 0) {
                        throw new ExampleFailure(at + " closed connection " + id + " after " + messages + " messages,"
                                + " before echoing all of the next; is it an echo server (a TLS one needs --tls)?");
                    }
                    got += n;
                }
                if (!Arrays.equals(msg, back)) {
                    throw new ExampleFailure("message " + messages + " on connection " + id + " came back different from"
                            + " what was sent; is " + at + " an echo server?");
                }
                long took = System.nanoTime() - t;
                if (count < lat.length) {
                    lat[count++] = took;
                } else {
                    lat[(int) (messages % lat.length)] = took; // keep a sample of the latest
                }
                messages++;
            }
        } catch (IOException e) {
            throw new ExampleFailure("connection " + id + " to " + at + " failed after " + messages + " messages: "
                    + e.getMessage() + "; did the server stop?", e);
        }
        return new Result(messages, lat, count);
    }

    /** Message content that differs per connection and per message, so a misrouted byte shows. */
    private static void fill(byte[] b, int conn, long seq) {
        long x = seq * 0x9E3779B97F4A7C15L + conn;
        for (int i = 0; i < b.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
    }
}
