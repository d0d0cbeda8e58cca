package io.jasyncio.sync;

/**
 * Thrown by a {@link AsyncQueue} that has been shut down (asyncio's {@code QueueShutDown}): by
 * every put after {@link AsyncQueue#shutdown()}, by gets once the queue is empty, and by the
 * puts and gets that were waiting when it was shut down. A normal end-of-stream signal for
 * consumers, so it is not an {@link IllegalStateException}.
 */
public class QueueShutdownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message which queue was shut down
     */
    public QueueShutdownException(String message) {
        super(message);
    }
}
