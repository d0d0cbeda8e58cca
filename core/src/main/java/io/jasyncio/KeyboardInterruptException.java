package io.jasyncio;

/**
 * Thrown by {@link EventLoop#run} under {@link SigintHandling#THROW} when Ctrl-C (SIGINT) cancelled
 * the main task (Python's {@code KeyboardInterrupt} out of {@code asyncio.run}). By the time it is
 * thrown, the main task has unwound and the loop is closed. Its cause is the main task's
 * {@link CancelledException}.
 */
public final class KeyboardInterruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The status a shell gives a program that Ctrl-C ended: 128 + SIGINT's number (2). */
    public static final int EXIT_STATUS = 130;

    /**
     * An interruption whose cancellation was {@code cause}.
     *
     * @param cause the main task's cancellation
     */
    public KeyboardInterruptException(CancelledException cause) {
        super("interrupted by Ctrl-C (SIGINT)", cause);
    }
}
