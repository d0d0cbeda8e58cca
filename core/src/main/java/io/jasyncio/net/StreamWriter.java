package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.Awaitable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Objects;

/**
 * The writing half of a stream connection (asyncio's {@code StreamWriter}).
 *
 * <h2>Backpressure without drain</h2>
 * {@link #write} hands the bytes to the socket at once and queues only what the socket did not
 * take. When the queue grows past the high-water mark, {@code write} itself suspends until the
 * queue has fallen to the low-water mark: a producer cannot outrun a slow reader even if it never
 * calls {@link #drain()} (asyncio's most common backpressure bug). {@link #writeNowait} is the
 * variant that never suspends (usable from plain callbacks); it queues without bound, and pairs
 * with {@code drain()}. Defaults are asyncio's: 64 KiB high, 16 KiB low.
 *
 * <p>A write either throws before taking any byte (the stream is closed or failed) or takes all of
 * them; if the task is cancelled while {@code write} then waits for the queue to shrink, the bytes
 * stay queued and will be sent.
 *
 * <h2>Closing</h2>
 * {@link #close()} does not suspend: it stops new writes, and the connection closes once the queue
 * is flushed; {@link #awaitClosed()} waits for that, for ever if the peer never reads.
 * {@link #closeWithin(Duration)} closes the same way but aborts if the queue is not flushed in
 * time, and says which happened. {@link #abort()} closes at once and drops the queue.
 * {@link #writeEof()} half-closes (the peer reads the end of the stream; we can still read).
 *
 * <h2>Faults</h2>
 * A reset or broken pipe found while flushing in the background fails the connection; the next
 * {@code write}, {@code drain} or read throws {@link ConnectionResetException}.
 */
public final class StreamWriter implements AutoCloseable {

    /** asyncio's default high-water mark: 64 KiB. */
    public static final int DEFAULT_HIGH_WATER = 64 * 1024;
    /** asyncio's default low-water mark: 16 KiB. */
    public static final int DEFAULT_LOW_WATER = 16 * 1024;

    Transport transport;
    private long high = DEFAULT_HIGH_WATER, low = DEFAULT_LOW_WATER;
    /*
     * State: one field, paused (asyncio's protocol "paused writing"), under this table; the queue,
     * closing and faults are the transport's:
     *   paused  set when                               cleared when
     *   false   -                                      -
     *   true    the queue passed the high mark         a wait saw it back at the low mark (write, drain)
     *           (write, writeNowait, drain)            or empty (flush)
     * While paused every write waits for the low mark, even if the queue is below the high mark.
     */
    private boolean paused;

    StreamWriter(Transport transport, long high, long low) {
        this.transport = transport;
        setWaterMarks(high, low);
    }

    /**
     * Writes all of {@code b}; suspends while the queue is above the high-water mark (see the class comment).
     *
     * @param b the bytes to write
     * @throws IOException if the stream is closed ({@link StreamClosedException}) or failed
     *     ({@link ConnectionResetException}); no byte was then taken
     */
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /**
     * Writes {@code len} bytes of {@code b} from {@code off}; suspends as {@link #write(byte[])} does.
     *
     * @param b the array holding the bytes
     * @param off where they start in {@code b}
     * @param len how many to write
     * @throws IOException if the stream is closed ({@link StreamClosedException}) or failed
     *     ({@link ConnectionResetException}); no byte was then taken
     */
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        transport.write(b, off, len);
        if (paused || transport.pending() > high) {
            paused = true;
            resumeWhenBelowLow();
        }
    }

    /**
     * Writes the remaining bytes of {@code src} (consuming them); suspends as {@link #write(byte[])}
     * does. A direct buffer on a plain connection goes to the socket without a copy.
     *
     * @param src the bytes to write: its remaining ones
     * @throws IOException if the stream is closed ({@link StreamClosedException}) or failed
     *     ({@link ConnectionResetException}); no byte was then taken
     */
    public void write(ByteBuffer src) throws IOException {
        transport.write(src);
        if (paused || transport.pending() > high) {
            paused = true;
            resumeWhenBelowLow();
        }
    }

    /**
     * Encodes {@code text} with {@code charset} and writes it.
     *
     * @param text the text to write
     * @param charset its encoding
     * @throws IOException if the stream is closed ({@link StreamClosedException}) or failed
     *     ({@link ConnectionResetException}); no byte was then taken
     */
    public void write(CharSequence text, Charset charset) throws IOException {
        write(text.toString().getBytes(charset));
    }

    /**
     * Writes each array in turn, as one write (asyncio's {@code writelines}; no separators are
     * added). Suspends, at most once at the end, as {@link #write(byte[])} does.
     *
     * @param lines the arrays to write, in order
     * @throws IOException if the stream is closed ({@link StreamClosedException}) or failed
     *     ({@link ConnectionResetException}); no byte was then taken
     */
    public void writeLines(Iterable<byte[]> lines) throws IOException {
        for (byte[] line : lines) {
            transport.write(line, 0, line.length);
        }
        if (paused || transport.pending() > high) {
            paused = true;
            resumeWhenBelowLow();
        }
    }

    /**
     * Writes without ever suspending (asyncio's {@code write}): the bytes are queued whatever the
     * queue's size, so a caller that writes in a loop must call {@link #drain()} now and then.
     *
     * @param b the array holding the bytes
     * @param off where they start in {@code b}
     * @param len how many to write
     * @throws IOException if the stream is closed ({@link StreamClosedException}) or failed
     *     ({@link ConnectionResetException}); no byte was then taken
     */
    public void writeNowait(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        transport.write(b, off, len);
        if (transport.pending() > high) {
            paused = true;
        }
    }

    /**
     * {@link #writeNowait(byte[], int, int)} of the whole array.
     *
     * @param b the bytes to write
     * @throws IOException if the stream is closed ({@link StreamClosedException}) or failed
     *     ({@link ConnectionResetException}); no byte was then taken
     */
    public void writeNowait(byte[] b) throws IOException {
        writeNowait(b, 0, b.length);
    }

    /**
     * Waits until it is appropriate to write again (asyncio's {@code drain}): if the queue went
     * above the high-water mark, until it is back at the low-water mark. Throws the connection's
     * fault if it failed.
     *
     * @throws IOException the connection's fault ({@link ConnectionResetException}), or
     *     {@link StreamClosedException} if it is closed
     */
    public void drain() throws IOException {
        if (paused || transport.pending() > high) {
            paused = true;
            resumeWhenBelowLow();
        } else {
            transport.awaitPendingAtMost(Long.MAX_VALUE); // throws the fault, if any; never waits
        }
    }

    /**
     * Waits until every byte written so far has been handed to the operating system.
     *
     * @throws IOException the connection's fault ({@link ConnectionResetException}), or
     *     {@link StreamClosedException} if it is closed
     */
    public void flush() throws IOException {
        transport.awaitPendingAtMost(0);
        paused = false;
    }

    private void resumeWhenBelowLow() throws IOException {
        transport.awaitPendingAtMost(low);
        paused = false;
    }

    /**
     * Bytes written but not yet taken by the socket (asyncio's {@code get_write_buffer_size}).
     *
     * @return the number of queued bytes
     */
    public long bufferSize() {
        return transport.pending();
    }

    /**
     * Sets the water marks (asyncio's {@code set_write_buffer_limits}).
     *
     * @param high the queue size above which {@link #write} suspends
     * @param low the queue size it then waits for
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    public void setWaterMarks(long high, long low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("water marks need 0 <= low <= high: high=" + high + ", low=" + low);
        }
        this.high = high;
        this.low = low;
    }

    /**
     * The queue size above which {@link #write} suspends.
     *
     * @return the high-water mark, in bytes
     */
    public long highWaterMark() {
        return high;
    }

    /**
     * The queue size a suspended {@link #write} waits for.
     *
     * @return the low-water mark, in bytes
     */
    public long lowWaterMark() {
        return low;
    }

    /**
     * False over TLS, which has no half-close here.
     *
     * @return whether {@link #writeEof()} is supported
     */
    public boolean canWriteEof() {
        return transport.canShutdownOutput();
    }

    /**
     * Half-closes: once the queue is flushed the peer reads the end of the stream; reading goes on.
     *
     * @throws UnsupportedOperationException over TLS ({@link #canWriteEof()} is false)
     * @throws IOException if the stream is closed ({@link StreamClosedException}) or failed
     */
    public void writeEof() throws IOException {
        if (!transport.canShutdownOutput()) {
            throw new UnsupportedOperationException("writeEof() is not supported over TLS; close() the connection instead");
        }
        transport.shutdownOutput();
    }

    /**
     * Closes the connection once the queue is flushed (over TLS, after a close_notify); does not
     * suspend. Reads still in progress end with {@link StreamClosedException}. Idempotent.
     */
    @Override
    public void close() {
        transport.close();
    }

    /**
     * Closes as {@link #close()} does, but gives the peer at most {@code timeout} to take what is
     * queued (over TLS, and the close_notify); if it has not by then, aborts the connection with a
     * reset, dropping the rest, so that a peer that never reads cannot hold it open. Suspends until
     * the connection is closed one way or the other.
     *
     * <p>"Taken" means handed to the operating system, as for {@link #flush()}: a peer that reads
     * nothing still takes what fits in the socket buffers, and the OS sends that after the close.
     *
     * @param timeout how long the queued bytes may take to leave; zero aborts unless nothing is queued
     * @return true if the connection closed in order, with every byte written handed to the OS;
     *         false if it had to be aborted, or had already failed or been aborted, and queued
     *         bytes were dropped
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting; the connection
     *                                        is then aborted, as on a timeout
     */
    public boolean closeWithin(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Transport t = transport;
        t.close();
        Awaitable<Void> closed = t.closed();
        if (!closed.isDone()) {
            try {
                Async.moveOnAfter(timeout, closed::await);
            } finally {
                if (!closed.isDone()) {
                    t.abortHard(); // out of time, or cancelled: leave nothing open
                }
            }
        }
        return t.closedCleanly();
    }

    /** Closes now, dropping whatever is queued. Idempotent. */
    public void abort() {
        transport.abort();
    }

    /**
     * True once {@link #close()} or {@link #abort()} was called or the connection failed.
     *
     * @return whether the connection is closing or closed
     */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /** Waits until the connection is closed (asyncio's {@code wait_closed}). */
    public void awaitClosed() {
        transport.closed().await();
    }

    /**
     * The peer's address (an {@link java.net.InetSocketAddress} or a
     * {@link java.net.UnixDomainSocketAddress}).
     *
     * @return the peer's address
     */
    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    /**
     * This side's address.
     *
     * @return the local address
     */
    public SocketAddress localAddress() {
        return transport.localAddress();
    }
}
