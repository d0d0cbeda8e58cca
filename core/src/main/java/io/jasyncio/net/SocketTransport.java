package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.Awaitable;
import io.jasyncio.ChannelClosedException;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.TimerHandle;
import io.jasyncio.lowlevel.Readiness;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;

/**
 * A stream over a non-blocking {@link SocketChannel} (TCP or Unix domain).
 *
 * <h2>Reads</h2>
 * The reading task calls the channel directly and waits for readiness only when a read would
 * return nothing. A read that did not fill the space offered means the socket is most likely
 * drained, so the next read waits for readiness first instead of making a system call that would
 * return nothing: one read per message on a busy connection, not two.
 *
 * <h2>Writes</h2>
 * A write is tried at once; only what the socket did not take is queued, and only then is a
 * writability callback registered with the loop, which flushes the queue and removes itself
 * when the queue is empty. Tasks waiting for the queue to shrink ({@link #awaitPendingAtMost})
 * are woken by that callback.
 *
 * <h2>Faults</h2>
 * The first I/O error (a reset, a broken pipe) fails the transport: the channel is closed
 * through the loop (which wakes a waiting reader), the queue dropped, waiting writers woken, and
 * every later operation throws that error.
 *
 * <h2>Idle timeout</h2>
 * Off unless set. "Idle" means no byte moved either way: none read from the socket, none taken by
 * it for sending (bytes queued behind a peer that does not read are not progress). One timer per
 * connection, re-armed lazily: a transfer only notes the time, and the timer, when it fires,
 * re-arms itself for the rest of the period if something moved meanwhile. A busy connection thus
 * costs one clock read per system call that moved bytes and one timer per idle period, never a
 * timer per read. When it expires the transport fails with {@link IdleTimeoutException}.
 */
final class SocketTransport extends Transport {

    private record Waiter(long mark, Promise<Void> promise) {
    }

    private final SocketChannel ch;
    private final LoopBuffers buffers;
    private final ByteQueue queue = new ByteQueue();
    private final Promise<Void> closedPromise;
    private final Runnable onWritable = this::onWritable;
    private ArrayList<Waiter> waiters;

    private boolean writerRegistered;
    private boolean maybeReadable = true;
    private boolean eofReceived;
    private boolean eofRequested, outputShut;
    private boolean closing, closed;
    /** True if the transport was closed with bytes still queued (they were dropped). */
    private boolean dropped;
    /** Closed by abort() rather than by an orderly close. */
    private boolean aborted;
    private IOException error;

    /** The idle timeout in nanoseconds, 0 when off; see the class comment. */
    private long idleNanos;
    private Duration idleTimeout;
    private long lastTransfer;
    private TimerHandle idleTimer;
    private final Runnable onIdleTimer = this::onIdleTimer;

    SocketTransport(EventLoop loop, SocketChannel ch) {
        super(loop);
        this.ch = ch;
        this.buffers = LoopBuffers.of(loop);
        this.closedPromise = new Promise<>(loop);
    }

    @Override
    SocketChannel channel() {
        return ch;
    }

    @Override
    SocketTransport socket() {
        return this;
    }

    // ------------------------------------------------------------------ reading

    @Override
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ByteBuffer d = buffers.read;
        int want = Math.min(len, d.capacity());
        int n = readDirect(want);
        if (n > 0) {
            d.get(b, off, n);
        }
        return n;
    }

    @Override
    ByteBuffer readBorrowed(int max) throws IOException {
        int n = readDirect(Math.min(max, buffers.read.capacity()));
        return n < 0 ? null : buffers.read;
    }

    /** Reads up to {@code want} bytes into the loop's read buffer, left flipped for the caller to copy out at once. */
    private int readDirect(int want) throws IOException {
        checkLoop();
        for (;;) {
            if (!awaitMaybeReadable()) {
                return -1;
            }
            // The loop's read buffer is shared by every connection of the loop: set it up only
            // now, after any wait, never before one (another connection uses it meanwhile).
            ByteBuffer d = buffers.read;
            d.clear().limit(want);
            int n = readOnce(d);
            if (n != 0) {
                if (n > 0) {
                    d.flip();
                }
                return n;
            }
        }
    }

    /**
     * Waits for readiness only when the last read came back short (the socket is then known
     * drained). Returns false at the end of the stream.
     */
    private boolean awaitMaybeReadable() throws IOException {
        for (;;) {
            checkReadable();
            if (eofReceived) {
                return false;
            }
            if (maybeReadable) {
                return true;
            }
            waitReadable();
            maybeReadable = true; // and check again: state may have changed while waiting
        }
    }

    /** One read system call into {@code dst}: the count, -1 at the end of the stream, 0 if drained. */
    private int readOnce(ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        int n;
        try {
            n = ch.read(dst);
        } catch (IOException e) {
            throw fail(Faults.onReadOrWrite(e, "a read"));
        }
        if (n < 0) {
            eofReceived = true;
            return -1;
        }
        if (n > 0) {
            transferred();
        }
        maybeReadable = n > 0 && n == want;
        return n;
    }

    /** Reads into a caller's direct buffer, straight from the socket. */
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

    /** Bytes that arrived but were not read are handed over (STARTTLS); not used by plain reads. */
    boolean eofReceived() {
        return eofReceived;
    }

    private void waitReadable() throws IOException {
        try {
            Readiness.waitReadable(ch); // directly: every frame between here and the task's start is copied on each suspension
        } catch (ChannelClosedException e) {
            checkReadable(); // the fault that closed it, if any
            StreamClosedException c = new StreamClosedException("the stream was closed while a task waited to read");
            c.initCause(e);
            throw c;
        } catch (ClosedChannelException e) {
            checkReadable();
            throw e;
        }
    }

    private void checkReadable() throws IOException {
        if (error != null) {
            throw error;
        }
        if (closed) {
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
                int n;
                try {
                    n = ch.write(d);
                } catch (IOException e) {
                    throw fail(Faults.onReadOrWrite(e, "a write"));
                }
                if (n > 0) {
                    transferred();
                }
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
        if (!writerRegistered) {
            writerRegistered = true;
            Readiness.addWriter(loop, ch, onWritable);
        }
    }

    /** Writes a buffer: a direct one straight to the socket, a heap one through the loop's buffer. */
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
            while (src.hasRemaining()) {
                int n;
                try {
                    n = ch.write(src);
                } catch (IOException e) {
                    throw fail(Faults.onReadOrWrite(e, "a write"));
                }
                if (n == 0) {
                    break;
                }
                transferred();
            }
            if (!src.hasRemaining()) {
                return;
            }
        }
        queue.add(src);
        if (!writerRegistered) {
            writerRegistered = true;
            Readiness.addWriter(loop, ch, onWritable);
        }
    }

    private void checkWritable() throws IOException {
        if (error != null) {
            throw error;
        }
        if (closed || closing) {
            throw new StreamClosedException("the stream is closed");
        }
        if (eofRequested) {
            throw new StreamClosedException("cannot write after writeEof()");
        }
    }

    /** The loop's writability callback: flush the queue as far as the socket takes it. */
    private void onWritable() {
        if (closed) {
            return;
        }
        ByteBuffer d = buffers.write;
        try {
            while (!queue.isEmpty()) {
                d.clear();
                queue.peekInto(d);
                d.flip();
                int want = d.remaining();
                int n = ch.write(d);
                if (n > 0) {
                    transferred();
                }
                queue.skip(n);
                if (n < want) {
                    break;
                }
            }
        } catch (IOException e) {
            fail(Faults.onReadOrWrite(e, "a write"));
            return;
        }
        if (queue.isEmpty()) {
            writerRegistered = false;
            Readiness.removeWriter(loop, ch);
            if (closing) {
                closeNow();
                return;
            }
            if (eofRequested && !outputShut) {
                doShutdownOutput();
            }
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
            if (dropped) {
                throw new StreamClosedException("the stream was aborted with data still queued");
            }
            if (queue.size() <= mark) {
                return;
            }
            if (closed) {
                throw new StreamClosedException("the stream was closed with data still queued");
            }
            Promise<Void> p = new Promise<>(loop);
            Waiter w = new Waiter(mark, p);
            if (waiters == null) {
                waiters = new ArrayList<>(2);
            }
            waiters.add(w);
            try {
                p.await();
            } finally {
                if (!p.isDone()) {
                    waiters.remove(w);
                }
            }
        }
    }

    private void wakeWaiters() {
        ArrayList<Waiter> ws = waiters;
        if (ws == null || ws.isEmpty()) {
            return;
        }
        long size = queue.size();
        for (int i = ws.size() - 1; i >= 0; i--) {
            Waiter w = ws.get(i);
            if (closed || w.mark >= size) {
                ws.remove(i);
                w.promise.complete(null);
            }
        }
    }

    @Override
    boolean canShutdownOutput() {
        return true;
    }

    @Override
    void shutdownOutput() throws IOException {
        checkWritable();
        eofRequested = true;
        if (queue.isEmpty()) {
            doShutdownOutput();
        }
    }

    private void doShutdownOutput() {
        outputShut = true;
        try {
            ch.shutdownOutput();
        } catch (IOException e) {
            fail(Faults.onReadOrWrite(e, "a half-close"));
        }
    }

    // ------------------------------------------------------------------ closing

    @Override
    void close() {
        if (closed || closing) {
            return;
        }
        closing = true;
        if (queue.isEmpty()) {
            closeNow();
        }
    }

    @Override
    void abort() {
        if (!closed) {
            aborted = true;
        }
        closeNow();
    }

    /**
     * Aborts with a reset (SO_LINGER 0) instead of a FIN: the operating system drops what it still
     * holds for sending at once instead of retrying it at a peer that does not read.
     */
    void abortWithReset() {
        if (!closed) {
            resetOnClose();
            abort();
        }
    }

    private void resetOnClose() {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | UnsupportedOperationException e) {
            // a Unix domain socket has no linger: an ordinary close it is
        }
    }

    @Override
    void abortHard() {
        abortWithReset();
    }

    @Override
    boolean closedCleanly() {
        return closed && !aborted && !dropped && error == null;
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
        if (idleNanos != 0 && !closed) {
            lastTransfer = loop.time();
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
        if (closed || idleNanos == 0) {
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
            resetOnClose(); // writes are stuck behind a peer that does not read: do not leave the OS retrying them
        }
        fail(e);
    }

    /** Fails the transport with its first fault and closes it; returns the fault to throw. */
    IOException fail(IOException e) {
        if (error == null && !closed) {
            error = e;
        }
        closeNow();
        return error != null ? error : e;
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        dropped = !queue.isEmpty();
        queue.clear();
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        writerRegistered = false;
        Readiness.closeChannel(loop, ch); // cancels the key, wakes a waiting reader
        wakeWaiters();
        closedPromise.complete(null);
    }

    @Override
    Awaitable<Void> closed() {
        return closedPromise;
    }

    @Override
    boolean isClosing() {
        return closing || closed;
    }

    IOException error() {
        return error;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "SocketTransport[" + ch + ", pending=" + queue.size() + (closed ? ", closed" : closing ? ", closing" : "")
                + (error != null ? ", failed=" + error : "") + "]";
    }
}
