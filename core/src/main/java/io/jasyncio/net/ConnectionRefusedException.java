package io.jasyncio.net;

import java.net.ConnectException;

/** Nothing listens at the address connected to: the peer answered the connection attempt with a reset. */
public class ConnectionRefusedException extends ConnectException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the address refused.
     *
     * @param message the description of the refusal
     */
    public ConnectionRefusedException(String message) {
        super(message);
    }
}
