package io.jasyncio.sync;

import java.util.NoSuchElementException;

/**
 * Thrown by {@link AsyncQueue#getNow()} when the queue is empty (asyncio's {@code QueueEmpty}).
 * A {@link NoSuchElementException}, like {@link java.util.Queue#remove()}'s.
 */
public class QueueEmptyException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message which queue was empty
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
