package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopGroup;
import io.jasyncio.TaskGroup;
import io.jasyncio.net.tls.TlsConfig;
import io.jasyncio.sync.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GroupServerTest {

    private static final int CONNECTIONS = 1_000;
    private final List<ErrorReport> reports = new CopyOnWriteArrayList<>();

    private LoopGroup group(int n) {
        return LoopGroup.builder().loops(n).exceptionHandler((loop, r) -> reports.add(r)).build();
    }

    /** The thread running {@code loop}'s callbacks, by name, per loop (computed once per group). */
    private static Map<EventLoop, String> loopThreads(LoopGroup g) throws Exception {
        Map<EventLoop, String> names = new ConcurrentHashMap<>();
        for (EventLoop l : g.loops()) {
            java.util.concurrent.CompletableFuture<String> n = new java.util.concurrent.CompletableFuture<>();
            l.callSoonThreadsafe(() -> n.complete(Thread.currentThread().getName()));
            names.put(l, n.get());
        }
        return names;
    }

    /** An echo of the serving loop's index; records any handler that runs off its loop's thread. */
    private static ConnectionHandler whereAmI(LoopGroup g, Map<EventLoop, String> threads, List<String> strays) {
        return conn -> {
            EventLoop here = Async.currentLoop();
            Thread t = Thread.currentThread();
            boolean own = t.getName().equals(threads.get(here)) || (here.engineName().equals("portable") && t.isVirtual());
            if (!own || g.indexOf(here) < 0) {
                strays.add(t.getName() + " on " + here);
            }
            String line;
            while ((line = conn.reader().readLine(UTF_8)) != null) {
                conn.writer().write(g.indexOf(here) + " " + line + "\n", UTF_8);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Spread.class)
    void connectionsSpreadWithinTenPercentAndEachHandlerStaysOnItsLoopsThread(Spread spread) throws Exception {
        try (LoopGroup g = group(2)) {
            Map<EventLoop, String> threads = loopThreads(g);
            List<String> strays = new CopyOnWriteArrayList<>();
            GroupServer server = Net.startServer(g, whereAmI(g, threads, strays), "127.0.0.1", 0,
                    ServerOptions.defaults().spread(spread).backlog(CONNECTIONS));
            assertEquals(spread, server.spread());
            int[] answeredBy = openAllAndHold(server.port(), CONNECTIONS);
            long[] perLoop = server.connectionsPerLoop();
            assertEquals(CONNECTIONS, Arrays.stream(perLoop).sum());
            assertEquals(Arrays.stream(answeredBy).asLongStream().boxed().toList(), Arrays.stream(perLoop).boxed().toList(),
                    "the loops' own counts match the answers");
            // REUSE_PORT spreads by the kernel's hash of each connection's ports: binomial, sigma about
            // 16 at 1,000 over 2 loops, so 10% (50) is a 3-sigma bound (about 1 run in 600 misses it).
            // The acceptor strategies spread exactly.
            double mean = CONNECTIONS / 2.0;
            for (long c : perLoop) {
                assertTrue(Math.abs(c - mean) <= 0.1 * mean, spread + ": " + Arrays.toString(perLoop) + " is not within 10%");
            }
            assertEquals(List.of(), strays, "handlers ran only on their loop's thread");
            server.close();
            server.awaitClosed();
        }
        assertEquals(List.of(), reports);
    }

    /** Opens {@code n} connections at once, each asks which loop serves it, all held open until all have answered. */
    private static int[] openAllAndHold(int port, int n) {
        return Async.run(() -> {
            int[] counts = new int[2];
            Event allAnswered = new Event();
            int[] answered = {0};
            try (TaskGroup tg = Async.taskGroup()) {
                for (int i = 0; i < n; i++) {
                    tg.spawn(() -> {
                        try (StreamConnection c = Net.openConnection("127.0.0.1", port)) {
                            c.writer().write("hello\n", UTF_8);
                            String reply = c.reader().readLine(UTF_8);
                            counts[Integer.parseInt(reply.substring(0, reply.indexOf(' ')))]++;
                            if (++answered[0] == n) {
                                allAnswered.set();
                            }
                            allAnswered.await(); // held open: least-loaded sees every connection at once
                        }
                        return null;
                    });
                }
            }
            return counts;
        });
    }

    @Test
    void aUnixServerOverAGroupHandsConnectionsRoundRobin() throws Exception {
        Path dir = Files.createTempDirectory("jasyncio-group");
        Path path = dir.resolve("s.sock");
        try (LoopGroup g = group(2)) {
            Map<EventLoop, String> threads = loopThreads(g);
            List<String> strays = new CopyOnWriteArrayList<>();
            assertThrows(IllegalArgumentException.class, () -> Net.startUnixServer(g, whereAmI(g, threads, strays), path,
                    ServerOptions.defaults().spread(Spread.REUSE_PORT)));
            GroupServer server = Net.startUnixServer(g, whereAmI(g, threads, strays), path, ServerOptions.defaults());
            List<String> replies = Async.run(() -> {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    try (StreamConnection c = Net.openUnixConnection(path)) {
                        c.writer().write("u\n", UTF_8);
                        out.add(c.reader().readLine(UTF_8));
                    }
                }
                return out;
            });
            assertEquals(List.of("0 u", "1 u", "0 u", "1 u", "0 u", "1 u", "0 u", "1 u", "0 u", "1 u"), replies);
            assertEquals(List.of(), strays);
        }
        assertTrue(Files.notExists(path), "the group's shutdown closed the server and removed its socket file");
        Files.delete(dir);
        assertEquals(List.of(), reports);
    }

    @ParameterizedTest
    @EnumSource(value = Spread.class, names = {"REUSE_PORT", "ROUND_ROBIN"})
    void tlsServersSpreadToo(Spread spread) throws Exception {
        TestCerts certs = TestCerts.get();
        try (LoopGroup g = group(2)) {
            Map<EventLoop, String> threads = loopThreads(g);
            List<String> strays = new CopyOnWriteArrayList<>();
            GroupServer server = Net.startServer(g, whereAmI(g, threads, strays), "127.0.0.1", 0, ServerOptions.defaults()
                    .spread(spread).tls(TlsConfig.server(certs.serverContext())));
            int[] byLoop = Async.run(() -> {
                int[] counts = new int[2];
                for (int i = 0; i < 40; i++) {
                    try (StreamConnection c = Net.openConnection("127.0.0.1", server.port(), ConnectOptions.defaults()
                            .tls(TlsConfig.client(certs.clientContext()).serverName("localhost")))) {
                        c.writer().write("secret\n", UTF_8);
                        String reply = c.reader().readLine(UTF_8);
                        assertTrue(reply.endsWith(" secret"), reply);
                        counts[reply.charAt(0) - '0']++;
                    }
                }
                return counts;
            });
            assertTrue(byLoop[0] > 0 && byLoop[1] > 0, "TLS connections on both loops: " + Arrays.toString(byLoop));
            assertEquals(List.of(), strays);
        }
        assertEquals(List.of(), reports);
    }

    @Test
    void datagramEndpointsPerLoopShareAPortWithReusePort() throws Exception {
        try (LoopGroup g = group(2)) {
            GroupDatagrams udp = Net.openDatagrams(g, DatagramOptions.bind("127.0.0.1", 0), (ep, index) -> {
                while (true) {
                    DatagramEndpoint.Datagram d = ep.receive();
                    ep.send((index + " " + new String(d.data(), UTF_8)).getBytes(UTF_8), d.sender());
                }
            });
            int[] byLoop = Async.run(() -> {
                int[] counts = new int[2];
                for (int i = 0; i < 64; i++) { // 64 senders, each its own source port
                    try (DatagramEndpoint client = Net.openDatagram(DatagramOptions.connect("127.0.0.1", udp.port()))) {
                        client.send(("ping " + i).getBytes(UTF_8));
                        String reply = new String(Async.withTimeout(Duration.ofSeconds(10), client::receive).data(), UTF_8);
                        assertTrue(reply.endsWith(" ping " + i), reply);
                        counts[reply.charAt(0) - '0']++;
                    }
                }
                return counts;
            });
            assertTrue(byLoop[0] > 0 && byLoop[1] > 0, "datagrams reached both loops: " + Arrays.toString(byLoop));
        }
        assertEquals(List.of(), reports);
    }

    @Test
    void groupShutdownClosesTheServerAndLeavesNoDescriptor() throws Exception {
        shutdownWithOpenConnections(); // warm-up: the JDK opens a few descriptors of its own on first use
        Map<String, String> before = descriptors();
        shutdownWithOpenConnections();
        Map<String, String> after = descriptors();
        after.keySet().removeAll(before.keySet());
        assertEquals(Map.of(), after, "descriptors left behind");
        assertEquals(List.of(), reports);
    }

    private static Map<String, String> descriptors() throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : fds.toList()) {
                try {
                    out.put(p.getFileName().toString(), Files.readSymbolicLink(p).toString());
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return out;
    }

    private void shutdownWithOpenConnections() throws Exception {
        int port;
        try (LoopGroup g = group(2)) {
            GroupServer server = Net.startServer(g, conn -> conn.reader().transferTo(conn.writer()), "127.0.0.1", 0,
                    ServerOptions.defaults().spread(Spread.LEAST_LOADED));
            port = server.port();
            List<StreamConnection> open = new ArrayList<>();
            EventLoop client = EventLoop.builder().build();
            client.runUntilComplete(() -> {
                for (int i = 0; i < 20; i++) {
                    StreamConnection c = Net.openConnection("127.0.0.1", port);
                    c.writer().write("x\n", UTF_8);
                    c.reader().readLine(UTF_8);
                    open.add(c); // left open: the group's shutdown must end their handlers
                }
                return null;
            });
            g.close();
            client.runUntilComplete(() -> {
                for (StreamConnection c : open) {
                    c.abort();
                }
                return null;
            });
            client.close();
        }
        java.util.concurrent.CompletionException refused = assertThrows(java.util.concurrent.CompletionException.class,
                () -> Async.run(() -> Net.openConnection("127.0.0.1", port)));
        assertTrue(refused.getCause() instanceof ConnectionRefusedException, refused.toString());
    }
}
