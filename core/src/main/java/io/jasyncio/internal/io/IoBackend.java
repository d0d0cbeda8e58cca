package io.jasyncio.internal.io;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.util.List;

/**
 * The seam between an event loop and the mechanism that tells it which channels are ready (Netty's
 * {@code IoHandler}, Trio's IO manager): the loop's I/O backend. {@link SelectorBackend} is the
 * JDK {@code Selector} one; another backend (io_uring, a simulated network for tests) is one more
 * class implementing this.
 *
 * <p>A backend holds opaque targets and never names a task or a loop: what it registers is handed
 * back to the loop's {@link Dispatcher} when it is due. Per channel and direction it holds at most
 * one target, either a waiter (one-shot: dropped when dispatched) or a callback (kept until
 * removed).
 *
 * <p>Thread rule: the loop's thread only, except {@link #wakeup()}, which any thread may call.
 */
public interface IoBackend {

    /** Where a backend hands its targets back; the loop implements it. */
    interface Dispatcher {
        /**
         * {@code target}'s channel is ready in the direction it was registered for. A waiter has
         * been dropped before this call; a callback stays registered.
         *
         * @param target the waiter or callback, as registered
         */
        void ready(Object target);

        /**
         * The channel of the waiter {@code target} was closed through {@link #closeChannel}.
         *
         * @param target the waiter, as registered
         * @param error  what the waiter should see
         */
        void closed(Object target, RuntimeException error);
    }

    /**
     * Registers {@code waiter} for the channel's next readiness in one direction (for a socket still
     * connecting, writability means the connection attempt has an outcome).
     *
     * @param channel a non-blocking channel
     * @param write   true for writability, false for readability (or a connection to accept)
     * @param waiter  handed to {@link Dispatcher#ready} once, then forgotten
     * @return what takes the waiter back before it is dispatched (the same object for every wait
     *     of this channel and direction: nothing is allocated per wait)
     * @throws ClosedChannelException   if the channel is closed
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException    if something already waits or listens in that direction
     */
    Runnable addWaiter(SelectableChannel channel, boolean write, Object waiter) throws ClosedChannelException;

    /**
     * Registers {@code callback} for every readiness of the channel in one direction, replacing an
     * earlier callback of that direction.
     *
     * @param channel  a non-blocking channel
     * @param write    true for writability
     * @param callback handed to {@link Dispatcher#ready} on each readiness
     * @throws ClosedChannelException   if the channel is closed
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException    if a waiter waits in that direction
     */
    void setCallback(SelectableChannel channel, boolean write, Object callback) throws ClosedChannelException;

    /**
     * Removes the channel's callback of one direction.
     *
     * @param channel the channel
     * @param write   true for the writability callback
     * @return true if there was one
     */
    boolean removeCallback(SelectableChannel channel, boolean write);

    /**
     * Closes {@code channel} and really releases it: its waiters are handed to
     * {@link Dispatcher#closed} with {@code forWaiters}, its callbacks dropped.
     *
     * @param channel    the channel
     * @param forWaiters what a waiter sees
     */
    void closeChannel(SelectableChannel channel, RuntimeException forWaiters);

    /**
     * Channels registered here that are still open, in no particular order.
     *
     * @return a new list
     */
    List<SelectableChannel> registeredChannels();

    /**
     * True if anything is registered (a waiter or a callback): the loop must then poll even when
     * it has work ready, and a virtual clock must not jump as if nothing could arrive.
     *
     * @return whether any interest is registered
     */
    boolean hasInterest();

    /**
     * Waits up to {@code timeoutNanos} for readiness or a {@link #wakeup()} (0: do not wait;
     * negative: no limit), then dispatches what is ready.
     *
     * @param timeoutNanos the longest wait, in nanoseconds
     */
    void poll(long timeoutNanos);

    /** Makes a poll in progress (or the next one) return at once. Thread-safe. */
    void wakeup();

    /** Releases the backend (the loop is closing); registrations are dropped. */
    void close();
}
