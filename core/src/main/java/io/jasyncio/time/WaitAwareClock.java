package io.jasyncio.time;

/**
 * A {@link LoopClock} the loop consults before and after each wait: for virtual time
 * ({@link VirtualClock}), which decides when time jumps and how long the loop may block. The loop
 * calls these two hooks on its own thread; code that only reads the time needs only
 * {@link LoopClock}. A plain {@code LoopClock} behaves as if {@code beforeBlocking} returned its
 * first argument and {@code afterBlocking} did nothing.
 */
public interface WaitAwareClock extends LoopClock {

    /**
     * Called by the loop when no callback is ready and it is about to wait for I/O or for its next
     * timer. Returns how long the loop may block, in nanoseconds ({@code -1} for no limit). The
     * real clock lets real time pass and returns its argument; a virtual clock may advance itself
     * to the next timer and return 0.
     *
     * @param nanosUntilNextTimer time until the earliest timer, or -1 if there is none
     * @param outsideWaitersPending true if the loop waits on something outside itself: a channel is
     *                            registered for readiness, or a task awaits work on another thread
     *                            ({@code Async.await(CompletionStage)},
     *                            {@code Async.toThread}, {@code Async.runInExecutor})
     * @return how long the loop may block, in nanoseconds, or -1 for no limit
     */
    long beforeBlocking(long nanosUntilNextTimer, boolean outsideWaitersPending);

    /**
     * Called by the loop after each wait that {@link #beforeBlocking} allowed (a zero-length one
     * too), once I/O readiness and work handed over by other threads have been collected and before
     * due timers fire. A virtual clock uses it to tell a wait that ended in work from one that
     * passed idle (Trio's autojump threshold). Not called in iterations that had work ready. The
     * default does nothing.
     *
     * @param workArrived true if the wait made something runnable
     */
    default void afterBlocking(boolean workArrived) {
    }
}
