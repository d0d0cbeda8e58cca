package io.jasyncio;

/**
 * A task was waiting for a channel's readiness and the channel was closed through
 * {@code io.jasyncio.lowlevel.Readiness.closeChannel}. Unchecked: it reaches the waiter the way a cancellation would.
 */
public class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the channel.
     *
     * @param message the description of the close
     */
    public ChannelClosedException(String message) {
        super(message);
    }
}
