package io.jasyncio.sync;

/**
 * Thrown by {@link Barrier#await()} when the barrier is aborted, or reset while the task waits
 * (asyncio's {@code BrokenBarrierError}). Unchecked, unlike
 * {@link java.util.concurrent.BrokenBarrierException}, whose name this avoids.
 */
public class BarrierBrokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message what broke the barrier
     */
    public BarrierBrokenException(String message) {
        super(message);
    }
}
