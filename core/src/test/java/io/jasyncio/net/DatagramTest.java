package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.peer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.time.Duration;
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
}
