package io.jasyncio.net;

import java.io.EOFException;

/**
 * The stream ended before a read could be satisfied (asyncio's {@code IncompleteReadError}): raised
 * by {@link StreamReader#readExactly} and {@link StreamReader#readUntil}. The bytes that did arrive
 * were consumed and are carried here, so nothing is lost.
 */
public class IncompleteReadException extends EOFException {
    private static final long serialVersionUID = 1L;

    private final byte[] partial;
    private final int expected;

    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read before the end of the stream, "
                + (expected < 0 ? "without the separator" : expected + " expected"));
        this.partial = partial;
        this.expected = expected;
    }

    /** The bytes read before the end of the stream (a copy). */
    public byte[] partial() {
        return partial.clone();
    }

    /** How many bytes were asked for; -1 when the read looked for a separator. */
    public int expected() {
        return expected;
    }
}
