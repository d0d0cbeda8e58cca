package io.jasyncio;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One channel's registration with its loop's selector: who wants to know when it is readable and
 * when writable. Either direction has at most one task waiting ({@link Async#waitReadable}) or one
 * callback ({@link EventLoop#addReader}), not both.
 *
 * <p>Interest is dropped lazily: after a waiter is woken the interest stays set, because the usual
 * next step is to read until empty and wait again; if the selector then reports readiness with
 * nobody waiting, the interest is cleared. That saves an {@code interestOps} change per wait on a
 * busy connection.
 *
 * <p>Attached to its {@link SelectionKey}; the loop's select pass calls {@link #accept}.
 */
final class IoRegistration implements Consumer<SelectionKey> {

    private final LoopIo io;
    private final EventLoop loop;
    final SelectableChannel channel;
    final SelectionKey key;
    private int interest;

    private Task<?> readWaiter, writeWaiter;
    private Handle reader, writer;

    /** Abort hooks for a cancelled waiter, made once per registration rather than per wait. */
    final Abort abortRead = new Abort(false);
    final Abort abortWrite = new Abort(true);

    /** What a task waiting for readiness parks on: its abort hook, and for dumps, its channel. */
    final class Abort implements Runnable {
        final boolean write;

        Abort(boolean write) {
            this.write = write;
        }

        IoRegistration registration() {
            return IoRegistration.this;
        }

        @Override
        public void run() {
            if (write) {
                writeWaiter = null;
            } else {
                readWaiter = null;
            }
            updateInterest();
        }
    }

    IoRegistration(LoopIo io, SelectableChannel channel) throws ClosedChannelException {
        this.io = io;
        this.loop = io.loop;
        this.channel = channel;
        this.key = channel.register(io.selector, 0, this);
    }

    private int readOps() {
        return channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
    }

    private int writeOps() {
        if (channel instanceof SocketChannel sc && sc.isConnectionPending()) {
            return SelectionKey.OP_CONNECT;
        }
        return channel.validOps() & SelectionKey.OP_WRITE;
    }

    boolean hasReadInterest() {
        return readWaiter != null || reader != null;
    }

    boolean hasWriteInterest() {
        return writeWaiter != null || writer != null;
    }

    void setReadWaiter(Task<?> t) {
        if (readWaiter != null || reader != null) {
            throw new IllegalStateException("something is already waiting to read from " + channel
                    + " (one reader per channel: serialise readers with a lock)");
        }
        readWaiter = t;
        addInterest(readOps());
    }

    void setWriteWaiter(Task<?> t) {
        if (writeWaiter != null || writer != null) {
            throw new IllegalStateException("something is already waiting to write to " + channel
                    + " (one writer per channel: serialise writers with a lock)");
        }
        writeWaiter = t;
        addInterest(writeOps());
    }

    void setReader(Runnable callback) {
        if (readWaiter != null) {
            throw new IllegalStateException("a task is already waiting to read from " + channel);
        }
        reader = new Handle(callback);
        addInterest(readOps());
    }

    void setWriter(Runnable callback) {
        if (writeWaiter != null) {
            throw new IllegalStateException("a task is already waiting to write to " + channel);
        }
        writer = new Handle(callback);
        addInterest(writeOps());
    }

    boolean removeReader() {
        boolean had = reader != null;
        reader = null;
        updateInterest();
        return had;
    }

    boolean removeWriter() {
        boolean had = writer != null;
        writer = null;
        updateInterest();
        return had;
    }

    private void addInterest(int ops) {
        if ((interest & ops) != ops) {
            setInterest(interest | ops);
        }
    }

    /** Drops the interest of directions nobody wants any more. */
    private void updateInterest() {
        int want = 0;
        if (hasReadInterest()) {
            want |= readOps();
        }
        if (hasWriteInterest()) {
            want |= writeOps();
        }
        if (want != interest) {
            setInterest(want);
        }
    }

    private void setInterest(int ops) {
        if (!key.isValid()) {
            return;
        }
        if (interest == 0 && ops != 0) {
            io.interested++;
        } else if (interest != 0 && ops == 0) {
            io.interested--;
        }
        interest = ops;
        key.interestOps(ops);
    }

    /** The selector reported readiness. */
    @Override
    public void accept(SelectionKey k) {
        int ready = k.readyOps();
        boolean stale = false;
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            if (readWaiter != null) {
                Task<?> t = readWaiter;
                readWaiter = null;
                t.wake(null);
            } else if (reader != null) {
                loop.enqueue(reader);
            } else {
                stale = true;
            }
        }
        if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            if (writeWaiter != null) {
                Task<?> t = writeWaiter;
                writeWaiter = null;
                t.wake(null);
            } else if (writer != null) {
                loop.enqueue(writer);
            } else {
                stale = true;
            }
        }
        if (stale) {
            updateInterest();
        } else if ((ready & SelectionKey.OP_CONNECT) != 0 && writeWaiter == null && writer == null) {
            updateInterest(); // OP_CONNECT is one-shot; never leave it set
        }
    }

    /** The channel is being closed or forgotten: wake waiters with the error, drop the key. */
    void close(RuntimeException forWaiters) {
        reader = null;
        writer = null;
        Task<?> r = readWaiter, w = writeWaiter;
        readWaiter = writeWaiter = null;
        if (interest != 0) {
            io.interested--;
            interest = 0;
        }
        key.cancel();
        if (r != null) {
            r.wakeWithError(forWaiters);
        }
        if (w != null) {
            w.wakeWithError(forWaiters);
        }
    }
}
