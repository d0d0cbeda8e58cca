package io.jasyncio.net;

import java.io.IOException;

/**
 * {@link StreamReader#readUntil} or {@link StreamReader#readLine()} found no separator within the
 * reader's limit (asyncio's {@code LimitOverrunError}). The data stays in the reader's buffer: read
 * it with {@code readUpTo} / {@code readExactly}, or give up on the stream.
 */
public class LimitOverrunException extends IOException {
    private static final long serialVersionUID = 1L;

    /** How many buffered bytes the separator search covered. */
    private final int consumed;

    /**
     * An exception with {@code message}, for a search that covered {@code consumed} bytes.
     *
     * @param message what was looked for, within which limit
     * @param consumed how many buffered bytes the search covered
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /**
     * How many buffered bytes the separator search covered (they are still buffered).
     *
     * @return the number of bytes searched, all still buffered
     */
    public int consumed() {
        return consumed;
    }
}
