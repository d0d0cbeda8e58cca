package io.jasyncio.net;

import java.io.EOFException;

/**
 * The stream ended before a read could be satisfied (asyncio's {@code IncompleteReadError}): raised
 * by {@link StreamReader#readExactly} and {@link StreamReader#readUntil}. The bytes that did arrive
 * were consumed and are carried here, so nothing is lost.
 */
public class IncompleteReadException extends EOFException {
    private static final long serialVersionUID = 1L;

    /** The bytes that arrived before the end of the stream. */
    private final byte[] partial;
    /** How many bytes were asked for; -1 for a separator search. */
    private final int expected;

    /**
     * An exception carrying what arrived of a read the stream's end cut short.
     *
     * @param partial the bytes read before the end (kept, not copied)
     * @param expected how many bytes were asked for, or -1 when the read looked for a separator
     */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read before the end of the stream, "
                + (expected < 0 ? "without the separator" : expected + " expected"));
        this.partial = partial;
        this.expected = expected;
    }

    /**
     * The bytes read before the end of the stream (a copy).
     *
     * @return a copy of the bytes that arrived
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * How many bytes were asked for; -1 when the read looked for a separator.
     *
     * @return the count asked for, or -1
     */
    public int expected() {
        return expected;
    }
}
