package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.blockingServer;
import static io.jasyncio.net.NetTesting.openFds;
import static io.jasyncio.net.NetTesting.pattern;
import static io.jasyncio.net.NetTesting.peer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FaultsTest {

    @Test
    void connectionRefusedIsTypedAndLeaksNothing() throws Exception {
        int port;
        try (ServerSocket ss = blockingServer()) {
            port = ss.getLocalPort();
        }
        Async.run(() -> {
            assertThrows(ConnectionRefusedException.class, () -> Net.openConnection("127.0.0.1", port)); // warm-up
            long before = openFds();
            for (int i = 0; i < 20; i++) {
                ConnectionRefusedException e = assertThrows(ConnectionRefusedException.class,
                        () -> Net.openConnection("127.0.0.1", port));
                assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
            }
            assertEquals(before, openFds());
            return null;
        });
    }

    @Test
    void peerResetInTheMiddleOfARead() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch readerWaits = new CountDownLatch(1);
            peer(() -> {
                Socket s = ss.accept();
                s.getOutputStream().write("12345".getBytes(US_ASCII));
                readerWaits.await();
                NetTesting.reset(s);
                return null;
            });
            Async.run(() -> {
                StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort());
                assertArrayEquals("12345".getBytes(US_ASCII), c.reader().readExactly(5));
                Task<byte[]> reading = Async.spawn(() -> c.reader().readExactly(100));
                Async.yieldNow();
                Async.yieldNow(); // the reader is now waiting for readiness
                readerWaits.countDown();
                Throwable e = assertThrows(Throwable.class, reading::await);
                assertInstanceOf(ConnectionResetException.class, NetTesting.unwrap(e));
                assertFalse(c.channel().isOpen(), "the channel is closed after a reset");
                // Every later operation reports the same fault.
                assertThrows(ConnectionResetException.class, () -> c.reader().readUpTo(1));
                assertThrows(ConnectionResetException.class, () -> c.writer().write(new byte[1]));
                c.awaitClosed();
                return null;
            });
        }
    }

    @Test
    void peerResetInTheMiddleOfAWrite() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch writing = new CountDownLatch(1);
            peer(() -> {
                Socket s = ss.accept();
                writing.await();
                s.getInputStream().readNBytes(1000); // take a little, then abort
                NetTesting.reset(s);
                return null;
            });
            Async.run(() -> {
                StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort());
                byte[] chunk = pattern(64 * 1024, 1);
                writing.countDown();
                IOException e = assertThrows(IOException.class, () -> {
                    for (int i = 0; i < 10_000; i++) { // at most 640 MB: far beyond any socket buffer
                        c.writer().write(chunk);
                    }
                });
                assertInstanceOf(ConnectionResetException.class, e);
                assertThrows(ConnectionResetException.class, () -> c.writer().drain());
                c.awaitClosed();
                assertFalse(c.channel().isOpen());
                return null;
            });
        }
    }

    @Test
    void aResetWhileTheConnectIsFinishingIsTyped() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            Async.run(() -> {
                long before = openFds();
                for (int i = 0; i < 3; i++) {
                    ConnectionResetException e = connectIntoAReset(ss);
                    assertTrue(e.getMessage().contains("127.0.0.1:" + ss.getLocalPort()), e.getMessage());
                }
                assertEquals(before, openFds(), "nothing is left open");
                return null;
            });
        }
    }

    /** Connects to {@code ss}, whose peer accepts and resets at once, and finishes the connect only after the reset arrived. */
    private static ConnectionResetException connectIntoAReset(ServerSocket ss) throws Exception {
        CountDownLatch resetArrived = new CountDownLatch(1);
        CompletableFuture<Void> server = peer(() -> {
            Socket s = ss.accept(); // the handshake is done: the client's side is established
            int clientPort = s.getPort();
            NetTesting.reset(s);
            NetTesting.awaitLeftEstablished(clientPort, ss.getLocalPort());
            resetArrived.countDown();
            return null;
        });
        Task<StreamConnection> connecting = Async.spawn(() -> Net.openConnection("127.0.0.1", ss.getLocalPort()));
        Async.yieldNow();
        assertFalse(connecting.isDone(), "the connect is under way, waiting for its outcome");
        // Hold the loop until the reset has arrived: the connect then finishes after it.
        assertTrue(resetArrived.await(20, java.util.concurrent.TimeUnit.SECONDS));
        Throwable e = NetTesting.unwrap(assertThrows(Throwable.class, connecting::await));
        Async.await(server);
        return assertInstanceOf(ConnectionResetException.class, e, e::toString);
    }

    /** A server whose accept queue is full: our SYN goes unanswered, so the connect hangs (Linux). */
    private static ServerSocket fullBacklog(List<Socket> fillers) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(ss.getLocalSocketAddress(), 300);
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return ss; // the queue is full now
            }
        }
        throw new IllegalStateException("could not fill the accept queue");
    }

    @Test
    void connectTimeoutIsTypedAndLeaksNothing() throws Exception {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket ss = fullBacklog(fillers)) {
            Async.run(() -> {
                long before = openFds();
                long t0 = System.nanoTime();
                ConnectTimeoutException e = assertThrows(ConnectTimeoutException.class, () -> Net.openConnection(
                        "127.0.0.1", ss.getLocalPort(), ConnectOptions.defaults().connectTimeout(Duration.ofMillis(200))));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 190 && ms < 5000, ms + " ms");
                assertTrue(e.getMessage().contains("200"), e.getMessage());
                assertEquals(before, openFds());
                return null;
            });
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    @Test
    void cancellationDuringConnectClosesTheSocket() throws Exception {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket ss = fullBacklog(fillers)) {
            Async.run(() -> {
                long before = openFds();
                Task<StreamConnection> connecting = Async.spawn(() -> Net.openConnection("127.0.0.1", ss.getLocalPort()));
                Async.sleep(100);
                assertFalse(connecting.isDone());
                connecting.cancel();
                assertThrows(CancelledException.class, connecting::await);
                assertEquals(before, openFds());
                return null;
            });
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    @Test
    void cancellationDuringReadLosesNothing() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch cancelled = new CountDownLatch(1);
            peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write("par".getBytes(US_ASCII));
                    cancelled.await();
                    s.getOutputStream().write("tial\n".getBytes(US_ASCII));
                    s.getInputStream().read();
                }
                return null;
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    Task<byte[]> reading = Async.spawn(() -> c.reader().readLine());
                    Async.sleep(50);
                    reading.cancel();
                    assertThrows(CancelledException.class, reading::await);
                    cancelled.countDown();
                    assertEquals("partial", c.reader().readLine(US_ASCII));
                    assertTrue(c.channel().isOpen());
                }
                return null;
            });
        }
    }

    @Test
    void cancellationDuringWriteKeepsTheBytesQueued() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<byte[]> reader = peer(() -> {
                try (Socket s = ss.accept()) {
                    go.await();
                    return s.getInputStream().readAllBytes();
                }
            });
            int chunk = 256 * 1024;
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    int written = 0;
                    boolean cancelledOnce = false;
                    byte[] all = pattern(64 * chunk, 8);
                    for (int i = 0; i < 64 && !cancelledOnce; i++) {
                        int off = i * chunk;
                        Object r = Async.moveOnAfter(Duration.ofMillis(100), () -> {
                            c.writer().write(all, off, chunk);
                            return "written";
                        });
                        written += chunk;
                        if (r == null) {
                            cancelledOnce = true; // write was cut while waiting: its bytes stay queued
                        }
                    }
                    assertTrue(cancelledOnce, "the writer never had to wait");
                    go.countDown();
                    c.writer().flush();
                    c.close();
                    c.awaitClosed();
                    assertEquals(written, reader.get().length);
                }
                return null;
            });
            byte[] got = reader.get();
            assertArrayEquals(java.util.Arrays.copyOf(pattern(64 * chunk, 8), got.length), got);
        }
    }

    @Test
    void cancellationDuringDrainLeavesTheStreamUsable() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<byte[]> reader = peer(() -> {
                try (Socket s = ss.accept()) {
                    go.await();
                    return s.getInputStream().readAllBytes();
                }
            });
            byte[] data = pattern(16_000_000, 2);
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    c.writer().writeNowait(data);
                    Object r = Async.moveOnAfter(Duration.ofMillis(100), () -> {
                        c.writer().drain();
                        return "drained";
                    });
                    assertNull(r);
                    go.countDown();
                    c.writer().write("end".getBytes(US_ASCII));
                    c.writer().flush();
                }
                return null;
            });
            byte[] got = reader.get();
            assertEquals(data.length + 3, got.length);
            assertArrayEquals(data, java.util.Arrays.copyOf(got, data.length));
        }
    }

    @Test
    void closingLocallyWakesAWaitingReader() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch done = new CountDownLatch(1);
            peer(() -> {
                try (Socket s = ss.accept()) {
                    done.await();
                }
                return null;
            });
            Async.run(() -> {
                StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort());
                Task<byte[]> reading = Async.spawn(() -> c.reader().readUpTo(10));
                Async.sleep(20);
                c.close();
                assertInstanceOf(StreamClosedException.class, NetTesting.unwrap(assertThrows(Throwable.class, reading::await)));
                assertFalse(c.channel().isOpen());
                Async.yieldNow(); // the next select deregisters the cancelled key
                assertFalse(c.channel().isRegistered(), "the selection key is cancelled");
                done.countDown();
                return null;
            });
        }
    }

    @Test
    void serverClosedWhileHandlersRun() throws Exception {
        List<String> handlerEnds = new ArrayList<>();
        Async.run(() -> {
            StreamServer server = Net.startServer(conn -> {
                try {
                    String line;
                    while ((line = conn.reader().readLine(US_ASCII)) != null) {
                        conn.writer().write(line.toUpperCase() + "\n", US_ASCII);
                    }
                    handlerEnds.add("eof");
                } catch (CancelledException e) {
                    handlerEnds.add("cancelled");
                    throw e;
                }
            }, "127.0.0.1", 0);
            int port = server.port();
            CountDownLatch closed = new CountDownLatch(1);
            CompletableFuture<String> client = peer(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), US_ASCII));
                    s.getOutputStream().write("before\n".getBytes(US_ASCII));
                    String a = in.readLine();
                    closed.await();
                    s.getOutputStream().write("after\n".getBytes(US_ASCII));
                    String b = in.readLine();
                    String c = in.readLine(); // null once the server aborts us
                    return a + " " + b + " " + c;
                }
            });
            while (server.activeConnections() == 0) {
                Async.sleep(5);
            }
            server.close();
            assertFalse(server.isServing());
            // No new connections...
            assertThrows(ConnectionRefusedException.class, () -> Net.openConnection("127.0.0.1", port));
            // ...but the running handler goes on serving.
            closed.countDown();
            Task<Void> waiting = Async.spawn(() -> {
                server.awaitClosed();
                return null;
            });
            Async.sleep(100);
            assertFalse(waiting.isDone(), "awaitClosed waits for the handlers");
            assertEquals(1, server.activeConnections());
            server.abortClients();
            waiting.await();
            assertEquals(0, server.activeConnections());
            String got = Async.await(client);
            assertTrue(got.startsWith("BEFORE AFTER"), got);
            return null;
        });
        assertEquals(List.of("cancelled"), handlerEnds);
    }

    @Test
    void aHandlerThatThrowsIsReportedAndItsConnectionAborted() throws Exception {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        Async.run(EventLoop.builder().exceptionHandler((loop, report) -> reported.set(report.exception())), () -> {
            StreamServer server = Net.startServer(conn -> {
                conn.reader().readLine();
                throw new IllegalStateException("handler bug");
            }, "127.0.0.1", 0);
            CompletableFuture<Integer> client = peer(() -> {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.getOutputStream().write("x\n".getBytes(US_ASCII));
                    InputStream in = s.getInputStream();
                    try {
                        return in.read();
                    } catch (IOException reset) {
                        return -2;
                    }
                }
            });
            int r = Async.await(client);
            assertTrue(r == -1 || r == -2, "the connection was closed: " + r);
            server.close();
            server.awaitClosed();
            return null;
        });
        assertInstanceOf(IllegalStateException.class, reported.get());
        assertEquals("handler bug", reported.get().getMessage());
    }

    @Test
    void loopShutdownClosesServersAndConnections() throws Exception {
        long before = openFds();
        int[] port = new int[1];
        Async.run(() -> {
            StreamServer server = Net.startServer(conn -> conn.reader().readAll(), "127.0.0.1", 0);
            port[0] = server.port();
            StreamConnection c = Net.openConnection("127.0.0.1", server.port());
            while (server.activeConnections() == 0) {
                Async.sleep(5);
            }
            c.writer().write("hi".getBytes(US_ASCII));
            return null; // main ends: the loop cancels the accept task and the handler
        });
        // Our client connection was not closed by anyone, but the server's side and listener were.
        try (Socket s = new Socket()) {
            assertThrows(java.net.ConnectException.class, () -> s.connect(new InetSocketAddress("127.0.0.1", port[0]), 1000));
        }
        assertTrue(openFds() <= before + 1, "at most our own unclosed client socket remains: " + (openFds() - before));
        DataInputStream unused = null;
        assertNull(unused);
    }
}
