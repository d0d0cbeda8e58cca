package io.jasyncio.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * The reading half of a stream connection (asyncio's {@code StreamReader}). Every read method
 * suspends the calling task until it can return, and any method of any depth may call them.
 *
 * <p>Reads pull from the socket on demand, in the reading task: there is no background reader
 * and no unbounded buffering. Bytes are kept in this reader's buffer only when a read looks for a
 * separator ({@link #readLine}, {@link #readUntil}) and finds more than it returns; otherwise they
 * go from the loop's shared read buffer straight to the caller.
 *
 * <h2>The limit</h2>
 * {@link #readLine} and {@link #readUntil} return at most {@link #limit()} bytes (separator
 * included); when no separator turns up within that many, they throw
 * {@link LimitOverrunException} and leave the data buffered. The other reads are not limited.
 *
 * <h2>Cancellation and faults</h2>
 * A read cancelled while it waits loses nothing: bytes that {@code readExactly} had already
 * collected are put back into the buffer. A reset connection throws
 * {@link ConnectionResetException}; a stream closed by this side, {@link StreamClosedException};
 * one closed by its idle timeout, {@link IdleTimeoutException}.
 * At the end of the stream, {@code readUpTo} returns an empty array, {@code read} returns -1,
 * {@code readLine} returns what is left (empty at the end), and {@code readExactly} /
 * {@code readUntil} throw {@link IncompleteReadException} with the bytes that did arrive.
 *
 * <p>One task reads at a time: a second task trying to read while one waits gets
 * {@link IllegalStateException}. Reading and writing from different tasks at once is fine.
 */
public final class StreamReader {

    /** asyncio's default limit: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};

    Transport transport;
    private final int limit;
    /*
     * State: the buffer buf[start, end) and one field, eof, under this table (the transport has
     * the rest: its life cycle, and whether the source said -1):
     *   eof    buffered   reads
     *   false  any        from the buffer, else from the transport (which may suspend)
     *   true   > 0        from the buffer only; the end of the stream once it is empty
     *   true   0          the end of the stream (atEof), for ever: eof never goes back to false
     */
    private byte[] buf = EMPTY;
    private int start, end;
    private boolean eof;

    StreamReader(Transport transport, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.transport = transport;
        this.limit = limit;
    }

    /**
     * The most {@link #readLine} and {@link #readUntil} will return.
     *
     * @return the limit, in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * Bytes received and buffered here, readable without waiting.
     *
     * @return the number of buffered bytes
     */
    public int buffered() {
        return end - start;
    }

    /**
     * True if the peer has ended the stream and everything before the end has been read (asyncio's
     * {@code at_eof}).
     *
     * @return whether every byte up to the end of the stream has been read
     */
    public boolean atEof() {
        return eof && start == end;
    }

    /**
     * Waits for data and returns up to {@code n} bytes: what is buffered, else what one read of
     * the socket returns. An empty array means the end of the stream. A negative {@code n} reads
     * everything until the end ({@link #readAll()}).
     *
     * @param n the most bytes to return; negative for all until the end
     * @return the bytes read, empty at the end of the stream
     * @throws IOException if the connection fails ({@link ConnectionResetException}) or this side closed it
     *     ({@link StreamClosedException})
     */
    public byte[] readUpTo(int n) throws IOException {
        if (n < 0) {
            return readAll();
        }
        if (n == 0) {
            return EMPTY;
        }
        if (start < end) {
            return take(Math.min(n, end - start));
        }
        if (eof) {
            return EMPTY;
        }
        byte[] chunk = transport.readChunk(n);
        if (chunk == null) {
            eof = true;
            return EMPTY;
        }
        return chunk;
    }

    /**
     * Waits for data and reads up to {@code len} bytes into {@code b} (the caller's buffer: no
     * array is allocated); returns how many, or -1 at the end of the stream.
     *
     * @param b the buffer to read into
     * @param off where in {@code b} to start
     * @param len the most bytes to read
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws IOException if the connection fails ({@link ConnectionResetException}) or this side closed it
     *     ({@link StreamClosedException})
     */
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (start < end) {
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, b, off, n);
            consume(n);
            return n;
        }
        if (eof) {
            return -1;
        }
        int n = transport.read(b, off, len);
        if (n < 0) {
            eof = true;
        }
        return n;
    }

    /**
     * {@link #read(byte[], int, int)} into the whole of {@code b}.
     *
     * @param b the buffer to read into
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws IOException if the connection fails ({@link ConnectionResetException}) or this side closed it
     *     ({@link StreamClosedException})
     */
    public int read(byte[] b) throws IOException {
        return read(b, 0, b.length);
    }

    /**
     * Waits for data and reads into the remaining space of {@code dst}; returns how many bytes, or
     * -1 at the end. With a direct buffer on a plain connection the bytes go from the socket
     * straight into {@code dst}: no copy on the way.
     *
     * @param dst the buffer to read into, up to its limit
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws IOException if the connection fails ({@link ConnectionResetException}) or this side closed it
     *     ({@link StreamClosedException})
     */
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (start < end) {
            int n = Math.min(dst.remaining(), end - start);
            dst.put(buf, start, n);
            consume(n);
            return n;
        }
        if (eof) {
            return -1;
        }
        int n = transport.read(dst);
        if (n < 0) {
            eof = true;
        }
        return n;
    }

    /**
     * Reads exactly {@code n} bytes (asyncio's {@code readexactly}); {@code n} may exceed the limit.
     *
     * @param n how many bytes to read, at least 0
     * @return exactly {@code n} bytes
     * @throws IncompleteReadException if the stream ends first; it carries the bytes that arrived
     */
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size must not be negative: " + n);
        }
        if (n == 0) {
            return EMPTY;
        }
        int buffered = end - start;
        if (buffered >= n) {
            return take(n);
        }
        byte[] out = new byte[n];
        System.arraycopy(buf, start, out, 0, buffered);
        consume(buffered);
        int got = buffered;
        boolean keep = false;
        try {
            while (got < n) {
                int k = eof ? -1 : transport.read(out, got, n - got);
                if (k < 0) {
                    eof = true;
                    keep = true; // the partial bytes leave with the exception
                    throw new IncompleteReadException(Arrays.copyOf(out, got), n);
                }
                got += k;
            }
            keep = true;
            return out;
        } finally {
            if (!keep) {
                unread(out, got); // cancelled or failed: give the bytes back
            }
        }
    }

    /**
     * Reads up to and including the first {@code separator} (asyncio's {@code readuntil}).
     *
     * @param separator the bytes that end what is read, at least one
     * @return the bytes read, separator included
     * @throws IncompleteReadException if the stream ends first; it carries everything that was buffered
     * @throws LimitOverrunException   if the separator is not within the first {@link #limit()}
     *                                 bytes; the data stays buffered
     */
    public byte[] readUntil(byte[] separator) throws IOException {
        if (separator.length == 0) {
            throw new IllegalArgumentException("the separator must not be empty");
        }
        byte[] r = readUntil(separator, false);
        return r;
    }

    /**
     * Reads a line (asyncio's {@code readline}): the bytes up to and including {@code '\n'}, or
     * what is left at the end of the stream without one; an empty array at the end.
     *
     * @return the line, with its {@code '\n'} if it had one; empty at the end of the stream
     * @throws LimitOverrunException if no newline is within the limit; the data stays buffered
     */
    public byte[] readLine() throws IOException {
        return readUntil(NEWLINE, true);
    }

    /**
     * Reads a line and decodes it, without its line ending ({@code "\n"} or {@code "\r\n"}); null
     * at the end of the stream, like {@link java.io.BufferedReader#readLine()}.
     *
     * @param charset the encoding of the line
     * @return the line without its ending, or {@code null} at the end of the stream
     * @throws IOException if no newline is within the limit ({@link LimitOverrunException}), or as
     *     {@link #readLine()}
     */
    public String readLine(Charset charset) throws IOException {
        byte[] line = readLine();
        if (line.length == 0) {
            return null;
        }
        int len = line.length;
        if (line[len - 1] == '\n') {
            len--;
            if (len > 0 && line[len - 1] == '\r') {
                len--;
            }
        }
        return new String(line, 0, len, charset);
    }

    /**
     * Reads everything until the end of the stream (asyncio's {@code read()}). Unbounded: mind the peer.
     *
     * @return every byte until the end of the stream
     * @throws IOException if the connection fails ({@link ConnectionResetException}) or this side closed it
     *     ({@link StreamClosedException})
     */
    public byte[] readAll() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (start < end) {
            out.write(buf, start, end - start);
            consume(end - start);
        }
        while (!eof) {
            byte[] chunk = transport.readChunk(LoopBuffers.SIZE);
            if (chunk == null) {
                eof = true;
            } else {
                out.write(chunk, 0, chunk.length);
            }
        }
        return out.toByteArray();
    }

    /**
     * Writes everything until the end of the stream to {@code out} and returns how many bytes that
     * was (as {@link java.io.InputStream#transferTo} does); an echo server is
     * {@code conn.reader().transferTo(conn.writer())}. Nothing is read into this reader's buffer:
     * each chunk goes from the socket through the loop's shared read buffer to {@code out}, and is
     * copied only if {@code out} cannot send it at once. {@code out}'s backpressure applies, so a
     * slow receiver slows the reading down rather than filling memory.
     *
     * <p>Suspends where reads and {@link StreamWriter#write(ByteBuffer)} do. If it fails or is
     * cancelled, every byte it took from this stream has been handed to {@code out}.
     *
     * @param out the writer to send everything to, another connection's or this one's
     * @return the number of bytes transferred
     * @throws IOException if reading here or writing to {@code out} fails
     */
    public long transferTo(StreamWriter out) throws IOException {
        java.util.Objects.requireNonNull(out, "out");
        long total = 0;
        if (start < end) {
            int n = end - start;
            out.writeNowait(buf, start, n); // taken whole, without suspending: consume before any wait
            consume(n);
            total += n;
            out.drain();
        }
        while (!eof) {
            ByteBuffer chunk = transport.readBorrowed(LoopBuffers.SIZE);
            if (chunk == null) {
                eof = true;
            } else {
                total += chunk.remaining();
                out.write(chunk); // takes every byte before it can suspend: the borrowed buffer is free again
            }
        }
        return total;
    }

    // ------------------------------------------------------------------ internals

    private byte[] readUntil(byte[] sep, boolean partialAtEof) throws IOException {
        int scanned = 0; // bytes from start already searched without a match
        for (;;) {
            int idx = indexOf(buf, start + scanned, end, sep);
            if (idx >= 0) {
                int total = idx + sep.length - start;
                if (total > limit) {
                    throw new LimitOverrunException("the separator is beyond the reader's limit of " + limit + " bytes", total);
                }
                return take(total);
            }
            int buffered = end - start;
            if (buffered >= limit) {
                throw new LimitOverrunException("no separator within the reader's limit of " + limit + " bytes", buffered);
            }
            if (eof) {
                byte[] partial = take(buffered);
                if (partialAtEof) {
                    return partial;
                }
                throw new IncompleteReadException(partial, -1);
            }
            scanned = Math.max(0, buffered - sep.length + 1);
            fill(limit - buffered);
        }
    }

    /** Reads once from the transport into the buffer, at most {@code max} bytes. */
    private void fill(int max) throws IOException {
        int want = Math.min(max, LoopBuffers.SIZE);
        ensureRoom(want);
        int n = transport.read(buf, end, Math.min(want, buf.length - end));
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    private void ensureRoom(int need) {
        if (buf.length - end >= need) {
            return;
        }
        int buffered = end - start;
        if (buf.length - buffered >= need && start > 0) {
            System.arraycopy(buf, start, buf, 0, buffered);
        } else {
            byte[] nb = new byte[Math.max(buffered + need, Math.max(4096, buf.length * 2))];
            System.arraycopy(buf, start, nb, 0, buffered);
            buf = nb;
        }
        start = 0;
        end = buffered;
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        consume(n);
        return out;
    }

    private void consume(int n) {
        start += n;
        if (start == end) {
            start = end = 0;
        }
    }

    /** Puts {@code b[0, len)} back in front of the buffer. */
    private void unread(byte[] b, int len) {
        if (len == 0) {
            return;
        }
        int buffered = end - start;
        if (start >= len) {
            start -= len;
            System.arraycopy(b, 0, buf, start, len);
            return;
        }
        byte[] nb = new byte[Math.max(len + buffered, 4096)];
        System.arraycopy(b, 0, nb, 0, len);
        System.arraycopy(buf, start, nb, len, buffered);
        buf = nb;
        start = 0;
        end = len + buffered;
    }

    /** Hands the buffered bytes over (to a TLS layer starting on this connection). */
    byte[] drainBuffered() {
        byte[] out = take(end - start);
        return out;
    }

    private static int indexOf(byte[] a, int from, int to, byte[] sep) {
        int last = to - sep.length;
        byte first = sep[0];
        outer:
        for (int i = from; i <= last; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < sep.length; j++) {
                if (a[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
