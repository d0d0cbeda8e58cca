package io.jasyncio.time;

/**
 * Where an event loop gets the time from. The default is the JVM's monotonic clock
 * ({@link System#nanoTime()}); {@link VirtualClock} is virtual time through this same interface,
 * so the loop's logic never knows which one it has. A clock that wants a say in how long the loop
 * blocks implements {@link WaitAwareClock}.
 */
public interface LoopClock {

    /**
     * Current time in nanoseconds; only differences are meaningful. Must never go backwards.
     *
     * @return the current time, in nanoseconds
     */
    long nanoTime();

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
