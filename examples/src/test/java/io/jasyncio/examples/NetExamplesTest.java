package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.StreamServer;
import io.jasyncio.net.tls.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The networking examples, run in-process on loopback, also against peers that are not ours. */
@Timeout(60)
class NetExamplesTest {

    private static String capture(ThrowingRunnable r) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static double seconds(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + ".* in ([0-9.]+) s").matcher(out);
        assertTrue(m.find(), "no '" + label + "' line in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    /** Real time, because the point is the wall-clock difference: about 2 s awaited in turn, about 1 s as tasks. */
    @Test
    void udpRequestsWithItsOwnServer() throws Exception {
        String out = capture(() -> UdpRequestsExample.main(new String[0]));
        assertTrue(out.contains("[response for request0, response for request1]"), out);
        double sequential = seconds(out, "awaited one after another");
        double concurrent = seconds(out, "as two tasks");
        assertTrue(sequential >= 1.95 && sequential < 3.5, out);
        assertTrue(concurrent >= 0.95 && concurrent < 1.9, out);
    }

    /** The seed's server, as a plain blocking program (a thread per request, one second each): not ours. */
    @Test
    void udpRequestsAgainstAnIndependentServer() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 4; i++) {
                        DatagramPacket p = new DatagramPacket(new byte[1024], 1024);
                        server.receive(p);
                        new Thread(() -> {
                            try {
                                Thread.sleep(1000); // the seed server's one second of work per request
                                byte[] r = ("response for " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                                        .getBytes(StandardCharsets.UTF_8);
                                server.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                            } catch (Exception ignored) {
                                // the test fails on its own if a response is missing
                            }
                        }).start();
                    }
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            t.setDaemon(true);
            t.start();
            String out = capture(() -> UdpRequestsExample.main(new String[] {"--connect", "127.0.0.1:" + server.getLocalPort()}));
            assertTrue(out.contains("[response for request0, response for request1]"), out);
            assertTrue(seconds(out, "as two tasks") < 1.9, out);
            assertTrue(seconds(out, "awaited one after another") >= 1.95, out);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** echo-server and echo-client, plain and TLS; the server is stopped by the test. */
    @Test
    void echoServerAndClient() throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            int port = freePort();
            CompletableFuture<StreamServer> started = new CompletableFuture<>();
            List<String> said = new CopyOnWriteArrayList<>();
            Thread serverThread = new Thread(() -> {
                try {
                    EchoServerExample.serve("127.0.0.1", port, tls, started::complete, said::add);
                } catch (Exception e) {
                    started.completeExceptionally(e);
                }
            });
            serverThread.start();
            StreamServer server = started.get(30, TimeUnit.SECONDS);
            assertEquals(List.of("echo server listening on 127.0.0.1:" + port + (tls ? " (TLS)" : "") + "; Ctrl-C to stop"), said);
            try {
                ConnectOptions options = ConnectOptions.defaults();
                if (tls) {
                    options.tls(TlsConfig.insecureClient());
                }
                // The run's time includes the TLS handshakes, which on a busy 2-core machine took most
                // of a 0.5 s run once: what is checked is that bytes flow and come back intact.
                String summary = EchoClientExample.measure("127.0.0.1", port, 5, 3000, 1.0, options);
                Matcher m = Pattern.compile("conns=5 size=3000 messages=(\\d+) .*msgs_per_s=(\\d+)").matcher(summary);
                assertTrue(m.find(), summary);
                assertTrue(Long.parseLong(m.group(1)) > 0, summary);
            } finally {
                server.loop().callSoonThreadsafe(server::close);
                serverThread.join(10_000);
            }
            assertTrue(!serverThread.isAlive(), "the server stopped");
        }
    }

    /** echo-client against the plain NIO echo server: a server that is not ours. */
    @Test
    void echoClientAgainstThePlainNioServer() throws Exception {
        java.nio.channels.ServerSocketChannel bound = java.nio.channels.ServerSocketChannel.open();
        bound.bind(new java.net.InetSocketAddress("127.0.0.1", 0)); // listening from here on: no race with the client
        int port = ((java.net.InetSocketAddress) bound.getLocalAddress()).getPort();
        Thread nio = new Thread(() -> {
            try {
                PlainNioEchoServer.serve(bound);
            } catch (Exception ignored) {
                // ends when interrupted
            }
        });
        nio.start();
        try {
            String summary = EchoClientExample.measure("127.0.0.1", port, 3, 1000, 0.3, ConnectOptions.defaults());
            assertTrue(summary.contains("conns=3 size=1000"), summary);
        } finally {
            nio.interrupt();
            nio.join(10_000);
        }
        assertTrue(!nio.isAlive() && !bound.isOpen(), "the plain server stopped");
    }
}
