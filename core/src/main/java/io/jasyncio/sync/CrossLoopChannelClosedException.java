package io.jasyncio.sync;

/**
 * A {@link CrossLoopChannel} has closed: sending after either side closed, or receiving once the
 * sending side closed and every item sent has been received. Unchecked, like a queue's shutdown.
 */
public class CrossLoopChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which says which side closed.
     *
     * @param message the description
     */
    public CrossLoopChannelClosedException(String message) {
        super(message);
    }
}
