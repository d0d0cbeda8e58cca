package io.jasyncio.lowlevel;

import io.jasyncio.ChannelClosedException;
import io.jasyncio.EventLoop;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.Objects;

/**
 * Readiness of non-blocking NIO channels on a loop's I/O backend: the waits and callbacks that
 * {@code io.jasyncio.net} is built on (asyncio's {@code add_reader}, Trio's
 * {@code wait_readable}), for transports of your own. Each channel has at most one reader (a task
 * waiting or a callback) and one writer at a time. Loop thread only.
 */
public final class Readiness {

    private Readiness() {
    }

    /**
     * Suspends the running task until {@code channel} is readable (for a server channel: has a
     * connection to accept). The channel must be non-blocking; at most one task may wait to read
     * from a channel at a time. Cancellation removes the wait.
     *
     * @param channel a non-blocking channel
     * @throws ClosedChannelException if the channel is closed
     * @throws ChannelClosedException if it is closed through {@link #closeChannel} while waiting
     * @throws IllegalStateException  if another task is already waiting to read from it
     */
    public static void waitReadable(SelectableChannel channel) throws ClosedChannelException {
        Kernel.K.waitReady(channel, false);
    }

    /**
     * Suspends the running task until {@code channel} is writable (for a socket still connecting:
     * until the connection attempt has an outcome, to finish with {@code finishConnect()}).
     * Same rules as {@link #waitReadable}.
     *
     * @param channel a non-blocking channel
     * @throws ClosedChannelException if the channel is closed
     */
    public static void waitWritable(SelectableChannel channel) throws ClosedChannelException {
        Kernel.K.waitReady(channel, true);
    }

    /**
     * Calls {@code callback} on the loop each time {@code channel} is readable (or, for a server
     * channel, has a connection to accept), until {@link #removeReader} (asyncio's
     * {@code add_reader}). Replaces an earlier reader callback of the same channel.
     *
     * @param loop     the loop, the caller's
     * @param channel  a non-blocking channel
     * @param callback the code to run on each readiness
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException    if a task is waiting to read from the channel
     * @throws ClosedChannelException   if the channel is closed
     */
    public static void addReader(EventLoop loop, SelectableChannel channel, Runnable callback)
            throws ClosedChannelException {
        Kernel.K.addCallback(Objects.requireNonNull(loop, "loop"), channel, false, callback);
    }

    /**
     * Stops calling the channel's reader callback.
     *
     * @param loop    the loop
     * @param channel the channel
     * @return true if a reader callback was removed, false if it had none
     */
    public static boolean removeReader(EventLoop loop, SelectableChannel channel) {
        return Kernel.K.removeCallback(Objects.requireNonNull(loop, "loop"), channel, false);
    }

    /**
     * Like {@link #addReader} for writability (asyncio's {@code add_writer}).
     *
     * @param loop     the loop, the caller's
     * @param channel  a non-blocking channel
     * @param callback the code to run on each readiness
     * @throws ClosedChannelException if the channel is closed
     */
    public static void addWriter(EventLoop loop, SelectableChannel channel, Runnable callback)
            throws ClosedChannelException {
        Kernel.K.addCallback(Objects.requireNonNull(loop, "loop"), channel, true, callback);
    }

    /**
     * Stops calling the channel's writer callback.
     *
     * @param loop    the loop
     * @param channel the channel
     * @return true if a writer callback was removed, false if it had none
     */
    public static boolean removeWriter(EventLoop loop, SelectableChannel channel) {
        return Kernel.K.removeCallback(Objects.requireNonNull(loop, "loop"), channel, true);
    }

    /**
     * Closes {@code channel} and releases its registration with {@code loop}: a task waiting on
     * it wakes with {@link ChannelClosedException}, callbacks are dropped. Use this rather than
     * {@code channel.close()} for a channel the loop knows, or a waiting task would never wake.
     *
     * @param loop    the loop
     * @param channel the channel to close
     */
    public static void closeChannel(EventLoop loop, SelectableChannel channel) {
        Kernel.K.closeChannel(Objects.requireNonNull(loop, "loop"), channel);
    }

    /**
     * Channels registered with {@code loop} (by a wait, a reader or a writer) that are still open,
     * in no particular order: for test harnesses that check nothing was left open.
     *
     * @param loop the loop
     * @return the open registered channels
     */
    public static List<SelectableChannel> registeredChannels(EventLoop loop) {
        return Kernel.K.registeredChannels(Objects.requireNonNull(loop, "loop"));
    }
}
