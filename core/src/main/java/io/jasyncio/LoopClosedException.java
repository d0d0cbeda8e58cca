package io.jasyncio;

/** An operation needed a loop that has already been closed. */
public class LoopClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the operation.
     *
     * @param message what needed the closed loop
     */
    public LoopClosedException(String message) {
        super(message);
    }
}
