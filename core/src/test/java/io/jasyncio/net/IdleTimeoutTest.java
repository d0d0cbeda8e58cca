package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.VirtualTestClock;
import io.jasyncio.net.tls.TlsConfig;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ServerOptions#idleTimeout} and {@link StreamConnection#setIdleTimeout}, on virtual time. */
@Timeout(60)
class IdleTimeoutTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final TestCerts certs = TestCerts.get();

    /** On a virtual clock, with whatever reaches the loop's exception handler collected into {@code reports}. */
    private static <T> T runVirtual(List<ErrorReport> reports, Callable<T> main) {
        EventLoop.Builder b = VirtualTestClock.loopOn(new VirtualTestClock()).exceptionHandler((l, r) -> reports.add(r));
        return Async.run(b, main);
    }

    private static long now() {
        return Async.currentLoop().time();
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(now() - t0);
    }

    /** Writes one byte every {@code gap} until {@code bytes} are sent or the server has closed the connection. */
    private static void trickle(StreamConnection c, byte first, int bytes, Duration gap) {
        try (c) {
            c.writer().write(new byte[] {first});
            for (int i = 1; i < bytes; i++) {
                Async.sleep(gap);
                c.writer().write(new byte[] {'.'});
            }
        } catch (IOException closedByTheServer) {
            // a trickler the server closed finds out at its next writes
        }
    }

    @Test
    void slowlorisConnectionsAreClosedWhileBusyAndLongPollingOnesStayOpen() {
        List<ErrorReport> reports = new CopyOnWriteArrayList<>();
        List<String> ends = Collections.synchronizedList(new ArrayList<>());
        int tricklers = 100;
        runVirtual(reports, () -> {
            StreamServer server = Net.startServer(conn -> {
                byte kind = conn.reader().readExactly(1)[0];
                long first = now();
                if (kind == 'L') {
                    conn.setIdleTimeout(null); // a long poll: quiet until it has something to say
                    Async.sleep(Duration.ofSeconds(5));
                    conn.writer().write("event\n", US_ASCII);
                }
                long bytes = 1;
                try {
                    for (byte[] b; (b = conn.reader().readUpTo(100)).length > 0; ) {
                        bytes += b.length;
                    }
                    ends.add((char) kind + " ended after " + bytes + " bytes");
                } catch (IdleTimeoutException e) {
                    ends.add((char) kind + " idle " + millisSince(first) + " ms after " + bytes + " bytes");
                    throw e; // let it escape: the server ends the connection quietly
                }
            }, "127.0.0.1", 0, ServerOptions.defaults().idleTimeout(SECOND));

            List<Task<Void>> clients = new ArrayList<>();
            for (int i = 0; i < tricklers; i++) {
                StreamConnection c = Net.openConnection("127.0.0.1", server.port());
                clients.add(Async.spawn(() -> {
                    trickle(c, (byte) 'T', 6, Duration.ofSeconds(2)); // one byte every 2 s: slower than the timeout
                    return null;
                }));
            }
            StreamConnection busy = Net.openConnection("127.0.0.1", server.port());
            clients.add(Async.spawn(() -> {
                trickle(busy, (byte) 'B', 30, Duration.ofMillis(200)); // 6 s, never quiet for a second
                return null;
            }));
            StreamConnection poll = Net.openConnection("127.0.0.1", server.port());
            poll.writer().write("L", US_ASCII);
            assertEquals("event", poll.reader().readLine(US_ASCII), "the long poll outlived the idle timeout");
            poll.close();
            for (Task<Void> t : clients) {
                t.await();
            }
            server.close();
            server.awaitClosed();
            return null;
        });
        List<String> expected = new ArrayList<>(Collections.nCopies(tricklers, "T idle 1000 ms after 1 bytes"));
        expected.add("L ended after 1 bytes");
        expected.add("B ended after 30 bytes");
        assertEquals(expected, ends);
        assertEquals(List.of(), reports, "an idle timeout escaping the handler is no handler failure");
    }

    @Test
    void bytesQueuedBehindAPeerThatDoesNotReadAreNotProgress() {
        List<ErrorReport> reports = new CopyOnWriteArrayList<>();
        runVirtual(reports, () -> {
            Promise<String> handlerSaw = new Promise<>(Async.currentLoop());
            StreamServer server = Net.startServer(conn -> {
                long t0 = now();
                byte[] chunk = new byte[64 << 10];
                try {
                    for (;;) {
                        conn.writer().write(chunk); // suspends once the socket buffers are full
                    }
                } catch (IdleTimeoutException e) {
                    handlerSaw.complete("write timed out at " + millisSince(t0) + " ms");
                    assertSame(e, assertThrows(IdleTimeoutException.class, () -> conn.writer().write(chunk)),
                            "every later call reports the same fault");
                    assertEquals(SECOND, e.timeout());
                }
            }, "127.0.0.1", 0, ServerOptions.defaults().idleTimeout(SECOND));
            StreamConnection c = Net.openConnection("127.0.0.1", server.port());
            assertEquals("write timed out at 1000 ms", handlerSaw.await());
            // Its writes stuck, the server reset the connection rather than leave the OS retrying them.
            IOException e = assertThrows(IOException.class, () -> {
                while (c.reader().readUpTo(1 << 20).length > 0) {
                    // what arrived before the reset
                }
            });
            assertInstanceOf(ConnectionResetException.class, e);
            server.close();
            server.awaitClosed();
            return null;
        });
        assertEquals(List.of(), reports);
    }

    @Test
    void aDownloadToAReaderThatSendsNothingIsNotIdle() {
        List<ErrorReport> reports = new CopyOnWriteArrayList<>();
        int total = 1 << 20;
        long took = runVirtual(reports, () -> {
            StreamServer server = Net.startServer(conn -> {
                conn.channel().setOption(StandardSocketOptions.SO_SNDBUF, 16 << 10);
                byte[] chunk = new byte[64 << 10];
                for (int sent = 0; sent < total; sent += chunk.length) {
                    conn.writer().write(chunk);
                }
            }, "127.0.0.1", 0, ServerOptions.defaults().idleTimeout(SECOND));
            StreamConnection c = Net.openConnection("127.0.0.1", server.port());
            c.channel().setOption(StandardSocketOptions.SO_RCVBUF, 16 << 10);
            long t0 = now();
            long got = 0;
            for (byte[] b; (b = c.reader().readUpTo(16 << 10)).length > 0; ) {
                got += b.length;
                Async.sleep(Duration.ofMillis(100)); // a slow reader, but a reader
            }
            assertEquals(total, got, "the whole download arrived");
            c.close();
            server.close();
            server.awaitClosed();
            return millisSince(t0);
        });
        assertTrue(took > 3000, "the download took several idle periods: " + took + " ms");
        assertEquals(List.of(), reports, "the handler finished without a fault");
    }

    @Test
    void perConnectionTimeoutsOnClientsAndOverTls() {
        List<ErrorReport> reports = new CopyOnWriteArrayList<>();
        runVirtual(reports, () -> {
            Promise<Void> done = new Promise<>(Async.currentLoop());
            StreamServer quiet = Net.startServer(conn -> done.await(), "127.0.0.1", 0);
            try (StreamConnection c = Net.openConnection("127.0.0.1", quiet.port())) {
                assertNull(c.idleTimeout(), "off by default");
                Task<byte[]> reading = Async.spawn(() -> c.reader().readUpTo(1));
                Async.sleep(Duration.ofHours(1));
                assertTrue(!reading.isDone() && c.channel().isOpen(), "no timeout: an hour of silence is fine");

                long t0 = now();
                c.setIdleTimeout(Duration.ofMillis(500)); // counting from now
                assertEquals(Duration.ofMillis(500), c.idleTimeout());
                IdleTimeoutException e = assertInstanceOf(IdleTimeoutException.class,
                        NetTesting.unwrap(assertThrows(Throwable.class, reading::await)));
                assertEquals(500, millisSince(t0));
                assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
                assertTrue(!c.channel().isOpen());
                assertSame(e, assertThrows(IdleTimeoutException.class, () -> c.writer().write(new byte[1])));
            }
            try (StreamConnection c = Net.openConnection("127.0.0.1", quiet.port())) {
                c.setIdleTimeout(SECOND);
                c.setIdleTimeout(Duration.ZERO);
                assertNull(c.idleTimeout(), "zero turns it off");
                Async.sleep(Duration.ofSeconds(5));
                assertTrue(c.channel().isOpen());
                assertThrows(IllegalArgumentException.class, () -> c.setIdleTimeout(Duration.ofSeconds(-1)));
            }
            assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().idleTimeout(Duration.ofMillis(-1)));
            done.complete(null);
            quiet.close();
            quiet.awaitClosed();

            // Over TLS the timer counts the encrypted bytes underneath; from the end of the handshake.
            Promise<String> tlsHandlerSaw = new Promise<>(Async.currentLoop());
            StreamServer tls = Net.startServer(conn -> {
                long t0 = now();
                try {
                    conn.reader().readUpTo(1);
                } catch (IdleTimeoutException e) {
                    tlsHandlerSaw.complete("idle after " + millisSince(t0) + " ms");
                }
            }, "127.0.0.1", 0, ServerOptions.defaults().idleTimeout(SECOND).tls(TlsConfig.server(certs.serverContext())));
            try (StreamConnection c = Net.openConnection("127.0.0.1", tls.port(),
                    ConnectOptions.defaults().tls(TlsConfig.client(certs.clientContext()).serverName("localhost")))) {
                assertEquals("idle after 1000 ms", tlsHandlerSaw.await());
            }
            tls.close();
            tls.awaitClosed();
            return null;
        });
        assertEquals(List.of(), reports);
    }
    /** What the guide says to do about a trickle just fast enough not to be idle: a deadline for the request. */
    @Test
    void aTrickleFasterThanTheIdleTimeoutIsCutByARequestDeadline() {
        List<ErrorReport> reports = new CopyOnWriteArrayList<>();
        runVirtual(reports, () -> {
            Promise<String> handlerSaw = new Promise<>(Async.currentLoop());
            StreamServer server = Net.startServer(conn -> {
                long t0 = now();
                try {
                    Async.withTimeout(Duration.ofSeconds(3), () -> conn.reader().readLine(US_ASCII));
                    handlerSaw.complete("a whole line");
                } catch (AsyncTimeoutException e) {
                    handlerSaw.complete(e.getMessage() + ", at " + millisSince(t0) + " ms");
                }
            }, "127.0.0.1", 0, ServerOptions.defaults().idleTimeout(SECOND));
            StreamConnection c = Net.openConnection("127.0.0.1", server.port());
            Task<Void> client = Async.spawn(() -> {
                trickle(c, (byte) 'G', 20, Duration.ofMillis(500)); // never a second apart, never a newline
                return null;
            });
            assertEquals("timed out after 3 s, at 3000 ms", handlerSaw.await());
            client.await();
            server.close();
            server.awaitClosed();
            return null;
        });
        assertEquals(List.of(), reports);
    }
}
