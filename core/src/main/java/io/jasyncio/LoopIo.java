package io.jasyncio;

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
import java.util.function.Consumer;

/**
 * The loop's I/O backend: its one {@link Selector}, the {@link IoRegistration} of each channel it
 * watches, and the select calls. {@link EventLoop} owns the loop, its thread rules and its public
 * API; this class owns what the selector knows. Loop thread only, except {@link #wakeup()}.
 */
final class LoopIo {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    /** Selection keys carry their {@link IoRegistration}, which handles their readiness. */
    @SuppressWarnings("unchecked")
    private static final Consumer<SelectionKey> DISPATCH = key -> ((Consumer<SelectionKey>) key.attachment()).accept(key);

    final EventLoop loop;
    final Selector selector;
    /** Registrations with a non-empty interest set; when zero and work is ready, polling is skipped. */
    int interested;

    LoopIo(EventLoop loop) {
        this.loop = loop;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the event loop", e);
        }
    }

    /** The channel's registration, made on first use. */
    IoRegistration registration(SelectableChannel channel) throws ClosedChannelException {
        Objects.requireNonNull(channel, "channel");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: call configureBlocking(false) first");
        }
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid()) {
            return (IoRegistration) key.attachment();
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (key != null) {
            // A key cancelled by channel.close() elsewhere lingers until the next select.
            selectNow();
        }
        return new IoRegistration(this, channel);
    }

    /** The channel's registration, or null if it has none. */
    IoRegistration existing(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key != null && key.isValid() ? (IoRegistration) key.attachment() : null;
    }

    /** Wakes the channel's waiters with {@code forWaiters}, closes it and really releases it. */
    void closeChannel(SelectableChannel channel, RuntimeException forWaiters) {
        // A key may also be cancelled already, by a close elsewhere (the JDK closes a socket whose
        // connect failed itself): the descriptor is then still held until the next select.
        SelectionKey key = channel.keyFor(selector);
        IoRegistration r = key != null && key.isValid() ? (IoRegistration) key.attachment() : null;
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

    /** How many channels are registered, for metrics on any thread (racy: the key set's size). */
    int registeredCountRacy() {
        return selector.isOpen() ? selector.keys().size() : 0;
    }

    /** Registered channels that are still open. */
    List<SelectableChannel> openChannels() {
        List<SelectableChannel> out = new ArrayList<>();
        for (SelectionKey k : selector.keys()) {
            if (k.isValid() && k.channel().isOpen()) {
                out.add(k.channel());
            }
        }
        return out;
    }

    /** Dispatches whatever is ready now, without waiting. */
    void selectNow() {
        try {
            selector.selectNow(DISPATCH);
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        }
    }

    /** Waits up to {@code timeoutNanos} (negative: no limit) for readiness or a wakeup, then dispatches. */
    void select(long timeoutNanos) {
        try {
            if (timeoutNanos < 0) {
                selector.select(DISPATCH);
            } else {
                // Round up: waking early would just spin through another iteration.
                long ms = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                selector.select(DISPATCH, ms);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        }
    }

    /** Makes a select in progress (or the next one) return at once. Thread-safe. */
    void wakeup() {
        selector.wakeup();
    }

    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the event loop's selector failed", e);
        }
    }
}
