package io.jasyncio.net.tls;

/** A TLS handshake did not finish within its handshake timeout; the connection has been closed. */
public class TlsHandshakeTimeoutException extends TlsHandshakeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which says how long the handshake was allowed.
     *
     * @param message the description of the timeout
     */
    public TlsHandshakeTimeoutException(String message) {
        super(message, null);
    }
}
