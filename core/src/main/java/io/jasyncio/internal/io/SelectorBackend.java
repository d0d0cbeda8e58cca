package io.jasyncio.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The JDK {@link Selector} as the loop's I/O backend: its one selector and the
 * {@link SelectorRegistration} of each channel it watches. Loop thread only, except
 * {@link #wakeup()}.
 */
public final class SelectorBackend implements IoBackend {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    /** Selection keys carry their {@link SelectorRegistration}, which handles their readiness. */
    @SuppressWarnings("unchecked")
    private static final Consumer<SelectionKey> DISPATCH = key -> ((Consumer<SelectionKey>) key.attachment()).accept(key);

    final Dispatcher dispatcher;
    final Selector selector;
    /** Registrations with a non-empty interest set; when zero and work is ready, polling is skipped. */
    int interested;

    /*
     * Timer precision. The selector waits in whole milliseconds (epoll_wait takes an int of ms), and
     * Linux adds its timer slack (50 µs) to every timed wait: rounding a wait up to the next whole
     * ms made a 1 ms sleep oversleep by 0.5 ms on average. So a timed wait leaves the selector
     * PRECISE_STRETCH_NANOS before its deadline (whole ms rounded down, less the slack) and spends
     * the last stretch in LockSupport.parkNanos, which the kernel times in nanoseconds (an hrtimer):
     * the loop then wakes within the timer slack of its deadline. No core is burnt: with no channel
     * registered the stretch is one park (one wake-up, as before); with channels registered it is
     * parks of at most SLICE_NANOS with a selectNow between them, so readiness that arrives in the
     * last stretch waits at most a slice (200 µs), at the price of up to 6 extra wake-ups per
     * timer deadline. wakeup() unparks the stretch as it wakes the selector.
     */
    static final long PRECISE_STRETCH_NANOS = 1_100_000;
    static final long SLICE_NANOS = 200_000;
    /** The loop thread while it parks in the last stretch of a timed wait, else null. */
    private volatile Thread parkedInStretch;
    /** Set by wakeup(); the stretch ends when it sees it. */
    private volatile boolean wakeupRequested;

    /**
     * A backend over a new selector.
     *
     * @param dispatcher where ready and closed targets go
     * @throws UncheckedIOException if no selector can be opened
     */
    public SelectorBackend(Dispatcher dispatcher) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the event loop", e);
        }
    }

    @Override
    public Runnable addWaiter(SelectableChannel channel, boolean write, Object waiter) throws ClosedChannelException {
        SelectorRegistration r = registration(channel);
        if (write) {
            r.setWriteWaiter(waiter);
            return r.abortWrite();
        }
        r.setReadWaiter(waiter);
        return r.abortRead;
    }

    @Override
    public void setCallback(SelectableChannel channel, boolean write, Object callback) throws ClosedChannelException {
        SelectorRegistration r = registration(channel);
        if (write) {
            r.removeWriter();
            r.setWriter(callback);
        } else {
            r.removeReader();
            r.setReader(callback);
        }
    }

    @Override
    public boolean removeCallback(SelectableChannel channel, boolean write) {
        SelectorRegistration r = existing(channel);
        return r != null && (write ? r.removeWriter() : r.removeReader());
    }

    /** The channel's registration, made on first use. */
    private SelectorRegistration registration(SelectableChannel channel) throws ClosedChannelException {
        Objects.requireNonNull(channel, "channel");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: call configureBlocking(false) first");
        }
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid()) {
            return (SelectorRegistration) key.attachment();
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (key != null) {
            // A key cancelled by channel.close() elsewhere lingers until the next select.
            selectNow();
        }
        return new SelectorRegistration(this, channel);
    }

    /** The channel's registration, or null if it has none. */
    private SelectorRegistration existing(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key != null && key.isValid() ? (SelectorRegistration) key.attachment() : null;
    }

    @Override
    public void closeChannel(SelectableChannel channel, RuntimeException forWaiters) {
        // A key may also be cancelled already, by a close elsewhere (the JDK closes a socket whose
        // connect failed itself): the descriptor is then still held until the next select.
        SelectionKey key = channel.keyFor(selector);
        SelectorRegistration r = key != null && key.isValid() ? (SelectorRegistration) key.attachment() : null;
        if (r != null) {
            r.close(forWaiters);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing a channel failed", e);
        }
        if (key != null) {
            // The JDK defers the real close of a channel registered with a selector until its
            // cancelled key is flushed by the next select: until then a closed listening socket
            // still accepts connections (which then get reset) and the descriptor stays in use.
            // Flush now so that closing means closed.
            try {
                selector.selectNow(DISPATCH);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "flushing a cancelled key failed", e);
            }
        }
    }

    /**
     * How many channels are registered, for metrics on any thread (racy: the key set's size).
     *
     * @return the number of registered keys
     */
    public int registeredCountRacy() {
        return selector.isOpen() ? selector.keys().size() : 0;
    }

    @Override
    public List<SelectableChannel> registeredChannels() {
        List<SelectableChannel> out = new ArrayList<>();
        for (SelectionKey k : selector.keys()) {
            if (k.isValid() && k.channel().isOpen()) {
                out.add(k.channel());
            }
        }
        return out;
    }

    @Override
    public boolean hasInterest() {
        return interested > 0;
    }

    @Override
    public void poll(long timeoutNanos) {
        if (timeoutNanos == 0) {
            selectNow();
            return;
        }
        try {
            if (timeoutNanos < 0) {
                selector.select(DISPATCH);
            } else if (timeoutNanos >= PRECISE_STRETCH_NANOS) {
                // Round down and leave the stretch before the deadline to parkNanos (see above);
                // the loop comes back here with what is left.
                selector.select(DISPATCH, (timeoutNanos - PRECISE_STRETCH_NANOS) / 1_000_000 + 1);
            } else {
                waitLastStretch(System.nanoTime() + timeoutNanos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        }
    }

    /** The last stretch of a timed wait, under {@link #PRECISE_STRETCH_NANOS}: parked, not in the selector. */
    private void waitLastStretch(long deadline) throws IOException {
        parkedInStretch = Thread.currentThread();
        try {
            while (!wakeupRequested) {
                if (interested > 0 && selector.selectNow(DISPATCH) > 0) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, interested > 0 ? Math.min(left, SLICE_NANOS) : left);
            }
        } finally {
            parkedInStretch = null;
            // A wakeup that came during the stretch (or during a select before it) is answered:
            // the loop drains the inbox next. One that comes after this is seen by the next wait.
            wakeupRequested = false;
        }
    }

    /** Dispatches whatever is ready now, without waiting. */
    private void selectNow() {
        try {
            selector.selectNow(DISPATCH);
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        }
    }

    @Override
    public void wakeup() {
        wakeupRequested = true;
        selector.wakeup();
        Thread t = parkedInStretch;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the event loop's selector failed", e);
        }
    }
}
