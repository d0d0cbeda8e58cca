package io.jasyncio;

/** An operation needed a loop that has already been closed. */
public class LoopClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LoopClosedException(String message) {
        super(message);
    }
}
