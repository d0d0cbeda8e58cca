package io.jasyncio.net;

import java.net.SocketException;

/**
 * The peer aborted the connection: a reset arrived while reading, or a write found the connection
 * broken (ECONNRESET, EPIPE). Whatever was buffered for sending is lost; the stream is closed.
 */
public class ConnectionResetException extends SocketException {
    private static final long serialVersionUID = 1L;

    public ConnectionResetException(String message, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
