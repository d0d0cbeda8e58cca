package io.jasyncio;

/**
 * Where an {@link EventLoop} gets the time from. The default is the JVM's monotonic clock
 * ({@link System#nanoTime()}); the testing module supplies a virtual clock through this same
 * interface, so the loop's logic never knows which one it has.
 */
public interface LoopClock {

    /** Current time in nanoseconds; only differences are meaningful. Must never go backwards. */
    long nanoTime();

    /**
     * Called by the loop when no callback is ready and it is about to wait for I/O or for its next
     * timer. Returns how long the loop may block, in nanoseconds ({@code -1} for no limit). The
     * real clock lets real time pass and returns its argument; a virtual clock may advance itself
     * to the next timer and return 0.
     *
     * @param nanosUntilNextTimer time until the earliest timer, or -1 if there is none
     * @param ioWaitersPending    true if any channel is registered for readiness on the loop
     */
    default long beforeBlocking(long nanosUntilNextTimer, boolean ioWaitersPending) {
        return nanosUntilNextTimer;
    }

    /** The JVM's monotonic clock. */
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
