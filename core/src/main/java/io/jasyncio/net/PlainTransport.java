package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.Awaitable;
import io.jasyncio.ChannelClosedException;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.TimerHandle;
import io.jasyncio.lowlevel.ParkingLot;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * A stream over a {@link StreamTransport}: a socket ({@link SocketTransport}, whose transport is the
 * channel itself) or a user's (built by {@link Streams}: a pipe). Everything a stream adds to raw
 * bytes lives here once: reads on demand, the write queue and its water marks' waits, the end of
 * stream, faults, closing, the idle timeout.
 *
 * <h2>Three fields, three tables</h2>
 * The life cycle is one {@link StreamState} field ({@link #state}; the table is that enum's). The
 * read side and the write queue's flushing have one small field each:
 * <pre>
 *   readState     meaning                                     next read
 *   MAYBE_READY   the last read filled what it was offered     reads at once
 *   DRAINED       the last read came back short                waits for readability first
 *   AT_EOF        the source said -1                           returns -1 (final)
 *
 *   flusher       who empties the queue                       when
 *   NONE          nobody: the queue is empty (or closed)       queue empty or state final
 *   CALLBACK      the transport's onWritable callback          queue not empty, no task waits on it
 *   TASK          a task waiting for the queue to shrink       it parks in awaitWritable, the same park
 *                 (write above the high mark, drain, flush)    a read uses, and flushes when woken
 * </pre>
 * NONE -&gt; CALLBACK when a write leaves bytes queued; CALLBACK -&gt; TASK when a task must wait for
 * the queue (it takes the callback away: one waiter per direction); TASK -&gt; CALLBACK or NONE when
 * it stops waiting (satisfied, cancelled or failed: the queue keeps leaving in the background);
 * CALLBACK -&gt; NONE when the queue is empty; anything -&gt; NONE on close. Checked under -ea.
 *
 * <h2>Reads</h2>
 * The reading task calls the transport directly and waits for readiness only when a read would
 * return nothing. A read that did not fill the space offered means the source is most likely
 * drained, so the next read waits for readiness first instead of making a system call that would
 * return nothing: one read per message on a busy connection, not two.
 *
 * <h2>Writes and backpressure</h2>
 * A write is tried at once; only what the sink did not take is queued, and only then is the
 * writability callback set, which flushes the queue and removes itself when it is empty. A task
 * that must wait for the queue to shrink ({@link #awaitPendingAtMost}) takes the flushing over:
 * it parks in the transport's writability wait, is woken by the selector directly (no promise, no
 * callback hop, no extra loop iteration), writes, and repeats until the queue is at its mark. A
 * second task waiting meanwhile (rare: two tasks draining at once) waits for the first.
 *
 * <h2>Faults</h2>
 * The first I/O error (a reset, a broken pipe) fails the transport: it is closed (which wakes a
 * waiting reader or writer), the queue dropped, and every later operation throws that error.
 *
 * <h2>Idle timeout</h2>
 * Off unless set. "Idle" means no byte moved either way: none read, none taken by the sink (bytes
 * queued behind a peer that does not read are not progress). One timer per stream, re-armed
 * lazily: a transfer only notes the time, and the timer, when it fires, re-arms itself for the
 * rest of the period if something moved meanwhile. A busy stream thus costs one clock read per
 * call that moved bytes and one timer per idle period, never a timer per read. When it expires
 * the transport fails with {@link IdleTimeoutException}.
 */
class PlainTransport extends Transport {

    enum ReadState { MAYBE_READY, DRAINED, AT_EOF }

    enum Flusher { NONE, CALLBACK, TASK }

    private static final boolean ASSERTS = PlainTransport.class.desiredAssertionStatus();

    final StreamTransport io;
    private final LoopBuffers buffers;
    private final ByteQueue queue = new ByteQueue();
    /**
     * The three below are made on first use, not per stream: most connections are never asked
     * for their close, never queue a byte and have no idle timeout, and there are many of them.
     * The closed promise, once made: completed when the stream has closed.
     */
    private Promise<Void> closedPromise;
    /** The writability callback ({@link #onWritable()}) once a write has queued bytes. */
    private Runnable onWritable;
    /** Tasks waiting behind the flushing task, each ticket carrying the queue size it waits for. */
    private ParkingLot waiters;
    /** The highest mark a task in {@link #waiters} waits for; -1 when none. */
    private long maxWaitingMark = -1;

    private StreamState state = StreamState.OPEN;
    private ReadState readState = ReadState.MAYBE_READY;
    private Flusher flusher = Flusher.NONE;
    /** Bytes dropped when the stream was aborted or failed with a queue: a fact, not a state. */
    private long dropped;
    private IOException error;

    /** The idle timeout in nanoseconds, 0 when off; see the class comment. */
    private long idleNanos;
    private Duration idleTimeout;
    private long lastTransfer;
    private TimerHandle idleTimer;
    private Runnable onIdleTimer;

    PlainTransport(EventLoop loop, StreamTransport io) {
        super(loop);
        this.io = io;
        this.buffers = LoopBuffers.of(loop);
    }

    private void become(StreamState next) {
        state = state.check(next, loop, this);
    }

    private void setFlusher(Flusher next) throws IOException {
        Flusher was = flusher;
        if (was == next) {
            return;
        }
        if ((ASSERTS || loop.isDebug()) && was == Flusher.NONE && next == Flusher.TASK) {
            // a queue that is not empty always has a flusher: a task takes over from the callback
            throw new AssertionError("flusher " + was + " -> " + next + " is not in the table (" + this + ")");
        }
        flusher = next; // first: a failing transport call below must not leave a stale record
        if (was == Flusher.CALLBACK) {
            io.onWritable(null);
        }
        if (next == Flusher.CALLBACK) {
            if (onWritable == null) {
                onWritable = this::onWritable;
            }
            io.onWritable(onWritable);
        }
    }

    // ------------------------------------------------------------------ reading

    @Override
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ByteBuffer d = readBorrowed(len);
        if (d == null) {
            return -1;
        }
        int n = d.remaining();
        d.get(b, off, n);
        return n;
    }

    /**
     * Reads up to {@code max} bytes into the loop's read buffer and returns it flipped, for the
     * caller to take the bytes out at once; null at the end of the stream. The read loop and
     * {@link #awaitMaybeReadable}'s wait are written out here rather than called: every parked
     * reader's frozen stack holds the frames down to the park, and the first park of a connection
     * (often in code not yet compiled, where each frame is large) sizes its stack chunk for good.
     */
    @Override
    ByteBuffer readBorrowed(int max) throws IOException {
        checkLoop();
        for (;;) {
            checkReadable();
            if (readState == ReadState.AT_EOF) {
                return null;
            }
            if (readState == ReadState.DRAINED) {
                try {
                    io.awaitReadable();
                } catch (ChannelClosedException | ClosedChannelException e) {
                    throw closedWhileWaiting(e);
                }
                readState = ReadState.MAYBE_READY;
                continue; // and check again: state may have changed while waiting
            }
            // The loop's read buffer is shared by every stream of the loop: set it up only now,
            // after any wait, never before one (another stream uses it meanwhile).
            ByteBuffer d = buffers.read;
            d.clear().limit(Math.min(max, d.capacity()));
            int n = readOnce(d);
            if (n < 0) {
                return null;
            }
            if (n > 0) {
                return d.flip();
            }
        }
    }

    /** Reads into a caller's buffer: a direct one straight from the source, a heap one through the loop's. */
    @Override
    int read(ByteBuffer dst) throws IOException {
        if (!dst.isDirect() && dst.hasArray()) {
            int n = read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        checkLoop();
        if (!dst.hasRemaining()) {
            return 0;
        }
        for (;;) {
            if (!awaitMaybeReadable()) {
                return -1;
            }
            int n = readOnce(dst);
            if (n != 0) {
                return n;
            }
        }
    }

    /** Waits for readiness only when the last read came back short. Returns false at the end of the stream. */
    private boolean awaitMaybeReadable() throws IOException {
        for (;;) {
            checkReadable();
            switch (readState) {
                case AT_EOF:
                    return false;
                case MAYBE_READY:
                    return true;
                case DRAINED:
                    // The wait is here, not in a method of its own: every parked reader's frozen
                    // stack holds the frames down to the park, one fewer this way.
                    try {
                        io.awaitReadable();
                    } catch (ChannelClosedException | ClosedChannelException e) {
                        throw closedWhileWaiting(e);
                    }
                    readState = ReadState.MAYBE_READY; // and check again: state may have changed while waiting
                    break;
                default:
                    throw new AssertionError(readState);
            }
        }
    }

    /** One read of the source into {@code dst}: the count, -1 at the end of the stream, 0 if drained. */
    private int readOnce(ByteBuffer dst) throws IOException {
        assert readState != ReadState.AT_EOF : "read after the end of the stream: AT_EOF is final (" + this + ")";
        int want = dst.remaining();
        int n;
        try {
            n = io.read(dst);
        } catch (IOException e) {
            throw fail(e);
        }
        if (n < 0) {
            readState = ReadState.AT_EOF;
            return -1;
        }
        if (n > 0) {
            transferred();
        }
        readState = n > 0 && n == want ? ReadState.MAYBE_READY : ReadState.DRAINED;
        return n;
    }

    /** True once the source has said -1. */
    boolean eofReceived() {
        return readState == ReadState.AT_EOF;
    }

    /** What a read that was waiting when the stream closed throws: the fault that closed it, if any. */
    private IOException closedWhileWaiting(Exception e) throws IOException {
        checkReadable(); // the fault that closed it, if any
        if (e instanceof StreamClosedException sc) {
            return sc;
        }
        StreamClosedException c = new StreamClosedException("the stream was closed while a task waited to read");
        c.initCause(e);
        return c;
    }

    private void checkReadable() throws IOException {
        if (error != null) {
            throw error;
        }
        if (state.isFinal()) {
            throw new StreamClosedException("the stream is closed");
        }
    }

    // ------------------------------------------------------------------ writing

    @Override
    void write(byte[] b, int off, int len) throws IOException {
        checkLoop();
        checkWritable();
        if (len == 0) {
            return;
        }
        if (queue.isEmpty()) {
            ByteBuffer d = buffers.write;
            while (len > 0) {
                int chunk = Math.min(len, d.capacity());
                d.clear();
                d.put(b, off, chunk).flip();
                int n = writeOnce(d);
                off += n;
                len -= n;
                if (n < chunk) {
                    break;
                }
            }
            if (len == 0) {
                return;
            }
        }
        queue.add(b, off, len);
        startFlushing();
    }

    /** Writes a buffer: a direct one straight to the sink, a heap one through the loop's buffer. */
    @Override
    void write(ByteBuffer src) throws IOException {
        if (src.hasArray()) {
            write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
            return;
        }
        checkLoop();
        checkWritable();
        if (queue.isEmpty()) {
            while (src.hasRemaining() && writeOnce(src) > 0) {
                // the sink took some: offer the rest
            }
            if (!src.hasRemaining()) {
                return;
            }
        }
        queue.add(src);
        startFlushing();
    }

    private int writeOnce(ByteBuffer src) throws IOException {
        int n;
        try {
            n = io.write(src);
        } catch (IOException e) {
            throw fail(e);
        }
        if (n > 0) {
            transferred();
        }
        return n;
    }

    /** Bytes were queued: make sure someone flushes them. */
    private void startFlushing() throws IOException {
        if (flusher == Flusher.NONE) {
            try {
                setFlusher(Flusher.CALLBACK);
            } catch (IOException e) {
                throw fail(e);
            }
        }
    }

    private void checkWritable() throws IOException {
        if (error != null) {
            throw error;
        }
        if (state == StreamState.EOF_PENDING || state == StreamState.OUTPUT_SHUT) {
            throw new StreamClosedException("cannot write after writeEof()");
        }
        if (state.refusesWrites()) {
            throw new StreamClosedException("the stream is closed");
        }
    }

    /** The transport's writability callback. */
    private void onWritable() {
        if (!state.isFinal()) {
            flushQueue();
        }
    }

    /**
     * Writes the queue as far as the sink takes it; once it is empty, finishes a pending close or
     * half-close and stops the callback. Wakes tasks whose mark is reached. A fault fails the stream.
     */
    private void flushQueue() {
        ByteBuffer d = buffers.write;
        try {
            while (!queue.isEmpty()) {
                d.clear();
                queue.peekInto(d);
                d.flip();
                int want = d.remaining();
                int n = io.write(d);
                if (n > 0) {
                    transferred();
                }
                queue.skip(n);
                if (n < want) {
                    break;
                }
            }
            if (queue.isEmpty()) {
                if (flusher == Flusher.CALLBACK) {
                    setFlusher(Flusher.NONE);
                }
                if (state == StreamState.CLOSING) {
                    closeNow(StreamState.CLOSED);
                    return;
                }
                if (state == StreamState.EOF_PENDING) {
                    doShutdownOutput();
                }
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        wakeWaiters();
    }

    @Override
    long pending() {
        return queue.size();
    }

    @Override
    void awaitPendingAtMost(long mark) throws IOException {
        for (;;) {
            if (error != null) {
                throw error;
            }
            if (dropped > 0) {
                throw new StreamClosedException("the stream was aborted with data still queued");
            }
            if (queue.size() <= mark) {
                return;
            }
            if (state.isFinal()) {
                throw new StreamClosedException("the stream was closed with data still queued");
            }
            if (flusher == Flusher.TASK) {
                waitBehindFlusher(mark);
            } else {
                flushInThisTask(mark);
            }
        }
    }

    /**
     * The calling task takes the flushing over from the callback and parks in the sink's
     * writability wait (the park reads use), writing whenever it is woken, until the queue is at
     * {@code mark} or the stream ends. Cancelled or failed, it hands the queue back to the callback.
     */
    private void flushInThisTask(long mark) throws IOException {
        setFlusher(Flusher.TASK);
        try {
            while (queue.size() > mark && !state.isFinal()) {
                try {
                    io.awaitWritable();
                } catch (ChannelClosedException | ClosedChannelException e) {
                    if (state.isFinal()) {
                        return; // the caller's loop reports the fault or the close
                    }
                    StreamClosedException c = new StreamClosedException("the stream was closed while a task waited to write");
                    c.initCause(e);
                    throw fail(c);
                }
                flushQueue();
            }
        } finally {
            if (flusher == Flusher.TASK) {
                try {
                    setFlusher(queue.isEmpty() || state.isFinal() ? Flusher.NONE : Flusher.CALLBACK);
                } catch (IOException e) {
                    fail(e);
                }
            }
            wakeWaiters(); // a task waiting behind this one takes over, or finds its mark
        }
    }

    /** Another task flushes: wait in the parking lot until its queue may be at {@code mark} (or it stopped), then look again. */
    private void waitBehindFlusher(long mark) {
        if (waiters == null) {
            waiters = new ParkingLot();
        }
        maxWaitingMark = Math.max(maxWaitingMark, mark);
        waiters.add(Async.currentTask()).park();
    }

    /**
     * Wakes the tasks waiting behind the flusher once the queue is down to the highest mark any
     * of them waits for (each looks again and parks again if its own mark is lower), and all of
     * them once no task flushes or the stream ended. A rare path: two tasks draining at once.
     */
    private void wakeWaiters() {
        ParkingLot lot = waiters;
        if (lot == null || lot.isEmpty()) {
            return;
        }
        if (state.isFinal() || flusher != Flusher.TASK || queue.size() <= maxWaitingMark) {
            maxWaitingMark = -1;
            lot.wakeAll(null);
        }
    }

    @Override
    boolean canShutdownOutput() {
        return io.canShutdownOutput();
    }

    @Override
    void shutdownOutput() throws IOException {
        checkWritable();
        if (!io.canShutdownOutput()) {
            throw new UnsupportedOperationException("this transport has no half-close");
        }
        become(StreamState.EOF_PENDING);
        if (queue.isEmpty()) {
            doShutdownOutput();
        }
    }

    private void doShutdownOutput() {
        become(StreamState.OUTPUT_SHUT);
        try {
            io.shutdownOutput();
        } catch (IOException e) {
            fail(Faults.onReadOrWrite(e, "a half-close"));
        }
    }

    // ------------------------------------------------------------------ closing

    @Override
    void close() {
        if (state.isFinal() || state == StreamState.CLOSING) {
            return;
        }
        if (queue.isEmpty()) {
            closeNow(StreamState.CLOSED);
        } else {
            become(StreamState.CLOSING);
        }
    }

    @Override
    void abort() {
        closeNow(StreamState.ABORTED);
    }

    @Override
    boolean closedCleanly() {
        return state == StreamState.CLOSED;
    }

    /** Called before a close that drops bytes stuck behind a peer that does not read (a socket resets). */
    void beforeDroppingStuckBytes() {
    }

    /** Fails the stream with its first fault and closes it; returns the fault to throw. */
    IOException fail(IOException e) {
        if (error == null && !state.isFinal()) {
            error = e;
            closeNow(StreamState.FAILED);
        }
        return error != null ? error : e;
    }

    private void closeNow(StreamState end) {
        if (state.isFinal()) {
            return;
        }
        dropped = queue.size();
        if (dropped > 0 && end == StreamState.CLOSED) {
            end = StreamState.ABORTED;
        }
        become(end);
        queue.clear();
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        flusher = Flusher.NONE; // closing the transport drops its callback
        io.close();             // wakes a task waiting to read or write
        wakeWaiters();
        if (closedPromise != null) {
            closedPromise.complete(null);
        }
    }

    @Override
    Awaitable<Void> closed() {
        Promise<Void> p = closedPromise;
        if (p == null) {
            closedPromise = p = new Promise<>(loop);
            if (state.isFinal()) {
                p.complete(null); // closed before anyone asked
            }
        }
        return p;
    }

    @Override
    boolean isClosing() {
        return state == StreamState.CLOSING || state.isFinal();
    }

    IOException error() {
        return error;
    }

    boolean isClosed() {
        return state.isFinal();
    }

    // ------------------------------------------------------------------ idle timeout

    /** Sets (null or zero: removes) the idle timeout, counting from now. */
    void setIdleTimeout(Duration timeout) {
        checkLoop();
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("an idle timeout cannot be negative: " + timeout
                    + " (null or Duration.ZERO turns it off)");
        }
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        idleNanos = timeout == null ? 0 : saturatedNanos(timeout);
        idleTimeout = idleNanos == 0 ? null : timeout;
        if (idleNanos != 0 && !state.isFinal()) {
            lastTransfer = loop.time();
            if (onIdleTimer == null) {
                onIdleTimer = this::onIdleTimer;
            }
            idleTimer = loop.callAt(lastTransfer + idleNanos, onIdleTimer);
        }
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    /** Capped far enough below overflow that adding it to the loop's time stays positive. */
    private static long saturatedNanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /** Bytes moved: the hot path's whole share of the idle timeout. */
    private void transferred() {
        if (idleNanos != 0) {
            lastTransfer = loop.time();
        }
    }

    private void onIdleTimer() {
        idleTimer = null;
        if (state.isFinal() || idleNanos == 0) {
            return;
        }
        long due = lastTransfer + idleNanos;
        if (due - loop.time() > 0) {
            idleTimer = loop.callAt(due, onIdleTimer); // something moved meanwhile: wait out the rest
            return;
        }
        IdleTimeoutException e = new IdleTimeoutException("no byte moved on the connection for "
                + idleTimeout.toMillis() + " ms (its idle timeout), so it was closed", idleTimeout);
        if (!queue.isEmpty()) {
            beforeDroppingStuckBytes(); // writes are stuck behind a peer that does not read
        }
        fail(e);
    }

    @Override
    SocketAddress remoteAddress() {
        return io.remoteAddress();
    }

    @Override
    SocketAddress localAddress() {
        return io.localAddress();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + io + ", " + state + ", pending=" + queue.size()
                + (error != null ? ", failed=" + error : "") + "]";
    }
}
