package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.blockingServer;
import static io.jasyncio.net.NetTesting.pattern;
import static io.jasyncio.net.NetTesting.peer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.lowlevel.Readiness;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The low-level operations (asyncio's loop.sock_*) and readiness callbacks, against blocking JDK peers. */
@Timeout(30)
class SocketsTest {

    @Test
    void acceptRecvIntoAndSendAll() throws Exception {
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            CompletableFuture<byte[]> client = peer(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write(pattern(200_000, 1));
                    s.shutdownOutput();
                    return s.getInputStream().readAllBytes();
                }
            });
            SocketChannel c = Sockets.accept(server);
            assertFalse(c.isBlocking());
            ByteBuffer buf = ByteBuffer.allocate(7000);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (int n; (n = Sockets.recvInto(c, buf.clear())) > 0; ) {
                got.write(buf.array(), 0, n);
            }
            assertArrayEquals(pattern(200_000, 1), got.toByteArray());
            Sockets.sendAll(c, ByteBuffer.wrap(pattern(3_000_000, 2)));
            Readiness.closeChannel(loop, c);
            Readiness.closeChannel(loop, server);
            assertArrayEquals(pattern(3_000_000, 2), Async.await(client));
            return null;
        });
    }

    @Test
    void connectAndRecv() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write("hello".getBytes(US_ASCII));
                    s.shutdownOutput();
                    s.getInputStream().read();
                }
                return null;
            });
            Async.run(() -> {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                Sockets.connect(c, ss.getLocalSocketAddress());
                assertTrue(c.isConnected());
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                for (byte[] b; (b = Sockets.recv(c, 2)).length > 0; ) {
                    assertTrue(b.length <= 2);
                    got.write(b);
                }
                assertEquals("hello", got.toString(US_ASCII));
                Readiness.closeChannel(Async.currentLoop(), c);
                return null;
            });
        }
    }

    @Test
    void connectRefusedIsTyped() throws Exception {
        int port;
        try (ServerSocket ss = blockingServer()) {
            port = ss.getLocalPort();
        }
        Async.run(() -> {
            SocketChannel c = SocketChannel.open();
            c.configureBlocking(false);
            assertThrows(ConnectionRefusedException.class, () -> Sockets.connect(c, new InetSocketAddress("127.0.0.1", port)));
            Readiness.closeChannel(Async.currentLoop(), c);
            return null;
        });
    }

    @Test
    void recvFromAndSendTo() throws Exception {
        try (DatagramSocket peerSocket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> echo = peer(() -> {
                DatagramPacket p = new DatagramPacket(new byte[100], 100);
                peerSocket.receive(p);
                byte[] reply = ("re:" + new String(p.getData(), 0, p.getLength(), US_ASCII)).getBytes(US_ASCII);
                peerSocket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                return null;
            });
            Async.run(() -> {
                DatagramChannel ch = DatagramChannel.open();
                ch.bind(new InetSocketAddress("127.0.0.1", 0));
                ch.configureBlocking(false);
                Sockets.sendTo(ch, ByteBuffer.wrap("ping".getBytes(US_ASCII)), peerSocket.getLocalSocketAddress());
                ByteBuffer in = ByteBuffer.allocate(100);
                SocketAddress from = Sockets.recvFrom(ch, in);
                assertEquals(peerSocket.getLocalSocketAddress(), from);
                assertEquals("re:ping", new String(in.array(), 0, in.position(), US_ASCII));
                Readiness.closeChannel(Async.currentLoop(), ch);
                return null;
            });
            echo.get();
        }
    }

    /** asyncio's add_reader / add_writer on a socket, with their removal. */
    @Test
    void readerAndWriterCallbacks() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CompletableFuture<String> server = peer(() -> {
                try (Socket s = ss.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] b = new byte[4];
                    in.readFully(b);
                    s.getOutputStream().write("pong".getBytes(US_ASCII));
                    in.read();
                    return new String(b, US_ASCII);
                }
            });
            Async.run(() -> {
                EventLoop loop = Async.currentLoop();
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                Sockets.connect(c, ss.getLocalSocketAddress());
                Promise<Void> wrote = new Promise<>();
                Promise<String> read = new Promise<>();
                int[] writerCalls = {0};
                Readiness.addWriter(loop, c, () -> {
                    writerCalls[0]++;
                    try {
                        c.write(ByteBuffer.wrap("ping".getBytes(US_ASCII)));
                    } catch (java.io.IOException e) {
                        wrote.fail(e);
                    }
                    assertTrue(Readiness.removeWriter(loop, c));
                    wrote.complete(null);
                });
                wrote.await();
                Readiness.addReader(loop, c, () -> {
                    ByteBuffer b = ByteBuffer.allocate(4);
                    try {
                        c.read(b);
                    } catch (java.io.IOException e) {
                        read.fail(e);
                    }
                    Readiness.removeReader(loop, c);
                    read.complete(new String(b.array(), 0, b.position(), US_ASCII));
                });
                assertEquals("pong", read.await());
                assertFalse(Readiness.removeReader(loop, c), "already removed");
                Async.sleep(20);
                assertEquals(1, writerCalls[0], "a removed writer is not called again");
                Readiness.closeChannel(loop, c);
                return null;
            });
            assertEquals("ping", server.get());
        }
    }

    @Test
    void closingTheChannelWakesAWaitingAccept() {
        Async.run(() -> {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            Task<SocketChannel> accepting = Async.spawn(() -> Sockets.accept(server));
            Async.yieldNow();
            Readiness.closeChannel(Async.currentLoop(), server);
            Throwable e = assertThrows(Throwable.class, accepting::await);
            assertInstanceOf(StreamClosedException.class, NetTesting.unwrap(e));
            return null;
        });
    }
}
