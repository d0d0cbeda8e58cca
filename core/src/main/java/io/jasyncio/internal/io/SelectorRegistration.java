package io.jasyncio.internal.io;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One channel's registration with its loop's selector: who wants to know when it is readable and
 * when writable. Either direction has at most one waiter (a task in {@code Readiness.waitReadable})
 * or one callback ({@code Readiness.addReader}), not both; the backend holds both as opaque
 * targets and hands them to its {@link IoBackend.Dispatcher}.
 *
 * <p>Interest is dropped lazily: after a waiter is woken the interest stays set, because the usual
 * next step is to read until empty and wait again; if the selector then reports readiness with
 * nobody waiting, the interest is cleared. That saves an {@code interestOps} change per wait on a
 * busy connection.
 *
 * <p>Attached to its {@link SelectionKey}; the backend's select pass calls {@link #accept}.
 */
final class SelectorRegistration implements Consumer<SelectionKey> {

    private final SelectorBackend io;
    private final IoBackend.Dispatcher dispatcher;
    final SelectableChannel channel;
    final SelectionKey key;
    private int interest;

    private Object readWaiter, writeWaiter;
    private Object reader, writer;

    /** Abort hooks for a cancelled waiter, made once per registration rather than per wait. */
    final ChannelWait abortRead = new ChannelWait(this, false);
    /**
     * The write side's, made at the first wait for writability: most connections of a server
     * never wait to write (the socket takes what they send), and there may be 10,000 (issue 14).
     */
    private ChannelWait abortWrite;

    ChannelWait abortWrite() {
        ChannelWait a = abortWrite;
        if (a == null) {
            abortWrite = a = new ChannelWait(this, true);
        }
        return a;
    }

    /** A waiter's abort: forget it and update the interest set. */
    void abortWaiter(boolean write) {
        if (write) {
            writeWaiter = null;
        } else {
            readWaiter = null;
        }
        updateInterest();
    }

    SelectorRegistration(SelectorBackend io, SelectableChannel channel) throws ClosedChannelException {
        this.io = io;
        this.dispatcher = io.dispatcher;
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

    void setReadWaiter(Object t) {
        if (readWaiter != null || reader != null) {
            throw new IllegalStateException("something is already waiting to read from " + channel
                    + " (one reader per channel: serialise readers with a lock)");
        }
        readWaiter = t;
        addInterest(readOps());
    }

    void setWriteWaiter(Object t) {
        if (writeWaiter != null || writer != null) {
            throw new IllegalStateException("something is already waiting to write to " + channel
                    + " (one writer per channel: serialise writers with a lock)");
        }
        writeWaiter = t;
        addInterest(writeOps());
    }

    void setReader(Object callback) {
        if (readWaiter != null) {
            throw new IllegalStateException("a task is already waiting to read from " + channel);
        }
        reader = callback;
        addInterest(readOps());
    }

    void setWriter(Object callback) {
        if (writeWaiter != null) {
            throw new IllegalStateException("a task is already waiting to write to " + channel);
        }
        writer = callback;
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
                Object t = readWaiter;
                readWaiter = null;
                dispatcher.ready(t);
            } else if (reader != null) {
                dispatcher.ready(reader);
            } else {
                stale = true;
            }
        }
        if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            if (writeWaiter != null) {
                Object t = writeWaiter;
                writeWaiter = null;
                dispatcher.ready(t);
            } else if (writer != null) {
                dispatcher.ready(writer);
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
        Object r = readWaiter, w = writeWaiter;
        readWaiter = writeWaiter = null;
        if (interest != 0) {
            io.interested--;
            interest = 0;
        }
        key.cancel();
        if (r != null) {
            dispatcher.closed(r, forWaiters);
        }
        if (w != null) {
            dispatcher.closed(w, forWaiters);
        }
    }
}
