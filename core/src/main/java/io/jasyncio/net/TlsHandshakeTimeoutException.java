package io.jasyncio.net;

/** A TLS handshake did not finish within its handshake timeout; the connection has been closed. */
public class TlsHandshakeTimeoutException extends TlsHandshakeException {
    private static final long serialVersionUID = 1L;

    public TlsHandshakeTimeoutException(String message) {
        super(message, null);
    }
}
