package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.VirtualTestClock;
import io.jasyncio.net.tls.TlsConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link StreamWriter#closeWithin}: a close that cannot be held open for ever by a peer that never reads. */
@Timeout(60)
class BoundedCloseTest {

    /** Far more than the socket buffers of both ends hold (4 MiB + 128 KiB on this kind of Linux). */
    private static final int MORE_THAN_THE_BUFFERS = 16 << 20;

    private final TestCerts certs = TestCerts.get();

    private static <T> T runVirtual(Callable<T> main) {
        return Async.run(VirtualTestClock.loopOn(new VirtualTestClock()), main);
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(Async.currentLoop().time() - t0);
    }

    /**
     * A server whose handler does not read until {@code release} completes, then reads to the end
     * and completes {@code outcome} with the fault it met, or null.
     */
    private static StreamServer neverReading(Promise<Void> release, Promise<Throwable> outcome, ServerOptions options)
            throws IOException {
        return Net.startServer(conn -> {
            release.await();
            try {
                conn.reader().readAll();
                outcome.complete(null);
            } catch (IOException e) {
                outcome.complete(e);
            }
        }, "127.0.0.1", 0, options);
    }

    @Test
    void closeWithinAbortsWithAResetWhenThePeerNeverReads() {
        runVirtual(() -> {
            Promise<Void> release = new Promise<>(Async.currentLoop());
            Promise<Throwable> peerSaw = new Promise<>(Async.currentLoop());
            StreamServer server = neverReading(release, peerSaw, ServerOptions.defaults());
            StreamConnection c = Net.openConnection("127.0.0.1", server.port());
            c.writer().writeNowait(new byte[MORE_THAN_THE_BUFFERS]);
            assertTrue(c.writer().bufferSize() > 0, "the socket buffers are full");

            long t0 = Async.currentLoop().time();
            assertFalse(c.closeWithin(Duration.ofSeconds(5)), "the queue could not leave: aborted");
            assertEquals(5000, millisSince(t0));
            assertFalse(c.channel().isOpen());
            assertThrows(StreamClosedException.class, () -> c.writer().write(new byte[1]));

            release.complete(null);
            assertInstanceOf(ConnectionResetException.class, peerSaw.await(), "the peer is reset, not handed a clean end");
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    @Test
    void closeWithinClosesInOrderWhenThePeerReads() {
        runVirtual(() -> {
            byte[] data = pattern(8 << 20, 5);
            Promise<byte[]> got = new Promise<>(Async.currentLoop());
            StreamServer server = Net.startServer(conn -> got.complete(conn.reader().readAll()), "127.0.0.1", 0);
            StreamConnection c = Net.openConnection("127.0.0.1", server.port());
            c.writer().writeNowait(data);
            long t0 = Async.currentLoop().time();
            assertTrue(c.closeWithin(Duration.ofSeconds(5)));
            assertTrue(millisSince(t0) < 5000, millisSince(t0) + " ms");
            assertFalse(c.channel().isOpen());
            assertArrayEquals(data, got.await(), "everything arrived, then the end of the stream");

            // Nothing queued: closed in order at once, even with no time at all.
            StreamConnection idle = Net.openConnection("127.0.0.1", server.port());
            assertTrue(idle.closeWithin(Duration.ZERO));
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    @Test
    void closeWithinOnAConnectionAlreadyAbortedSaysSo() {
        runVirtual(() -> {
            StreamServer server = Net.startServer(conn -> conn.reader().readAll(), "127.0.0.1", 0);
            StreamConnection c = Net.openConnection("127.0.0.1", server.port());
            c.abort();
            assertFalse(c.closeWithin(Duration.ofSeconds(5)));
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    @Test
    void aCloseWithinCancelledWhileWaitingAbortsTheConnection() {
        runVirtual(() -> {
            Promise<Void> release = new Promise<>(Async.currentLoop());
            Promise<Throwable> peerSaw = new Promise<>(Async.currentLoop());
            StreamServer server = neverReading(release, peerSaw, ServerOptions.defaults());
            StreamConnection c = Net.openConnection("127.0.0.1", server.port());
            c.writer().writeNowait(new byte[MORE_THAN_THE_BUFFERS]);
            Task<Boolean> closing = Async.spawn(() -> c.closeWithin(Duration.ofHours(1)));
            Async.sleep(Duration.ofSeconds(1));
            assertFalse(closing.isDone());
            closing.cancel();
            assertThrows(CancelledException.class, closing::await);
            assertFalse(c.channel().isOpen(), "cancelled, it leaves nothing open");
            release.complete(null);
            assertInstanceOf(ConnectionResetException.class, peerSaw.await());
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    @Test
    void overTlsTooTheQueueAndTheCloseNotifyGetTheirTimeThenTheConnectionIsAborted() {
        runVirtual(() -> {
            Promise<Void> release = new Promise<>(Async.currentLoop());
            Promise<Throwable> peerSaw = new Promise<>(Async.currentLoop());
            StreamServer server = neverReading(release, peerSaw,
                    ServerOptions.defaults().tls(TlsConfig.server(certs.serverContext())));
            StreamConnection c = Net.openConnection("127.0.0.1", server.port(),
                    ConnectOptions.defaults().tls(TlsConfig.client(certs.clientContext()).serverName("localhost")));
            c.writer().writeNowait(new byte[MORE_THAN_THE_BUFFERS]);
            long t0 = Async.currentLoop().time();
            assertFalse(c.closeWithin(Duration.ofSeconds(2)));
            assertEquals(2000, millisSince(t0));
            assertFalse(c.channel().isOpen());
            release.complete(null);
            assertInstanceOf(IOException.class, peerSaw.await(), "the peer's read fails: no clean end");
            server.close();
            server.awaitClosed();
            return null;
        });
    }
}
