package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.blockingServer;
import static io.jasyncio.net.NetTesting.pattern;
import static io.jasyncio.net.NetTesting.peer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StreamsTest {

    /** Our server, an independent blocking JDK client. */
    @Test
    void echoServerAgainstBlockingClient() {
        List<String> got = Async.run(() -> {
            StreamServer server = Net.startServer(conn -> {
                String line;
                while ((line = conn.reader().readLine(UTF_8)) != null) {
                    conn.writer().write("echo " + line + "\n", UTF_8);
                }
            }, "127.0.0.1", 0);
            int port = server.port();
            CompletableFuture<List<String>> client = peer(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                    List<String> lines = new ArrayList<>();
                    for (String w : new String[] {"one", "two", "héllo"}) {
                        out.write((w + "\n").getBytes(UTF_8));
                        lines.add(in.readLine());
                    }
                    return lines;
                }
            });
            List<String> lines = Async.await(client);
            server.close();
            server.awaitClosed();
            return lines;
        });
        assertEquals(List.of("echo one", "echo two", "echo héllo"), got);
    }

    /** Our client, an independent blocking JDK server: every reader method. */
    @Test
    void readerMethodsAgainstBlockingServer() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CompletableFuture<Void> server = peer(() -> {
                try (Socket s = ss.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write("line one\r\nline two\nabc|def|".getBytes(US_ASCII));
                    out.write(pattern(100_000, 1));
                    out.write("tail".getBytes(US_ASCII));
                    out.flush();
                    s.shutdownOutput();
                    assertEquals(-1, s.getInputStream().read());
                }
                return null;
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    StreamReader r = c.reader();
                    assertEquals(StreamReader.DEFAULT_LIMIT, r.limit());
                    assertEquals("line one", r.readLine(UTF_8));
                    assertArrayEquals("line two\n".getBytes(US_ASCII), r.readLine());
                    assertArrayEquals("abc|".getBytes(US_ASCII), r.readUntil("|".getBytes(US_ASCII)));
                    assertArrayEquals("def|".getBytes(US_ASCII), r.readUntil("|".getBytes(US_ASCII)));
                    assertArrayEquals(pattern(100_000, 1), r.readExactly(100_000)); // beyond the limit is fine
                    byte[] two = r.readUpTo(2);
                    assertTrue(two.length >= 1 && two.length <= 2);
                    byte[] rest = r.readAll();
                    assertEquals("tail", new String(two, US_ASCII) + new String(rest, US_ASCII));
                    assertTrue(r.atEof());
                    assertEquals(0, r.readUpTo(10).length);
                    assertEquals(-1, r.read(new byte[10]));
                    assertNull(r.readLine(UTF_8));
                    assertEquals(0, r.readLine().length);
                }
                return null;
            });
            server.get();
        }
    }

    @Test
    void readExactlyAtEofCarriesThePartialBytes() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write("abc".getBytes(US_ASCII));
                }
                return null;
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> c.reader().readExactly(10));
                    assertArrayEquals("abc".getBytes(US_ASCII), e.partial());
                    assertEquals(10, e.expected());
                    assertTrue(c.reader().atEof());
                    IncompleteReadException e2 = assertThrows(IncompleteReadException.class,
                            () -> c.reader().readUntil(new byte[] {'\n'}));
                    assertEquals(0, e2.partial().length);
                }
                return null;
            });
        }
    }

    @Test
    void readUntilAtEofCarriesWhatWasBuffered() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write("no separator here".getBytes(US_ASCII));
                }
                return null;
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    IncompleteReadException e = assertThrows(IncompleteReadException.class,
                            () -> c.reader().readUntil("\r\n".getBytes(US_ASCII)));
                    assertEquals("no separator here", new String(e.partial(), US_ASCII));
                    assertEquals(-1, e.expected());
                }
                return null;
            });
        }
    }

    @Test
    void limitOverrunLeavesTheDataBuffered() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write("0123456789abcdefghij\nshort\nxy".getBytes(US_ASCII));
                    s.getInputStream().read();
                }
                return null;
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort(), ConnectOptions.defaults().limit(8))) {
                    StreamReader r = c.reader();
                    LimitOverrunException e = assertThrows(LimitOverrunException.class, r::readLine);
                    assertEquals(8, e.consumed());
                    assertEquals(8, r.buffered());
                    // Nothing was lost: the long line is still there to read another way.
                    assertEquals("0123456789abcdefghij\n", new String(r.readExactly(21), US_ASCII));
                    assertEquals("short", r.readLine(US_ASCII));
                    assertArrayEquals("xy".getBytes(US_ASCII), r.readExactly(2));
                }
                return null;
            });
        }
    }

    /**
     * A readExactly cancelled while waiting gives its bytes back to the buffer; here that puts more
     * than the limit in the buffer, so a separator beyond the limit is an overrun too.
     */
    @Test
    void cancelledReadExactlyLosesNothing() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch done = new CountDownLatch(1);
            peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write("abcdefghij|x".getBytes(US_ASCII));
                    done.await();
                }
                return null;
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort(), ConnectOptions.defaults().limit(8))) {
                    StreamReader r = c.reader();
                    Object cut = Async.moveOnAfter(java.time.Duration.ofMillis(300), () -> r.readExactly(20));
                    assertNull(cut, "only 12 bytes were ever sent");
                    assertEquals(12, r.buffered());
                    LimitOverrunException e = assertThrows(LimitOverrunException.class, () -> r.readUntil("|".getBytes(US_ASCII)));
                    assertEquals(11, e.consumed());
                    assertEquals("abcdefghij|x", new String(r.readExactly(12), US_ASCII));
                } finally {
                    done.countDown();
                }
                return null;
            });
        }
    }

    @Test
    void readIntoCallersBuffers() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write(pattern(5000, 3));
                }
                return null;
            });
            byte[] got = Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    ByteBuffer heap = ByteBuffer.allocate(3000);
                    ByteBuffer direct = ByteBuffer.allocateDirect(3000);
                    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                    for (int i = 0; ; i++) {
                        ByteBuffer b = i % 2 == 0 ? heap : direct;
                        b.clear();
                        int n = c.reader().read(b);
                        if (n < 0) {
                            break;
                        }
                        assertEquals(n, b.position());
                        b.flip();
                        byte[] part = new byte[n];
                        b.get(part);
                        all.write(part);
                    }
                    return all.toByteArray();
                }
            });
            assertArrayEquals(pattern(5000, 3), got);
        }
    }

    /** write() suspends above the high-water mark even though the producer never calls drain. */
    @Test
    void writeSuspendsAboveTheHighWaterMarkWithoutDrain() throws Exception {
        int total = 16 * 1024 * 1024;
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch startReading = new CountDownLatch(1);
            CompletableFuture<byte[]> reader = peer(() -> {
                try (Socket s = ss.accept()) {
                    startReading.await();
                    return s.getInputStream().readAllBytes();
                }
            });
            long maxQueued = Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort(),
                        ConnectOptions.defaults().waterMarks(32 * 1024, 8 * 1024))) {
                    c.channel().setOption(java.net.StandardSocketOptions.SO_SNDBUF, 16 * 1024);
                    StreamWriter w = c.writer();
                    byte[] data = pattern(total, 9);
                    long max = 0;
                    int suspensions = 0;
                    Task<?> me = Async.currentTask();
                    // A watcher that lets the peer start reading only once our writer is stuck.
                    Async.spawn(() -> {
                        Async.sleep(200);
                        startReading.countDown();
                        return null;
                    });
                    for (int off = 0; off < total; off += 8192) {
                        w.write(data, off, 8192);
                        max = Math.max(max, w.bufferSize());
                    }
                    assertTrue(me != null);
                    w.close();
                    w.awaitClosed();
                    return max;
                }
            });
            // Never more than the high mark plus one write's worth queued, however fast we produced.
            assertTrue(maxQueued <= 32 * 1024 + 8192, "queued " + maxQueued);
            assertTrue(maxQueued > 8 * 1024, "the queue never formed: " + maxQueued);
            assertArrayEquals(pattern(total, 9), reader.get());
        }
    }

    /** writeNowait never suspends and queues past the mark; drain then waits for the low mark. */
    @Test
    void writeNowaitQueuesAndDrainWaits() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch startReading = new CountDownLatch(1);
            CompletableFuture<byte[]> reader = peer(() -> {
                try (Socket s = ss.accept()) {
                    startReading.await();
                    return s.getInputStream().readAllBytes();
                }
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    StreamWriter w = c.writer();
                    byte[] data = pattern(8 * 1024 * 1024, 4);
                    w.writeNowait(data); // does not suspend
                    assertTrue(w.bufferSize() > w.highWaterMark(), "queued " + w.bufferSize());
                    startReading.countDown();
                    w.drain();
                    assertTrue(w.bufferSize() <= w.lowWaterMark());
                    w.flush();
                    assertEquals(0, w.bufferSize());
                }
                return null;
            });
            assertArrayEquals(pattern(8 * 1024 * 1024, 4), reader.get());
        }
    }

    /** writeEof half-closes: the peer reads the end, then answers, and we still read the answer. */
    @Test
    void writeEofHalfCloses() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    byte[] all = s.getInputStream().readAllBytes(); // returns at our EOF
                    s.getOutputStream().write(("got " + all.length).getBytes(US_ASCII));
                }
                return null;
            });
            String answer = Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    assertTrue(c.writer().canWriteEof());
                    c.writer().write(pattern(300_000, 2));
                    c.writer().writeEof();
                    assertThrows(StreamClosedException.class, () -> c.writer().write(new byte[1]));
                    return new String(c.reader().readAll(), US_ASCII);
                }
            });
            assertEquals("got 300000", answer);
        }
    }

    /** close() does not suspend, sends what is queued, then closes; awaitClosed waits for that. */
    @Test
    void closeFlushesThenCloses() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<byte[]> reader = peer(() -> {
                try (Socket s = ss.accept()) {
                    go.await();
                    return s.getInputStream().readAllBytes();
                }
            });
            Async.run(() -> {
                StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort());
                c.writer().writeNowait(pattern(16_000_000, 5));
                assertTrue(c.writer().bufferSize() > 0);
                c.close();
                assertTrue(c.writer().isClosing());
                assertTrue(c.channel().isOpen(), "still flushing");
                assertThrows(StreamClosedException.class, () -> c.writer().write(new byte[1]));
                go.countDown();
                c.awaitClosed();
                assertFalse(c.channel().isOpen());
                return null;
            });
            assertArrayEquals(pattern(16_000_000, 5), reader.get());
        }
    }

    @Test
    void addressesAndWriteLines() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CompletableFuture<String> peerSaw = peer(() -> {
                try (Socket s = ss.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
                    return s.getPort() + " " + in.readLine() + in.readLine();
                }
            });
            String ours = Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    InetSocketAddress remote = (InetSocketAddress) c.remoteAddress();
                    InetSocketAddress local = (InetSocketAddress) c.localAddress();
                    assertEquals(ss.getLocalPort(), remote.getPort());
                    assertEquals("127.0.0.1", remote.getAddress().getHostAddress());
                    assertEquals(remote, c.writer().remoteAddress());
                    assertEquals(local, c.writer().localAddress());
                    assertFalse(c.isTls());
                    c.writer().writeLines(List.of("a".getBytes(US_ASCII), "b\n".getBytes(US_ASCII), "c\n".getBytes(US_ASCII)));
                    c.writer().flush();
                    return local.getPort() + " abc";
                }
            });
            assertEquals(ours, peerSaw.get());
        }
    }

    /** Two tasks: one reads while another writes on the same connection. */
    @Test
    void readAndWriteFromDifferentTasks() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] buf = new byte[1_000_000];
                    in.readFully(buf);
                    s.getOutputStream().write(buf);
                }
                return null;
            });
            byte[] back = Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    Task<byte[]> reading = Async.spawn(() -> c.reader().readExactly(1_000_000));
                    c.writer().write(pattern(1_000_000, 6));
                    return reading.await();
                }
            });
            assertArrayEquals(pattern(1_000_000, 6), back);
        }
    }

    /** Many concurrent clients of ours against our server: bytes intact in both directions. */
    @Test
    void ourClientAgainstOurServerConcurrently() {
        Async.run(() -> {
            StreamServer server = Net.startServer(conn -> {
                byte[] buf = new byte[4096];
                for (int n; (n = conn.reader().read(buf)) > 0; ) {
                    conn.writer().write(buf, 0, n);
                }
            }, "127.0.0.1", 0);
            List<Task<Boolean>> clients = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int seed = i;
                clients.add(Async.spawn(() -> {
                    try (StreamConnection c = Net.openConnection("127.0.0.1", server.port())) {
                        byte[] data = pattern(100_000 + seed, seed);
                        Task<Void> w = Async.spawn(() -> {
                            c.writer().write(data);
                            c.writer().writeEof();
                            return null;
                        });
                        byte[] back = c.reader().readAll();
                        w.await();
                        return java.util.Arrays.equals(data, back);
                    }
                }));
            }
            for (Task<Boolean> t : clients) {
                assertTrue(t.await());
            }
            assertEquals(50, server.acceptedConnections());
            server.close();
            server.awaitClosed();
            assertEquals(0, server.activeConnections());
            return null;
        });
    }

    @Test
    void readFromClosedStreamThrows() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    in.read();
                }
                return null;
            });
            Async.run(() -> {
                StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort());
                c.abort();
                assertThrows(StreamClosedException.class, () -> c.reader().readUpTo(1));
                assertThrows(StreamClosedException.class, () -> c.writer().write(new byte[1]));
                c.awaitClosed();
                return null;
            });
        }
    }

    /** A stream belongs to its loop: another thread gets a loud error, not a silent race. */
    @Test
    void usingAStreamFromAnotherThreadFailsLoudly() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getInputStream().read();
                }
                return null;
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    Throwable e = Async.await(peer(() -> {
                        try {
                            c.writer().write(new byte[1]);
                            return null;
                        } catch (Throwable t) {
                            return t;
                        }
                    }));
                    assertTrue(e instanceof WrongThreadException, String.valueOf(e));
                    assertTrue(e.getMessage().contains("submit"), e.getMessage());
                    Throwable r = Async.await(peer(() -> {
                        try {
                            c.reader().readUpTo(1);
                            return null;
                        } catch (Throwable t) {
                            return t;
                        }
                    }));
                    assertTrue(r instanceof WrongThreadException, String.valueOf(r));
                }
                return null;
            });
        }
    }

    /** Direct buffers go to and from the socket without a copy; what the socket does not take is queued. */
    @Test
    void directBuffersBothWays() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<byte[]> peerGot = peer(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write(pattern(300_000, 12));
                    go.await();
                    return s.getInputStream().readAllBytes();
                }
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    ByteBuffer in = ByteBuffer.allocateDirect(300_000);
                    while (in.hasRemaining()) {
                        assertTrue(c.reader().read(in) > 0);
                    }
                    byte[] got = new byte[300_000];
                    in.flip().get(got);
                    assertArrayEquals(pattern(300_000, 12), got);
                    ByteBuffer out = ByteBuffer.allocateDirect(16_000_000);
                    out.put(pattern(16_000_000, 13)).flip();
                    Task<Void> writing = Async.spawn(() -> {
                        c.writer().write(out);
                        return null;
                    });
                    Async.sleep(50);
                    assertFalse(writing.isDone(), "the peer is not reading: write waits above the high-water mark");
                    assertEquals(0, out.remaining(), "every byte was taken: sent or queued");
                    go.countDown();
                    writing.await();
                    c.writer().flush();
                }
                return null;
            });
            assertArrayEquals(pattern(16_000_000, 13), peerGot.get());
        }
    }

    /**
     * transferTo sends on what readLine left buffered, then everything up to the end, and counts it;
     * an independent blocking client writes on one thread while it reads on another, so the echo
     * must keep both directions moving (backpressure, not a deadlock or an unbounded queue).
     */
    @Test
    void transferToEchoesEverythingAfterWhatWasRead() throws Exception {
        byte[] body = pattern(1 << 20, 7);
        List<Object> serverSaw = new ArrayList<>();
        byte[] echoed = Async.run(() -> {
            StreamServer server = Net.startServer(conn -> {
                serverSaw.add(conn.reader().readLine(US_ASCII));
                serverSaw.add(conn.reader().transferTo(conn.writer()));
                serverSaw.add(conn.reader().atEof());
            }, "127.0.0.1", 0);
            int port = server.port();
            CompletableFuture<byte[]> client = peer(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return NetTesting.writeWhileReading(s, sock -> {
                        OutputStream out = sock.getOutputStream();
                        // The header and the start of the body in one write: the reader buffers both.
                        byte[] first = new byte[6 + 1000];
                        System.arraycopy("head\r\n".getBytes(US_ASCII), 0, first, 0, 6);
                        System.arraycopy(body, 0, first, 6, 1000);
                        out.write(first);
                        out.write(body, 1000, body.length - 1000);
                        sock.shutdownOutput();
                    });
                }
            });
            byte[] r = Async.await(client);
            server.close();
            server.awaitClosed();
            return r;
        });
        assertEquals(List.of("head", (long) body.length, true), serverSaw);
        assertArrayEquals(body, echoed);
    }

    /**
     * A connection's handler is called by the server's task body straight from the task's entry:
     * no compiler-made bridge method between them, since every frame below a parked handler is
     * frozen with it for as long as the connection lives (issue 14).
     */
    @Test
    void aHandlerRunsOneFrameAboveTheTasksBody() {
        List<String> frames = Async.run(() -> {
            CompletableFuture<List<String>> seen = new CompletableFuture<>();
            StreamServer server = Net.startServer(conn -> seen.complete(
                    StackWalker.getInstance(StackWalker.Option.SHOW_HIDDEN_FRAMES)
                            .walk(s -> s.map(f -> f.getClassName() + "." + f.getMethodName()).toList())),
                    "127.0.0.1", 0);
            int port = server.port();
            CompletableFuture<Void> client = peer(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return null;
                }
            });
            List<String> f = Async.await(seen);
            Async.await(client);
            server.close();
            server.awaitClosed();
            return f;
        });
        int serving = frames.indexOf("io.jasyncio.net.StreamServer$Serving.call");
        assertTrue(serving >= 0, frames.toString());
        assertEquals("io.jasyncio.Task.runBody", frames.get(serving + 1), frames.toString());
    }
}
