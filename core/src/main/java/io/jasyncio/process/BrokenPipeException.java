package io.jasyncio.process;

import java.io.IOException;

/**
 * Writing to a child's stdin failed because the child closed its end, usually by exiting
 * (Python's {@code BrokenPipeError}). {@link Subprocess#communicate} ignores it, as asyncio does.
 */
public final class BrokenPipeException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken pipe, with the JDK's failure as the cause.
     *
     * @param message what was being written
     * @param cause the JDK's I/O error
     */
    public BrokenPipeException(String message, Throwable cause) {
        super(message, cause);
    }
}
