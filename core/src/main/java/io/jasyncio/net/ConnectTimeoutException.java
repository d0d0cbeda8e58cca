package io.jasyncio.net;

import java.net.SocketTimeoutException;

/** Opening a connection (name resolution plus connection attempts) took longer than its connect timeout. */
public class ConnectTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    public ConnectTimeoutException(String message) {
        super(message);
    }
}
