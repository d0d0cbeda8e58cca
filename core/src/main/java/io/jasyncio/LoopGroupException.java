package io.jasyncio;

/**
 * A loop of a {@link LoopGroup} failed (an error escaped its thread), so the group shut down; the
 * cause is that loop's error, further ones are suppressed. Thrown by {@link LoopGroup#run}.
 */
public class LoopGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the loop, and the loop's error.
     *
     * @param message the description
     * @param cause the error that ended the loop
     */
    public LoopGroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
