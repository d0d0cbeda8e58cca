package io.jasyncio.sync;

/**
 * Thrown by {@link AsyncQueue#putNow(Object)} when a bounded queue is full (asyncio's
 * {@code QueueFull}). An {@link IllegalStateException}, like {@link java.util.Queue#add}'s.
 */
public class QueueFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message which queue was full
     */
    public QueueFullException(String message) {
        super(message);
    }
}
