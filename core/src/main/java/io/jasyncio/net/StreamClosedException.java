package io.jasyncio.net;

import java.nio.channels.ClosedChannelException;

/**
 * An operation on a stream that this side has closed (or half-closed, for writes), or that was
 * closed by this side while the operation waited. A {@link ClosedChannelException}, with a message
 * that says which.
 */
public class StreamClosedException extends ClosedChannelException {
    private static final long serialVersionUID = 1L;

    /** Which operation found the stream closed, and why. */
    private final String message;

    /**
     * An exception with {@code message}, which says which operation found the stream closed.
     *
     * @param message the operation and the close it ran into
     */
    public StreamClosedException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
