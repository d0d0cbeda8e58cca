package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.lowlevel.Readiness;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IoReadinessTest {

    /** Our coroutine server against a plain blocking JDK client on another thread. */
    @Test
    void acceptReadWriteAgainstABlockingClient() throws Exception {
        String echoed = Async.run(() -> {
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress("127.0.0.1", 0));
                server.configureBlocking(false);
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        OutputStream out = s.getOutputStream();
                        out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        InputStream in = s.getInputStream();
                        return new String(in.readNBytes(5), StandardCharsets.US_ASCII);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                SocketChannel conn;
                while ((conn = server.accept()) == null) {
                    Readiness.waitReadable(server);
                }
                conn.configureBlocking(false);
                ByteBuffer buf = ByteBuffer.allocate(64);
                while (buf.position() < 5) {
                    if (conn.read(buf) == 0) {
                        Readiness.waitReadable(conn);
                    }
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    if (conn.write(buf) == 0) {
                        Readiness.waitWritable(conn);
                    }
                }
                String got = Async.await(client);
                Readiness.closeChannel(Async.currentLoop(), conn);
                return got;
            }
        });
        assertEquals("ping\n", echoed);
    }

    @Test
    void cancellingAReadWaitRemovesIt() throws Exception {
        Async.run(() -> {
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            // Nothing is ever written: the wait can only end by cancellation.
            Object r = Async.moveOnAfter(Duration.ofMillis(20), () -> {
                Readiness.waitReadable(pipe.source());
                return "read";
            });
            assertEquals(null, r);
            // The registration was released: a new wait is allowed (no "already waiting" error).
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            Readiness.waitReadable(pipe.source());
            EventLoop loop = Async.currentLoop();
            Readiness.closeChannel(loop, pipe.source());
            pipe.sink().close();
            return null;
        });
    }

    @Test
    void closeChannelWakesTheWaiterWithATypedError() throws Exception {
        Async.run(() -> {
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            Task<Object> reader = Async.spawn(() -> {
                Readiness.waitReadable(pipe.source());
                return null;
            });
            Async.yieldNow();
            Readiness.closeChannel(Async.currentLoop(), pipe.source());
            assertThrows(ChannelClosedException.class, reader::await);
            assertFalse(pipe.source().isOpen());
            pipe.sink().close();
            return null;
        });
    }

    @Test
    void twoReadersOnOneChannelIsAnError() throws Exception {
        Async.run(() -> {
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            Task<Object> first = Async.spawn(() -> {
                Readiness.waitReadable(pipe.source());
                return null;
            });
            Async.yieldNow();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Readiness.waitReadable(pipe.source()));
            assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
            first.cancel();
            Readiness.closeChannel(Async.currentLoop(), pipe.source());
            pipe.sink().close();
            return null;
        });
    }

    @Test
    void blockingChannelIsRejected() throws Exception {
        Async.run(() -> {
            Pipe pipe = Pipe.open();
            assertThrows(IllegalArgumentException.class, () -> Readiness.waitReadable(pipe.source()));
            pipe.source().close();
            pipe.sink().close();
            return null;
        });
    }

    @Test
    void readerCallbackRunsOnEachReadinessUntilRemoved() throws Exception {
        List<Integer> seen = new ArrayList<>();
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            Promise<Void> gotThree = new Promise<>();
            ByteBuffer one = ByteBuffer.allocate(1);
            Readiness.addReader(loop, pipe.source(), () -> {
                try {
                    one.clear();
                    while (pipe.source().read(one) > 0) {
                        seen.add((int) one.get(0));
                        one.clear();
                    }
                } catch (Exception e) {
                    gotThree.fail(e);
                }
                if (seen.size() == 3) {
                    gotThree.complete(null);
                }
            });
            for (int i = 1; i <= 3; i++) {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {(byte) i}));
                Async.sleep(Duration.ofMillis(1));
            }
            gotThree.await(Duration.ofSeconds(10));
            assertTrue(Readiness.removeReader(loop, pipe.source()));
            assertFalse(Readiness.removeReader(loop, pipe.source()));
            Readiness.closeChannel(loop, pipe.source());
            pipe.sink().close();
            return null;
        });
        assertEquals(List.of(1, 2, 3), seen);
    }
}
