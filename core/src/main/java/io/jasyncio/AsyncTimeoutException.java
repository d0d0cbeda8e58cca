package io.jasyncio;

/**
 * A deadline passed: thrown by {@link Async#withTimeout}, {@link CancelScope#failAfter} scopes and
 * {@link Awaitable#await(java.time.Duration)}. Unchecked, like every jasyncio error, so that any
 * method may await without declaring it. The cancellation that ended the timed-out work, if any,
 * is the cause.
 *
 * <p>The message says which timeout expired, as it was set: "timed out after 50 ms" for a
 * duration ({@code withTimeout}, {@code failAfter}, {@code await(Duration)}), the deadline on the
 * loop's clock for {@code failAt}, and when a scope's deadline was moved while it ran.
 */
public class AsyncTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which says what timed out after how long.
     *
     * @param message the description of the timeout
     */
    public AsyncTimeoutException(String message) {
        super(message);
    }

    /**
     * An exception with {@code message} and the cancellation that ended the timed-out work.
     *
     * @param message the description of the timeout
     * @param cause the cancellation, or {@code null}
     */
    public AsyncTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
