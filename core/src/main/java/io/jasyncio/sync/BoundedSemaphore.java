package io.jasyncio.sync;

/**
 * A {@link Semaphore} that never holds more permits than it started with (asyncio's
 * {@code BoundedSemaphore}): a {@link #release()} that would exceed the initial count throws
 * {@link IllegalStateException}, which catches a permit released twice.
 *
 * <p>Not thread-safe: use it on its event loop only (see the package documentation).
 */
public final class BoundedSemaphore extends Semaphore {

    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code permits} permits, which is also its maximum.
     *
     * @param permits the initial and maximum number of permits, at least 0
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public BoundedSemaphore(int permits) {
        super(permits, true);
    }
}
