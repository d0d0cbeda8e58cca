package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.peer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DatagramTest {

    /** Our bound endpoint as a server; an independent blocking DatagramSocket as the client. */
    @Test
    void boundEndpointServesABlockingClient() throws Exception {
        String answer = Async.run(() -> {
            try (DatagramEndpoint server = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0))) {
                InetSocketAddress addr = (InetSocketAddress) server.localAddress();
                CompletableFuture<String> client = peer(() -> {
                    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                        byte[] req = "hello".getBytes(US_ASCII);
                        s.send(new DatagramPacket(req, req.length, addr));
                        DatagramPacket p = new DatagramPacket(new byte[100], 100);
                        s.receive(p);
                        return new String(p.getData(), 0, p.getLength(), US_ASCII);
                    }
                });
                DatagramEndpoint.Datagram d = server.receive();
                assertEquals("hello", new String(d.data(), US_ASCII));
                server.send(("response for " + new String(d.data(), US_ASCII)).getBytes(US_ASCII), d.sender());
                return Async.await(client);
            }
        });
        assertEquals("response for hello", answer);
    }

    /** Our connected endpoint as a client of an independent blocking server. */
    @Test
    void connectedEndpointTalksToOnePeer() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> server = peer(() -> {
                for (int i = 0; i < 3; i++) {
                    DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
                    s.receive(p);
                    s.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                }
                return null;
            });
            Async.run(() -> {
                try (DatagramEndpoint c = Net.openDatagram(DatagramOptions.connect("127.0.0.1", s.getLocalPort()))) {
                    assertEquals(s.getLocalSocketAddress(), c.remoteAddress());
                    c.send("one".getBytes(US_ASCII));
                    assertEquals("one", new String(c.receive().data(), US_ASCII));
                    byte[] big = NetTesting.pattern(60_000, 3);
                    c.send(big);
                    assertEquals(60_000, c.receive().data().length);
                    // Into a caller's buffer, truncated to its room as UDP does.
                    c.send("0123456789".getBytes(US_ASCII));
                    ByteBuffer small = ByteBuffer.allocate(4);
                    assertEquals(s.getLocalSocketAddress(), c.receive(small));
                    assertEquals("0123", new String(small.array(), US_ASCII));
                }
                return null;
            });
            server.get();
        }
    }

    @Test
    void unreachablePortOfAConnectedPeerIsReported() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Async.run(() -> {
            try (DatagramEndpoint c = Net.openDatagram(DatagramOptions.connect("127.0.0.1", port))) {
                c.send("anyone?".getBytes(US_ASCII));
                assertThrows(PortUnreachableException.class, c::receive);
            }
            return null;
        });
    }

    @Test
    void receiveCancelledOrClosedWhileWaiting() {
        Async.run(() -> {
            DatagramEndpoint e = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0));
            assertNull(Async.moveOnAfter(Duration.ofMillis(30), e::receive));
            // The cancelled wait left nothing behind: a datagram sent now is received.
            try (DatagramEndpoint other = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0))) {
                other.send("late".getBytes(US_ASCII), e.localAddress());
                assertEquals("late", new String(e.receive().data(), US_ASCII));
            }
            var self = e.localAddress();
            Task<DatagramEndpoint.Datagram> waiting = Async.spawn(e::receive);
            Async.yieldNow();
            e.close();
            assertInstanceOf(StreamClosedException.class, NetTesting.unwrap(assertThrows(Throwable.class, waiting::await)));
            assertThrows(StreamClosedException.class, () -> e.send(new byte[1], self));
            assertTrue(e.isClosed());
            return null;
        });
    }

    @Test
    void manyDatagramsBothWays() {
        Async.run(() -> {
            try (DatagramEndpoint a = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0));
                 DatagramEndpoint b = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0))) {
                Task<Integer> echo = Async.spawn(() -> {
                    int n = 0;
                    for (int i = 0; i < 200; i++) {
                        DatagramEndpoint.Datagram d = b.receive();
                        b.send(d.data(), d.sender());
                        n++;
                    }
                    return n;
                });
                for (int i = 0; i < 200; i++) {
                    byte[] msg = ("m" + i).getBytes(US_ASCII);
                    a.send(msg, b.localAddress());
                    assertEquals("m" + i, new String(a.receive().data(), US_ASCII));
                }
                assertEquals(200, echo.await());
            }
            return null;
        });
    }
    @Test
    void aDatagramLargerThanUdpCarriesIsRefusedTypedBeforeAnythingIsSent() {
        Async.run(() -> {
            for (String host : List.of("127.0.0.1", "::1")) {
                int limit = host.equals("::1") ? 65_527 : 65_507;
                try (DatagramEndpoint a = Net.openDatagram(DatagramOptions.bind(host, 0));
                     DatagramEndpoint b = Net.openDatagram(DatagramOptions.bind(host, 0))) {
                    SocketAddress to = b.localAddress();
                    DatagramTooLargeException e = assertThrows(DatagramTooLargeException.class,
                            () -> a.send(new byte[limit + 1], to));
                    assertEquals(limit + 1, e.size());
                    assertEquals(limit, e.limit());
                    assertTrue(e.getMessage().contains((limit + 1) + " bytes") && e.getMessage().contains(limit + " bytes"),
                            e.getMessage());
                    ByteBuffer big = ByteBuffer.allocateDirect(100_000);
                    assertThrows(DatagramTooLargeException.class, () -> a.send(big, to));
                    assertThrows(DatagramTooLargeException.class, () -> Sockets.sendTo(a.channel(), big, to));
                    assertEquals(100_000, big.remaining(), "nothing was taken from the buffer");

                    a.send(new byte[limit], to); // the largest there is
                    a.send("after".getBytes(US_ASCII), to);
                    assertEquals(limit, b.receive().data().length);
                    assertEquals("after", new String(b.receive().data(), US_ASCII), "nothing of the refused ones was sent");
                }
            }
            try (DatagramEndpoint b = Net.openDatagram(DatagramOptions.bind("127.0.0.1", 0));
                 DatagramEndpoint c = Net.openDatagram(DatagramOptions.connect("127.0.0.1",
                         ((InetSocketAddress) b.localAddress()).getPort()))) {
                assertEquals(65_507, assertThrows(DatagramTooLargeException.class, () -> c.send(new byte[65_508])).limit());
            }
            return null;
        });
    }

    @Test
    void anOperatingSystemRefusingADatagramAsTooLongIsTypedToo() {
        // An OS may carry less than UDP allows (macOS: 9,216 bytes by default), and a path MTU with
        // don't-fragment set less again; loopback has neither, so the mapping is checked directly.
        SocketException emsgsize = new SocketException("Message too long");
        DatagramTooLargeException e = assertInstanceOf(DatagramTooLargeException.class, Faults.onDatagramSend(emsgsize, 9_300));
        assertEquals(9_300, e.size());
        assertEquals(-1, e.limit(), "the OS's limit is not known");
        assertSame(emsgsize, e.getCause());
        assertTrue(e.getMessage().contains("9300 bytes"), e.getMessage());
        SocketException other = new SocketException("Network is unreachable");
        assertSame(other, Faults.onDatagramSend(other, 10));
    }
}
