package io.jasyncio.net;

import java.net.ConnectException;

/** Nothing listens at the address connected to: the peer answered the connection attempt with a reset. */
public class ConnectionRefusedException extends ConnectException {
    private static final long serialVersionUID = 1L;

    public ConnectionRefusedException(String message) {
        super(message);
    }
}
