package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.net.DatagramEndpoint;
import io.jasyncio.net.DatagramOptions;
import io.jasyncio.net.Net;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./jasyncio example udp-requests [--connect HOST:PORT]}: the seed article's client, which
 * sends two requests to a UDP server that takes one second to answer each. Awaited one after the
 * other they take about two seconds; as two tasks, about one, on one thread. Without
 * {@code --connect} the example runs that server itself, on the same loop (each request answered
 * by its own task after a one-second sleep, so requests overlap as the seed's two processes do);
 * with it, the client talks to the server at HOST:PORT, which answers "response for " + request.
 */
public final class UdpRequestsExample {

    static final String USAGE = "udp-requests [--connect HOST:PORT]";

    private UdpRequestsExample() {
    }

    public static void main(String[] args) {
        NetOptions o = NetOptions.parse(args, Set.of("connect"), Set.of(), USAGE);
        run(o.get("connect", null), Duration.ofSeconds(1), System.out::println);
    }

    /** Both timings, and what each way received. */
    record Timings(long sequentialNanos, long concurrentNanos, List<String> sequential, List<String> concurrent) {
    }

    /**
     * The example: against the server at {@code connect} (HOST:PORT), or, if null, against its own
     * server answering each request after {@code delay}; prints to {@code out}.
     */
    static Timings run(String connect, Duration delay, java.util.function.Consumer<String> out) {
        return Async.run(() -> {
            String host;
            int port;
            DatagramEndpoint server = null;
            Task<Void> serving = null;
            if (connect == null) {
                server = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0));
                InetSocketAddress a = (InetSocketAddress) server.localAddress();
                host = a.getHostString();
                port = a.getPort();
                DatagramEndpoint s = server;
                serving = Async.spawn("udp-server", () -> serve(s, delay));
                out.accept("server: answering on " + a + ", " + (delay.equals(Duration.ofSeconds(1)) ? "one second"
                        : String.format(Locale.ROOT, "%.2f s", delay.toNanos() / 1e9)) + " per request");
            } else {
                int colon = connect.lastIndexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("--connect needs HOST:PORT\nusage: " + USAGE);
                }
                host = connect.substring(0, colon);
                port = Integer.parseInt(connect.substring(colon + 1));
            }

            long t0 = System.nanoTime();
            List<String> one = List.of(executeApiCall(host, port, "request0"), executeApiCall(host, port, "request1"));
            long sequential = System.nanoTime() - t0;
            out.accept(String.format(Locale.ROOT, "awaited one after another: %s in %.2f s", one, sequential / 1e9));

            t0 = System.nanoTime();
            Task<String> a = Async.spawn(() -> executeApiCall(host, port, "request0"));
            Task<String> b = Async.spawn(() -> executeApiCall(host, port, "request1"));
            List<String> two = Async.gather(a, b);
            long concurrent = System.nanoTime() - t0;
            out.accept(String.format(Locale.ROOT, "as two tasks:              %s in %.2f s", two, concurrent / 1e9));

            if (serving != null) {
                serving.cancel();
                server.close();
            }
            return new Timings(sequential, concurrent, one, two);
        });
    }

    /** The seed's execute_api_call: a socket of its own, one request, one response. */
    static String executeApiCall(String host, int port, String request) throws Exception {
        try (DatagramEndpoint sock = Net.openDatagram(DatagramOptions.connect(host, port))) {
            sock.send(request.getBytes(StandardCharsets.UTF_8));
            DatagramEndpoint.Datagram response = Async.withTimeout(Duration.ofSeconds(10), sock::receive);
            return new String(response.data(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The seed's server: every request is answered after {@code delay} (one second in the seed; the
     * demo runs it faster), by a task of its own.
     */
    static Void serve(DatagramEndpoint sock, Duration delay) throws Exception {
        for (;;) {
            DatagramEndpoint.Datagram request = sock.receive();
            Async.spawn(() -> {
                Async.sleep(delay);
                byte[] body = ("response for " + new String(request.data(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                sock.send(body, request.sender());
                return null;
            });
        }
    }
}
