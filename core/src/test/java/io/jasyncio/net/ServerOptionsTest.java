package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server settings: an already bound channel, SO_REUSEPORT, all interfaces, serveForever. */
@Timeout(30)
class ServerOptionsTest {

    @Test
    void serverOnAnAlreadyBoundChannel() {
        String got = Async.run(() -> {
            ServerSocketChannel bound = ServerSocketChannel.open();
            bound.bind(new InetSocketAddress("127.0.0.1", 0));
            StreamServer server = Net.startServer(conn -> conn.writer().write("bound\n", US_ASCII), bound, ServerOptions.defaults());
            assertEquals(bound.getLocalAddress(), server.addresses().get(0));
            try (StreamConnection c = Net.openConnection("127.0.0.1", server.port())) {
                String line = c.reader().readLine(US_ASCII);
                server.close();
                assertFalse(bound.isOpen(), "the server owns the channel and closed it");
                return line;
            }
        });
        assertEquals("bound", got);
    }

    /** Two servers share one port with SO_REUSEPORT; the kernel spreads connections over both. */
    @Test
    void reusePortLetsTwoServersShareAPort() {
        Set<String> answeredBy = Async.run(() -> {
            ServerOptions o = ServerOptions.defaults().reusePort(true);
            StreamServer a = Net.startServer(conn -> conn.writer().write("a\n", US_ASCII), "127.0.0.1", 0, o);
            StreamServer b = Net.startServer(conn -> conn.writer().write("b\n", US_ASCII), "127.0.0.1", a.port(), o);
            assertEquals(a.port(), b.port());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 200 && seen.size() < 2; i++) {
                try (StreamConnection c = Net.openConnection("127.0.0.1", a.port())) {
                    seen.add(c.reader().readLine(US_ASCII));
                }
            }
            a.close();
            b.close();
            return seen;
        });
        assertEquals(Set.of("a", "b"), answeredBy);
    }

    @Test
    void withoutReusePortASecondBindFails() {
        Async.run(() -> {
            StreamServer a = Net.startServer(conn -> { }, "127.0.0.1", 0);
            assertThrows(java.net.BindException.class, () -> Net.startServer(conn -> { }, "127.0.0.1", a.port()));
            a.close();
            return null;
        });
    }

    @Test
    void allInterfacesWhenNoHost() {
        Async.run(() -> {
            StreamServer s = Net.startServer(conn -> conn.writer().write("any\n", US_ASCII), null, 0);
            List<SocketAddress> addrs = s.addresses();
            assertEquals(1, addrs.size());
            assertTrue(((InetSocketAddress) addrs.get(0)).getAddress().isAnyLocalAddress(), addrs.toString());
            try (StreamConnection c = Net.openConnection("127.0.0.1", s.port())) {
                assertEquals("any", c.reader().readLine(US_ASCII));
            }
            try (StreamConnection c = Net.openConnection("::1", s.port())) {
                assertEquals("any", c.reader().readLine(US_ASCII));
            }
            s.close();
            return null;
        });
    }

    @Test
    void serveForeverEndsWithCloseAndCancellationClosesTheServer() {
        Async.run(() -> {
            StreamServer s = Net.startServer(conn -> conn.reader().readAll(), "127.0.0.1", 0);
            Task<Void> serving = Async.spawn(() -> {
                s.serveForever();
                return null;
            });
            Async.yieldNow();
            assertFalse(serving.isDone());
            s.close();
            serving.await(); // returns once closed

            StreamServer t = Net.startServer(conn -> conn.reader().readAll(), "127.0.0.1", 0);
            StreamConnection idle = Net.openConnection("127.0.0.1", t.port());
            Task<Void> serving2 = Async.spawn(() -> {
                t.serveForever();
                return null;
            });
            while (t.activeConnections() == 0) {
                Async.yieldNow();
            }
            serving2.cancel();
            assertThrows(CancelledException.class, serving2::await);
            assertFalse(t.isServing(), "cancelling serveForever closes the server");
            t.awaitClosed(); // and aborts its clients
            assertEquals(0, idle.reader().readAll().length, "our idle client sees the end of the stream");
            idle.close();
            return null;
        });
    }

    /** ConnectOptions.localAddress binds our end before connecting (asyncio's local_addr). */
    @Test
    void clientLocalAddressIsBound() {
        Async.run(() -> {
            StreamServer s = Net.startServer(conn -> conn.writer().write(conn.remoteAddress().toString() + "\n", US_ASCII),
                    "127.0.0.1", 0);
            try (StreamConnection c = Net.openConnection("127.0.0.1", s.port(),
                    ConnectOptions.defaults().localAddress(new InetSocketAddress("127.0.0.3", 0)))) {
                InetSocketAddress local = (InetSocketAddress) c.localAddress();
                assertEquals("127.0.0.3", local.getAddress().getHostAddress());
                assertEquals(local.toString(), c.reader().readLine(US_ASCII), "the server saw our bound address");
            }
            s.close();
            return null;
        });
    }

    /** Two UDP endpoints share a port with SO_REUSEPORT. */
    @Test
    void datagramReusePort() {
        Async.run(() -> {
            try (DatagramEndpoint a = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0).reusePort(true))) {
                int port = ((InetSocketAddress) a.localAddress()).getPort();
                try (DatagramEndpoint b = Net.openDatagram(DatagramOptions.bind("127.0.0.1", port).reusePort(true).broadcast(true))) {
                    assertEquals(port, ((InetSocketAddress) b.localAddress()).getPort());
                    assertTrue(b.channel().getOption(java.net.StandardSocketOptions.SO_BROADCAST));
                }
                assertThrows(java.net.BindException.class, () -> Net.openDatagram(DatagramOptions.bind("127.0.0.1", port)));
            }
            return null;
        });
    }

    /** A host with several addresses: one listener on each, all on the one port the OS picked first. */
    @Test
    void everyAddressOfTheHostListensOnOnePort() {
        Async.run(() -> {
            Resolver two = host -> List.of(java.net.InetAddress.getByName("127.0.0.1"), java.net.InetAddress.getByName("127.0.0.2"));
            StreamServer s = Net.startServer(conn -> conn.writer().write("hi\n", US_ASCII), "two.test", 0,
                    ServerOptions.defaults().resolver(two));
            assertEquals(2, s.addresses().size());
            int port = s.port();
            for (SocketAddress a : s.addresses()) {
                assertEquals(port, ((InetSocketAddress) a).getPort(), s.addresses().toString());
                try (StreamConnection c = Net.openConnection(((InetSocketAddress) a).getAddress().getHostAddress(), port)) {
                    assertEquals("hi", c.reader().readLine(US_ASCII));
                }
            }
            s.close();
            return null;
        });
    }
}
