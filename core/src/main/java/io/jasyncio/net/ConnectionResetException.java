package io.jasyncio.net;

import java.net.SocketException;

/**
 * The peer aborted the connection: a reset arrived while reading, or a write found the connection
 * broken (ECONNRESET, EPIPE). Whatever was buffered for sending is lost; the stream is closed.
 */
public class ConnectionResetException extends SocketException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message} and the JDK's exception that revealed the reset.
     *
     * @param message what was being done when the reset came
     * @param cause the JDK's exception, or {@code null}
     */
    public ConnectionResetException(String message, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
