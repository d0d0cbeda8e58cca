package io.jasyncio.process;

import io.jasyncio.ChannelClosedException;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopClosedException;
import io.jasyncio.lowlevel.Abort;
import io.jasyncio.lowlevel.Suspension;
import io.jasyncio.lowlevel.Waker;
import io.jasyncio.net.StreamTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A child's stdin, fed from the loop: the writable end of a {@code StreamWriter}.
 *
 * <h2>How the bytes leave</h2>
 * {@link #write} copies what fits into this sink's queue, at most {@link #CAPACITY} bytes, and
 * never blocks; one platform thread (the pump) takes chunks off the queue and makes the blocking
 * writes to the JDK's pipe stream, then tells the loop how much room it freed, which wakes the
 * task waiting in {@link #awaitWritable()} or runs the {@link #onWritable} callback. A child that
 * does not read fills the OS pipe, the pump blocks in its write, the queue fills and stays full:
 * the stream above then stops taking bytes and its writer suspends at its high-water mark. No
 * more than {@code CAPACITY} bytes wait here.
 *
 * <h2>States</h2>
 * <pre>
 *   open       writes queue; the pump drains
 *   eof        shutdownOutput: the pump closes the pipe once the queue is empty (the child reads EOF)
 *   closing    close: as eof, and nothing more may be written
 *   aborted    abort: the queue is dropped, the pump closes the pipe after its current write
 *   failed     the pipe broke (the child exited): writes throw BrokenPipeException
 * </pre>
 */
final class PipeSink implements StreamTransport {

    /** The most bytes queued here (the writer above has its own queue and water marks). */
    static final int CAPACITY = 64 * 1024;

    private static final Object CLOSED = new Object();

    private final EventLoop loop;
    private final OutputStream out;
    private final String name;

    // ---- loop thread only
    private IOException failure;
    private boolean closed;
    private Waker<Object> waiter;
    private Runnable onWritable;
    private boolean writableScheduled;

    // ---- shared with the pump, under lock
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int queued;
    private boolean endRequested;
    private boolean aborted;

    /** Completed when the pump thread has ended and closed the pipe. */
    final CompletableFuture<Void> finished = new CompletableFuture<>();

    PipeSink(EventLoop loop, OutputStream out, String name) {
        this.loop = loop;
        this.out = out;
        this.name = name;
        Thread.ofPlatform().daemon(true).name(name).stackSize(Subprocess.PUMP_STACK).start(this::pump);
    }

    // ------------------------------------------------------------------ the pump thread

    private void pump() {
        try {
            while (true) {
                byte[] chunk;
                synchronized (lock) {
                    while (queue.isEmpty() && !endRequested && !aborted) {
                        lock.wait();
                    }
                    if (aborted || queue.isEmpty()) {
                        return; // aborted, or the end was asked for and everything before it is out
                    }
                    // Taken off the queue before the write, so that the loop can queue the next
                    // chunk while this one goes out: the pipe never waits for a round trip.
                    chunk = queue.poll();
                    queued -= chunk.length;
                }
                post(this::drained);
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            boolean quiet;
            synchronized (lock) {
                quiet = aborted;
                aborted = true;
                queue.clear();
                queued = 0;
            }
            if (!quiet) {
                post(() -> failed(new BrokenPipeException("writing to " + name + " failed: the child closed its stdin"
                        + " (or exited)", e)));
            }
        } catch (InterruptedException e) {
            // nobody interrupts a pump
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // a broken pipe: the descriptor is released either way
            }
            finished.complete(null);
        }
    }

    private void post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (LoopClosedException gone) {
            synchronized (lock) {
                aborted = true;
                lock.notify();
            }
        }
    }

    // ------------------------------------------------------------------ loop side

    private void drained() {
        wakeWaiter(null);
        scheduleWritable();
    }

    private void failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        wakeWaiter(null);
        scheduleWritable(); // the writer's flush learns of the failure from its next write
    }

    private void scheduleWritable() {
        if (onWritable != null && !writableScheduled) {
            writableScheduled = true;
            loop.callSoon(() -> {
                writableScheduled = false;
                Runnable r = onWritable;
                if (r != null && !closed) {
                    r.run();
                }
            });
        }
    }

    private void wakeWaiter(Object value) {
        Waker<Object> w = waiter;
        if (w != null) {
            waiter = null;
            w.wake(value);
        }
    }

    private int room() {
        synchronized (lock) {
            return aborted ? 0 : CAPACITY - queued;
        }
    }

    /** Bytes written here and not yet taken by the pump. */
    int pending() {
        synchronized (lock) {
            return queued;
        }
    }

    /** Takes as much of {@code src} as fits, without waiting; the count taken, possibly 0. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (lock) {
            if (endRequested) {
                throw new ClosedChannelException();
            }
            int n = Math.min(CAPACITY - queued, src.remaining());
            if (n <= 0) {
                return 0;
            }
            byte[] chunk = new byte[n];
            src.get(chunk);
            queue.add(chunk);
            queued += n;
            lock.notify();
            return n;
        }
    }

    /** Suspends until {@link #write} may take something, or the pipe failed (the next write throws). */
    @Override
    public void awaitWritable() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (failure != null || room() > 0) {
            return;
        }
        if (waiter != null) {
            throw new IllegalStateException("another task is already waiting to write to " + name);
        }
        waiter = Suspension.waker();
        Object woken = Suspension.parkExternal(() -> {
            waiter = null;
            return Abort.Result.SUCCEEDED;
        });
        if (woken == CLOSED) {
            throw new ChannelClosedException("the pipe " + name + " was closed while a task waited to write it");
        }
    }

    /** Runs {@code callback} on the loop whenever room frees up; null stops. */
    @Override
    public void onWritable(Runnable callback) {
        this.onWritable = callback;
        if (callback != null && (room() > 0 || failure != null)) {
            scheduleWritable();
        }
    }

    /** The child reads the end of its stdin once everything queued has gone. */
    @Override
    public boolean canShutdownOutput() {
        return true;
    }

    @Override
    public void shutdownOutput() {
        synchronized (lock) {
            endRequested = true;
            lock.notify();
        }
    }

    /** Closes after what is queued has gone (the pump closes the pipe then). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onWritable = null;
        shutdownOutput();
        wakeWaiter(CLOSED);
    }

    /** Drops the queue; the pump closes the pipe as soon as it is not inside a write (at once, if idle). */
    void abort() {
        synchronized (lock) {
            aborted = true;
            queue.clear();
            queued = 0;
            lock.notify();
        }
        if (!closed) {
            closed = true;
            onWritable = null;
            wakeWaiter(CLOSED);
        }
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new UnsupportedOperationException(name + " is a child's input: it can only be written");
    }

    @Override
    public void awaitReadable() {
        throw new UnsupportedOperationException(name + " is a child's input: it can only be written");
    }

    @Override
    public String toString() {
        return name;
    }
}
