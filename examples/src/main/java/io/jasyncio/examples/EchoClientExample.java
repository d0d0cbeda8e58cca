package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.TlsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code ./jasyncio example echo-client --host H --port P [--tls] [--insecure] [--conns N] [--size B]
 * [--duration S]}: N connections, each a task sending B-byte messages one at a time to any echo
 * server (ours or not) for S seconds, checking every echoed byte. Prints messages per second and
 * the latency distribution. {@code --tls} verifies the server's certificate against the host name
 * with the JDK's trusted CAs; add {@code --insecure} for a self-signed server such as
 * {@code echo-server --tls}.
 */
public final class EchoClientExample {

    static final String USAGE = "echo-client --host H --port P [--tls] [--insecure] [--conns N] [--size B] [--duration S]";

    private EchoClientExample() {
    }

    /** What one connection did. */
    private record Result(long messages, long[] latenciesNanos, int count) {
    }

    public static void main(String[] args) {
        NetOptions o = NetOptions.parse(args, Set.of("host", "port", "conns", "size", "duration"), Set.of("tls", "insecure"), USAGE);
        String host = o.get("host", "127.0.0.1");
        int port = o.getInt("port", 8888);
        int conns = o.getInt("conns", 10);
        int size = o.getInt("size", 1024);
        double seconds = o.getDouble("duration", 5);
        if (conns < 1 || size < 1 || seconds <= 0) {
            throw new IllegalArgumentException("--conns, --size and --duration must be positive\nusage: " + USAGE);
        }
        ConnectOptions options = ConnectOptions.defaults().connectTimeout(Duration.ofSeconds(10));
        if (o.flag("tls")) {
            options.tls(o.flag("insecure") ? TlsConfig.insecureClient() : TlsConfig.client());
        }
        String summary;
        try {
            summary = measure(host, port, conns, size, seconds, options);
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("echo-client: " + cause.getMessage());
            if (cause instanceof io.jasyncio.net.TlsCertificateException) {
                System.err.println("echo-client: for a server with a self-signed certificate (echo-server --tls), add --insecure");
            }
            System.exit(1);
            return;
        }
        System.out.println(summary);
    }

    static String measure(String host, int port, int conns, int size, double seconds, ConnectOptions options) {
        return Async.run(() -> {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long t0 = System.nanoTime();
            List<Task<Result>> tasks = new ArrayList<>();
            for (int i = 0; i < conns; i++) {
                int id = i;
                tasks.add(Async.spawn(() -> run(host, port, options, id, size, deadline)));
            }
            long messages = 0;
            List<long[]> all = new ArrayList<>();
            int samples = 0;
            for (Task<Result> t : tasks) {
                Result r = t.await();
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

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }

    private static Result run(String host, int port, ConnectOptions options, int id, int size, long deadline) throws Exception {
        long[] lat = new long[1 << 16];
        int count = 0;
        long messages = 0;
        byte[] msg = new byte[size];
        try (StreamConnection c = Net.openConnection(host, port, options)) {
            byte[] back = new byte[size];
            while (System.nanoTime() < deadline) {
                fill(msg, id, messages);
                long t = System.nanoTime();
                c.writer().write(msg);
                for (int got = 0; got < size; ) {
                    int n = c.reader().read(back, got, size - got);
                    if (n < 0) {
                        throw new IllegalStateException("connection " + id + ": the server closed the connection");
                    }
                    got += n;
                }
                if (!Arrays.equals(msg, back)) {
                    throw new IllegalStateException("connection " + id + ": message " + messages + " came back wrong");
                }
                long took = System.nanoTime() - t;
                if (count < lat.length) {
                    lat[count++] = took;
                } else {
                    lat[(int) (messages % lat.length)] = took; // keep a sample of the latest
                }
                messages++;
            }
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
