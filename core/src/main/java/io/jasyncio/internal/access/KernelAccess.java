package io.jasyncio.internal.access;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the low-level room ({@code io.jasyncio.lowlevel}) needs from the kernel that the kernel's
 * public API does not offer: the JDK's "shared secrets" pattern. The kernel implements it and
 * registers the one instance with {@link Access} when its loop class initializes; the low-level
 * room calls through it. The type parameters stand for the kernel's own types, which this room
 * may not name (it lies below the kernel): the loop, the task and the loop's builder.
 *
 * <p>Thread rules are the kernel's: everything here is for the loop's thread, except
 * {@link #currentLoopOrNull()} and {@link #setThreadDefaults}, which act on the calling thread.
 *
 * @param <L> the kernel's event loop
 * @param <T> the kernel's task
 * @param <B> the kernel's loop builder
 */
public interface KernelAccess<L, T, B> {

    /**
     * The running task, for a low-level operation named {@code what}.
     *
     * @param what the operation, for the message
     * @return the running task
     * @throws IllegalStateException if no task runs here, naming the fix
     */
    T currentTask(String what);

    /**
     * The loop running on the calling thread, or null. Thread-safe.
     *
     * @return the running loop, or null
     */
    L currentLoopOrNull();

    /**
     * The loop {@code task} belongs to.
     *
     * @param task a task
     * @return its loop
     */
    L loopOf(T task);

    /**
     * Parks {@code task}, the running one, until {@link #wake} or {@link #wakeWithError}; a
     * cancellation asks {@code abort} first (null: nothing to undo). Throws the pending
     * cancellation at once, without parking, if there is one.
     *
     * @param task  the running task
     * @param abort asked to undo the wait on cancellation, or null
     * @return the value the waker passed
     */
    Object park(T task, AbortHook abort);

    /**
     * Wakes {@code task}, parked by {@link #park}, with {@code value}.
     *
     * @param task  the parked task
     * @param value what its park returns
     * @throws IllegalStateException if the task is not parked by {@link #park}
     */
    void wake(T task, Object value);

    /**
     * Wakes {@code task}, parked by {@link #park}, making its park throw {@code error}.
     *
     * @param task  the parked task
     * @param error what its park throws
     * @throws IllegalStateException if the task is not parked by {@link #park}
     */
    void wakeWithError(T task, RuntimeException error);

    /**
     * Counts {@code delta} more (or fewer) tasks of {@code loop} waiting for work another thread
     * will hand in, as the loop counts {@code toThread}: a virtual clock lets real time pass
     * while there are any.
     *
     * @param loop  the loop
     * @param delta +1 as a task starts such a wait, -1 as it ends
     */
    void countOutsideWait(L loop, int delta);

    /**
     * Parks the running task until {@code channel} is readable, or writable if {@code write}.
     *
     * @param channel a non-blocking channel
     * @param write   true for writability
     * @throws ClosedChannelException if the channel is closed
     */
    void waitReady(SelectableChannel channel, boolean write) throws ClosedChannelException;

    /**
     * Calls {@code callback} on each readiness of {@code channel} for reading (or writing).
     *
     * @param loop     the loop
     * @param channel  a non-blocking channel
     * @param write    true for writability
     * @param callback what to call
     * @throws ClosedChannelException if the channel is closed
     */
    void addCallback(L loop, SelectableChannel channel, boolean write, Runnable callback) throws ClosedChannelException;

    /**
     * Removes the reader (or writer) callback of {@code channel}.
     *
     * @param loop    the loop
     * @param channel the channel
     * @param write   true for the writer
     * @return true if there was one
     */
    boolean removeCallback(L loop, SelectableChannel channel, boolean write);

    /**
     * Closes {@code channel} and releases its registration, waking its waiters.
     *
     * @param loop    the loop
     * @param channel the channel
     */
    void closeChannel(L loop, SelectableChannel channel);

    /**
     * The loop's registered channels that are still open.
     *
     * @param loop the loop
     * @return a new list
     */
    List<SelectableChannel> registeredChannels(L loop);

    /**
     * The value in slot {@code slot} of {@code loop}'s loop-locals, or null.
     *
     * @param loop the loop, the caller's
     * @param slot the slot
     * @return the value, or null
     */
    Object loopLocal(L loop, int slot);

    /**
     * Sets slot {@code slot} of {@code loop}'s loop-locals.
     *
     * @param loop  the loop, the caller's
     * @param slot  the slot
     * @param value the value, or null
     */
    void setLoopLocal(L loop, int slot, Object value);

    /**
     * Sets (or, with null, clears) what every new builder on the calling thread starts from.
     *
     * @param defaults applied to each new builder, or null
     */
    void setThreadDefaults(Consumer<B> defaults);
}
