package io.jasyncio.net;

import java.io.IOException;

/**
 * {@link StreamReader#readUntil} or {@link StreamReader#readLine()} found no separator within the
 * reader's limit (asyncio's {@code LimitOverrunError}). The data stays in the reader's buffer: read
 * it with {@code readUpTo} / {@code readExactly}, or give up on the stream.
 */
public class LimitOverrunException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int consumed;

    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** How many buffered bytes the separator search covered (they are still buffered). */
    public int consumed() {
        return consumed;
    }
}
