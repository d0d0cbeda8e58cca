package io.jasyncio.net;

import java.nio.channels.ClosedChannelException;

/**
 * An operation on a stream that this side has closed (or half-closed, for writes), or that was
 * closed by this side while the operation waited. A {@link ClosedChannelException}, with a message
 * that says which.
 */
public class StreamClosedException extends ClosedChannelException {
    private static final long serialVersionUID = 1L;

    private final String message;

    public StreamClosedException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
