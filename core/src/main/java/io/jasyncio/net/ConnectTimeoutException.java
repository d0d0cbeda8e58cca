package io.jasyncio.net;

import java.net.SocketTimeoutException;

/** Opening a connection (name resolution plus connection attempts) took longer than its connect timeout. */
public class ConnectTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which says how long the attempt took and what it tried.
     *
     * @param message the description of the timeout
     */
    public ConnectTimeoutException(String message) {
        super(message);
    }
}
