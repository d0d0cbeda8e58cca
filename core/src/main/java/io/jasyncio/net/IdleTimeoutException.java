package io.jasyncio.net;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * No byte moved on the connection, in either direction, for its idle timeout
 * ({@link ServerOptions#idleTimeout}, {@link StreamConnection#setIdleTimeout}), so it was closed:
 * the read or write a task was waiting in throws this, as does every later one. A handler may
 * catch it to log the client off; one that lets it escape ends quietly (the server does not report
 * it as a handler failure).
 */
public class IdleTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    /** The idle timeout that expired. */
    private final Duration timeout;

    /**
     * Makes one.
     *
     * @param message what happened
     * @param timeout the idle timeout that expired
     */
    public IdleTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    /**
     * The idle timeout that expired.
     *
     * @return the time the connection may stay idle, as it was set
     */
    public Duration timeout() {
        return timeout;
    }
}
