package io.jasyncio.net;

import io.jasyncio.Awaitable;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSession;

/**
 * What a {@link StreamReader} and {@link StreamWriter} sit on: a {@link PlainTransport} over a
 * {@link StreamTransport} (a socket: {@link SocketTransport}; a user's pipe, through
 * {@link Streams}), or TLS over a socket ({@link TlsTransport}). Reads pull from the source on
 * demand in the reading task (no background reader); writes go to the sink at once and only the
 * rest is queued, to be flushed in the background or by the task that waits for the queue.
 *
 * <p>States: a transport's life cycle is one {@link StreamState} field, under that enum's table
 * (OPEN, EOF_PENDING, OUTPUT_SHUT, CLOSING, and the final CLOSED, ABORTED, FAILED); TLS adds its
 * session's {@link TlsTransport.TlsState} over the socket's.
 */
abstract class Transport {

    final EventLoop loop;

    Transport(EventLoop loop) {
        this.loop = loop;
    }

    /** The last thread found to run this loop: the check below is then one comparison per call. */
    private Thread verified;

    /** Streams belong to their loop: using one from another thread fails loudly, as every loop method does. */
    final void checkLoop() {
        Thread t = Thread.currentThread();
        if (t != verified) {
            checkLoop(loop);
            verified = t;
        }
    }

    static void checkLoop(EventLoop loop) {
        EventLoop here;
        try {
            here = EventLoop.current();
        } catch (IllegalStateException e) {
            here = null;
        }
        if (here != loop) {
            throw new WrongThreadException("a stream or socket of an event loop used from thread '"
                    + Thread.currentThread().getName() + "', which does not run that loop; hand the work to the loop"
                    + " with loop.submit(...) or loop.callSoonThreadsafe(...)");
        }
    }

    /** Waits for at least one byte and reads up to {@code len} into {@code b}; -1 at the end of the stream. */
    abstract int read(byte[] b, int off, int len) throws IOException;

    /**
     * Waits for data and returns what one read gave, at most {@code max} bytes, in a buffer that
     * the transport or its loop owns: the caller must use or copy the bytes before it next reads
     * or suspends. Null at the end of the stream.
     */
    abstract ByteBuffer readBorrowed(int max) throws IOException;

    /** Waits for data and returns up to {@code max} bytes in an array of exactly that length; null at the end. */
    final byte[] readChunk(int max) throws IOException {
        ByteBuffer b = readBorrowed(Math.max(max, 1));
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * Waits for at least one byte and reads into the remaining space of a direct buffer (no
     * intermediate copy for a plain socket); -1 at the end of the stream.
     */
    abstract int read(ByteBuffer dst) throws IOException;

    /** Takes all the remaining bytes of {@code src} without suspending, like {@link #write(byte[], int, int)}. */
    abstract void write(ByteBuffer src) throws IOException;

    /** Takes all of the bytes without suspending: written now as far as the socket accepts, queued otherwise. */
    abstract void write(byte[] b, int off, int len) throws IOException;

    /** Bytes taken by {@link #write} but not yet by the socket. */
    abstract long pending();

    /** Suspends until {@link #pending()} is at most {@code mark}; throws the fault if the connection failed. */
    abstract void awaitPendingAtMost(long mark) throws IOException;

    abstract boolean canShutdownOutput();

    /** Half-close: shuts the output down once the queue is flushed. */
    abstract void shutdownOutput() throws IOException;

    /** Closes once the queue is flushed; does not suspend. Idempotent. */
    abstract void close();

    /** Closes now, dropping whatever is queued. Idempotent. */
    abstract void abort();

    /** Done once the channel is closed. */
    abstract Awaitable<Void> closed();

    abstract boolean isClosing();

    /** True once closed in order: nothing dropped, no fault, not aborted. */
    abstract boolean closedCleanly();

    /**
     * Aborts so that nothing queued anywhere is retried: a socket resets (SO_LINGER 0) so that the
     * operating system drops what it still holds. Other transports just {@link #abort()}.
     */
    void abortHard() {
        abort();
    }

    /** The socket channel underneath, or null for a transport that is not a socket. */
    SocketChannel channel() {
        return null;
    }

    /** The underlying plain socket transport, or null for a transport that is not a socket. */
    SocketTransport socket() {
        return null;
    }

    SSLSession tlsSession() {
        return null;
    }

    SocketAddress remoteAddress() {
        try {
            return channel() == null ? null : channel().getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    SocketAddress localAddress() {
        try {
            return channel() == null ? null : channel().getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
