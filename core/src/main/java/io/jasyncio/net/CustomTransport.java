package io.jasyncio.net;

import io.jasyncio.Awaitable;
import io.jasyncio.ChannelClosedException;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;

/**
 * A stream over a user's {@link StreamTransport} (built by {@link Streams}): the queue, the water
 * marks' waits, the end of stream, faults and closing, with the same rules as
 * {@link SocketTransport}, which does the same over a socket without the interface in between.
 * The life cycle is one {@link StreamState} field under that enum's table.
 *
 * <p>Reads: the reading task calls {@link StreamTransport#read} and waits in
 * {@link StreamTransport#awaitReadable()} only when a read came back with nothing. Writes: tried at
 * once; the rest is queued and flushed by the transport's {@link StreamTransport#onWritable}
 * callback, which is set while the queue is not empty.
 */
final class CustomTransport extends Transport {

    private record Waiter(long mark, Promise<Void> promise) {
    }

    private final StreamTransport io;
    private final LoopBuffers buffers;
    private final ByteQueue queue = new ByteQueue();
    private final Promise<Void> closedPromise;
    private final Runnable onWritable = this::onWritable;
    private ArrayList<Waiter> waiters;

    private StreamState state = StreamState.OPEN;
    /** The write callback is set on the transport (the queue is not empty). */
    private boolean writerRegistered;
    /** The last read filled what was offered: read again before waiting. A hint, not a state. */
    private boolean maybeReadable = true;
    /** The source said -1: reads end here (the read side's own fact, independent of {@link #state}). */
    private boolean eofReceived;
    /** Bytes dropped when the stream was aborted or failed with a queue. */
    private long dropped;
    private IOException error;

    CustomTransport(EventLoop loop, StreamTransport io) {
        super(loop);
        this.io = io;
        this.buffers = LoopBuffers.of(loop);
        this.closedPromise = new Promise<>(loop);
    }

    private void become(StreamState next) {
        state = state.check(next, loop, this);
    }

    // ------------------------------------------------------------------ reading

    @Override
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = readDirect(Math.min(len, buffers.read.capacity()));
        if (n > 0) {
            buffers.read.get(b, off, n);
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
            ByteBuffer d = buffers.read; // shared by the loop's streams: set up only after any wait
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

    @Override
    int read(ByteBuffer dst) throws IOException {
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

    private boolean awaitMaybeReadable() throws IOException {
        for (;;) {
            checkReadable();
            if (eofReceived) {
                return false;
            }
            if (maybeReadable) {
                return true;
            }
            try {
                io.awaitReadable();
            } catch (ClosedChannelException | ChannelClosedException e) {
                checkReadable(); // the fault that closed it, if any
                if (e instanceof StreamClosedException sc) {
                    throw sc;
                }
                StreamClosedException c = new StreamClosedException("the stream was closed while a task waited to read");
                c.initCause(e);
                throw c;
            }
            maybeReadable = true;
        }
    }

    private int readOnce(ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        int n;
        try {
            n = io.read(dst);
        } catch (IOException e) {
            throw fail(e);
        }
        if (n < 0) {
            eofReceived = true;
            return -1;
        }
        maybeReadable = n > 0 && n == want;
        return n;
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
        registerWriter();
    }

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
        registerWriter();
    }

    private int writeOnce(ByteBuffer src) throws IOException {
        try {
            return io.write(src);
        } catch (IOException e) {
            throw fail(e);
        }
    }

    private void registerWriter() throws IOException {
        if (!writerRegistered) {
            writerRegistered = true;
            try {
                io.onWritable(onWritable);
            } catch (IOException e) {
                throw fail(e);
            }
        }
    }

    private void unregisterWriter() {
        if (writerRegistered) {
            writerRegistered = false;
            try {
                io.onWritable(null);
            } catch (IOException e) {
                fail(e);
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

    /** The transport's writability callback: flush the queue as far as the sink takes it. */
    private void onWritable() {
        if (state.isFinal()) {
            return;
        }
        ByteBuffer d = buffers.write;
        try {
            while (!queue.isEmpty()) {
                d.clear();
                queue.peekInto(d);
                d.flip();
                int want = d.remaining();
                int n = io.write(d);
                queue.skip(n);
                if (n < want) {
                    break;
                }
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (queue.isEmpty()) {
            unregisterWriter();
            if (state == StreamState.CLOSING) {
                closeNow(StreamState.CLOSED);
                return;
            }
            if (state == StreamState.EOF_PENDING) {
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
            if (dropped > 0) {
                throw new StreamClosedException("the stream was aborted with data still queued");
            }
            if (queue.size() <= mark) {
                return;
            }
            if (state.isFinal()) {
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
        boolean all = state.isFinal();
        for (int i = ws.size() - 1; i >= 0; i--) {
            Waiter w = ws.get(i);
            if (all || w.mark >= size) {
                ws.remove(i);
                w.promise.complete(null);
            }
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
            fail(e);
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

    /** Fails the stream with its first fault and closes it; returns the fault to throw. */
    private IOException fail(IOException e) {
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
        writerRegistered = false;
        io.close(); // wakes a task waiting in awaitReadable / awaitWritable
        wakeWaiters();
        closedPromise.complete(null);
    }

    @Override
    Awaitable<Void> closed() {
        return closedPromise;
    }

    @Override
    boolean isClosing() {
        return state == StreamState.CLOSING || state.isFinal();
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
        return "CustomTransport[" + io + ", " + state + ", pending=" + queue.size()
                + (error != null ? ", failed=" + error : "") + "]";
    }
}
