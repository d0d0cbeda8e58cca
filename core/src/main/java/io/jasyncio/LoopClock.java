package io.jasyncio;

/**
 * Where an {@link EventLoop} gets the time from. The default is the JVM's monotonic clock
 * ({@link System#nanoTime()}); the testing module supplies a virtual clock through this same
 * interface, so the loop's logic never knows which one it has.
 */
public interface LoopClock {

    /**
     * Current time in nanoseconds; only differences are meaningful. Must never go backwards.
     *
     * @return the current time, in nanoseconds
     */
    long nanoTime();

    /**
     * Called by the loop when no callback is ready and it is about to wait for I/O or for its next
     * timer. Returns how long the loop may block, in nanoseconds ({@code -1} for no limit). The
     * real clock lets real time pass and returns its argument; a virtual clock may advance itself
     * to the next timer and return 0.
     *
     * @param nanosUntilNextTimer time until the earliest timer, or -1 if there is none
     * @param outsideWaitersPending true if the loop waits on something outside itself: a channel is
     *                            registered for readiness, or a task awaits work on another thread
     *                            ({@link Async#await(java.util.concurrent.CompletionStage)},
     *                            {@link Async#toThread}, {@link Async#runInExecutor})
     * @return how long the loop may block, in nanoseconds, or -1 for no limit
     */
    default long beforeBlocking(long nanosUntilNextTimer, boolean outsideWaitersPending) {
        return nanosUntilNextTimer;
    }

    /**
     * Called by the loop after each wait that {@link #beforeBlocking} allowed (a zero-length one
     * too), once I/O readiness and work handed over by other threads have been collected and before
     * due timers fire. A virtual clock uses it to tell a wait that ended in work from one that
     * passed idle (Trio's autojump threshold). Not called in iterations that had work ready.
     *
     * @param workArrived true if the wait made something runnable
     */
    default void afterBlocking(boolean workArrived) {
    }

    /**
     * The JVM's monotonic clock.
     *
     * @return the system clock
     */
    static LoopClock system() {
        return SystemClock.INSTANCE;
    }

    /** The system clock as a named singleton, so it prints well in logs. */
    final class SystemClock implements LoopClock {
        static final SystemClock INSTANCE = new SystemClock();

        private SystemClock() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public String toString() {
            return "LoopClock.system()";
        }
    }
}
