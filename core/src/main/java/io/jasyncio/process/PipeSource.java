package io.jasyncio.process;

import io.jasyncio.ChannelClosedException;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopClosedException;
import io.jasyncio.lowlevel.Abort;
import io.jasyncio.lowlevel.Suspension;
import io.jasyncio.lowlevel.Waker;
import io.jasyncio.net.StreamTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A child's stdout or stderr, brought to the loop: the readable end of a {@code StreamReader}.
 *
 * <h2>How the bytes get here</h2>
 * The JDK gives a child's output as a blocking {@link InputStream} over a pipe that no selector
 * can watch. So one platform thread per piped stream (the <em>pump</em>) blocks in
 * {@code read}, and hands each chunk to the loop with {@link EventLoop#callSoonThreadsafe}; the
 * loop appends it here and wakes the task waiting in {@link #awaitReadable()}.
 *
 * <p>Backpressure: the pump holds <em>credit</em>, the number of bytes it may still hand over,
 * starting at the stream's limit. Each read the pump makes is at most the credit; each byte the
 * loop side consumes gives a byte of credit back. At zero the pump stops reading, the OS pipe
 * fills, and the child blocks in its write. So at most {@code limit} bytes of the child's output
 * are ever in this JVM per stream (plus the pump's one read buffer of at most 64 KiB), however
 * much it writes and however slowly this side reads.
 *
 * <p>Why a platform thread and not a virtual one: a virtual thread blocked in a pipe read pins
 * its carrier, and the JDK's scheduler makes up for it with a new carrier only up to
 * {@code jdk.virtualThreadScheduler.maxPoolSize} (256): past that many blocked pipes every
 * virtual thread in the JVM (and the portable coroutine engine with them) stalls. A platform
 * thread costs a little more to start and nothing beyond that; its stack is kept small.
 *
 * <h2>States</h2>
 * <pre>
 *   open      bytes may arrive; reads return them, 0 if none yet
 *   eof       the child closed its end; reads drain what is left, then -1
 *   failed    a read error; reads drain what is left, then throw it
 *   closed    this side closed it: reads throw ClosedChannelException, the pump stops
 * </pre>
 * Loop-side fields are touched on the loop thread only; {@code credit} and {@code stop} are
 * shared with the pump under {@code lock}.
 */
final class PipeSource implements StreamTransport {

    /** The most one pump read asks for: the size of a Linux pipe's buffer. */
    static final int CHUNK = 64 * 1024;

    /** What a waiter is woken with when the source is closed under it. */
    private static final Object CLOSED = new Object();

    private final EventLoop loop;
    private final InputStream in;
    private final String name;

    // ---- loop thread only
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private int buffered;
    private boolean eof;
    private IOException failure;
    private boolean closed;
    private Waker<Object> waiter;

    // ---- shared with the pump, under lock
    private final Object lock = new Object();
    private int credit;
    private boolean stop;

    PipeSource(EventLoop loop, InputStream in, int limit, String name) {
        this.loop = loop;
        this.in = in;
        this.name = name;
        this.credit = limit;
        Thread.ofPlatform().daemon(true).name(name).stackSize(Subprocess.PUMP_STACK).start(this::pump);
    }

    // ------------------------------------------------------------------ the pump thread

    private void pump() {
        byte[] buf = new byte[Math.max(1, Math.min(CHUNK, credit / 2))];
        try {
            while (true) {
                int max;
                synchronized (lock) {
                    while (credit == 0 && !stop) {
                        lock.wait();
                    }
                    if (stop) {
                        return;
                    }
                    max = Math.min(credit, buf.length);
                }
                int n = in.read(buf, 0, max);
                if (n < 0) {
                    post(this::arrivedEof);
                    return;
                }
                if (n == 0) {
                    continue;
                }
                byte[] chunk = Arrays.copyOf(buf, n);
                synchronized (lock) {
                    credit -= n;
                }
                if (!post(() -> arrived(chunk))) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!stopped()) {
                post(() -> failed(e));
            }
        } catch (InterruptedException e) {
            // nobody interrupts a pump; end it quietly if someone does
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // the descriptor is released either way
            }
        }
    }

    private boolean stopped() {
        synchronized (lock) {
            return stop;
        }
    }

    /** Hands {@code r} to the loop; false if the loop is gone (then the pump stops). */
    private boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (LoopClosedException gone) {
            return false;
        }
    }

    // ------------------------------------------------------------------ loop side

    private void arrived(byte[] chunk) {
        if (closed) {
            return;
        }
        chunks.add(chunk);
        buffered += chunk.length;
        wakeWaiter(null);
    }

    private void arrivedEof() {
        eof = true;
        wakeWaiter(null);
    }

    private void failed(IOException e) {
        if (failure == null && !eof) {
            failure = e;
        }
        wakeWaiter(null);
    }

    private void wakeWaiter(Object value) {
        Waker<Object> w = waiter;
        if (w != null) {
            waiter = null;
            w.wake(value);
        }
    }

    /** Bytes here, readable without waiting. */
    int buffered() {
        return buffered;
    }

    /** Moves what is here into {@code dst} without waiting: the count, 0 if nothing yet, -1 at the end. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (buffered == 0) {
            if (failure != null) {
                throw failure;
            }
            return eof ? -1 : 0;
        }
        int n = 0;
        while (dst.hasRemaining() && !chunks.isEmpty()) {
            byte[] head = chunks.peek();
            int k = Math.min(dst.remaining(), head.length - headOffset);
            dst.put(head, headOffset, k);
            headOffset += k;
            n += k;
            if (headOffset == head.length) {
                chunks.poll();
                headOffset = 0;
            }
        }
        buffered -= n;
        giveCredit(n);
        return n;
    }

    private void giveCredit(int n) {
        if (n == 0 || eof) {
            return;
        }
        synchronized (lock) {
            if (credit == 0) {
                lock.notify();
            }
            credit += n;
        }
    }

    /** Suspends the calling task until {@link #read} has something to return (bytes, the end, a failure). */
    @Override
    public void awaitReadable() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (buffered > 0 || eof || failure != null) {
            return;
        }
        if (waiter != null) {
            throw new IllegalStateException("another task is already waiting to read from " + name);
        }
        waiter = Suspension.waker();
        Object woken = Suspension.parkExternal(() -> {
            waiter = null;
            return Abort.Result.SUCCEEDED;
        });
        if (woken == CLOSED) {
            throw new ChannelClosedException("the pipe " + name + " was closed while a task waited to read it");
        }
    }

    /**
     * Stops the pump and drops what is buffered; a waiting reader wakes with
     * {@link ChannelClosedException}. The pump closes the stream (freeing the descriptor) as soon
     * as it is not inside a read; the JDK stream is closed here too, which frees the descriptor
     * at once even then.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        chunks.clear();
        buffered = 0;
        synchronized (lock) {
            stop = true;
            lock.notify();
        }
        try {
            in.close(); // the JDK's process stream closes without taking the lock a blocked read holds
        } catch (IOException ignored) {
            // released either way
        }
        wakeWaiter(CLOSED);
    }

    @Override
    public int write(ByteBuffer src) {
        throw new UnsupportedOperationException(name + " is a child's output: it can only be read");
    }

    @Override
    public void awaitWritable() {
        throw new UnsupportedOperationException(name + " is a child's output: it can only be read");
    }

    @Override
    public void onWritable(Runnable callback) {
        throw new UnsupportedOperationException(name + " is a child's output: it can only be read");
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return name;
    }
}
