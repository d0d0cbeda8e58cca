package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import io.jasyncio.net.DatagramEndpoint;
import io.jasyncio.net.DatagramOptions;
import io.jasyncio.net.Net;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./jasyncio example udp-requests [--connect HOST:PORT]}: the seed article's client, which
 * sends two requests to a UDP server that takes one second to answer each. Awaited one after the
 * other they take about two seconds; as two tasks, about one, on one thread. Without
 * {@code --connect} the example runs that server itself, on the same loop (each request answered
 * by its own task after a one-second sleep, so requests overlap as the seed's two processes do);
 * with it, the client talks to the server at HOST:PORT, which answers "response for " + request.
 */
public final class UdpRequestsExample {

    /**
     * {@code ./jasyncio example udp-requests} by class name.
     *
     * @param args {@code [--connect HOST:PORT]}
     */
    public static void main(String[] args) {
        Main.mainOf("udp-requests", args);
    }

    /** {@code ./jasyncio example udp-requests [--connect HOST:PORT]}. */
    static void cli(Settings s, Args a) {
        InetSocketAddress connect = a.hostAndPort("connect");
        run(connect == null ? null : connect.getHostString(), connect == null ? 0 : connect.getPort(), Duration.ofSeconds(1),
                s.out());
    }

    /** Both timings, and what each way received. */
    record Timings(long sequentialNanos, long concurrentNanos, List<String> sequential, List<String> concurrent) {
    }

    /** How long a request waits for its response before the example gives up on the server. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The example: against the server at {@code host:port}, or, if {@code host} is null, against
     * its own server answering each request after {@code delay}; prints to {@code out}.
     *
     * @throws ExampleFailure if the server does not answer
     */
    static Timings run(String host, int port, Duration delay, java.util.function.Consumer<String> out) {
        return Async.run(() -> {
            String h = host;
            int p = port;
            DatagramEndpoint server = null;
            Task<Void> serving = null;
            if (host == null) {
                server = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0));
                InetSocketAddress a = (InetSocketAddress) server.localAddress();
                h = a.getHostString();
                p = a.getPort();
                DatagramEndpoint s = server;
                serving = Async.spawn("udp-server", () -> serve(s, delay));
                out.accept("server: answering on " + Addresses.of(a) + ", " + (delay.equals(Duration.ofSeconds(1)) ? "one second"
                        : String.format(Locale.ROOT, "%.2f s", delay.toNanos() / 1e9)) + " per request");
            }
            String toHost = h;
            int toPort = p;

            long t0 = System.nanoTime();
            List<String> one = List.of(call(toHost, toPort, "request0"), call(toHost, toPort, "request1"));
            long sequential = System.nanoTime() - t0;
            out.accept(String.format(Locale.ROOT, "awaited one after another: %s in %.2f s", one, sequential / 1e9));

            // A task group rather than two bare tasks and gather: if one call fails, the other is
            // stopped and its failure collected too, instead of being left for the loop to report.
            t0 = System.nanoTime();
            Task<String> a, b;
            try (TaskGroup group = Async.taskGroup()) {
                a = group.spawn(() -> call(toHost, toPort, "request0"));
                b = group.spawn(() -> call(toHost, toPort, "request1"));
            } catch (TaskGroupException e) {
                throw e.exceptions().get(0) instanceof ExampleFailure f ? f : e;
            }
            List<String> two = List.of(a.resultNow(), b.resultNow());
            long concurrent = System.nanoTime() - t0;
            out.accept(String.format(Locale.ROOT, "as two tasks:              %s in %.2f s", two, concurrent / 1e9));

            if (serving != null) {
                serving.cancel();
                server.close();
            }
            return new Timings(sequential, concurrent, one, two);
        });
    }

    /** {@link #executeApiCall}, its failures put into words. */
    private static String call(String host, int port, String request) {
        String at = Addresses.of(host, port);
        try {
            return executeApiCall(host, port, request);
        } catch (AsyncTimeoutException e) {
            throw new ExampleFailure("no response from " + at + " within " + RESPONSE_TIMEOUT.toSeconds() + " s; is the"
                    + " server running there? (Without --connect the example runs its own.)", e);
        } catch (PortUnreachableException e) {
            throw new ExampleFailure("nothing listens on " + at + " (port unreachable); start the server there, or run"
                    + " without --connect to use the example's own", e);
        } catch (UnknownHostException e) {
            throw new ExampleFailure("cannot resolve the host '" + host + "'; check --connect", e);
        } catch (IOException e) {
            throw new ExampleFailure("request to " + at + " failed: " + e.getMessage() + "; check --connect", e);
        }
    }

    /** The seed's execute_api_call: a socket of its own, one request, one response. */
    static String executeApiCall(String host, int port, String request) throws IOException {
        try (DatagramEndpoint sock = Net.openDatagram(DatagramOptions.connect(host, port))) {
            sock.send(request.getBytes(StandardCharsets.UTF_8));
            DatagramEndpoint.Datagram response = Async.withTimeout(RESPONSE_TIMEOUT, sock::receive);
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
