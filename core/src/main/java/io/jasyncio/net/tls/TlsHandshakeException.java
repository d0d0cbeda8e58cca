package io.jasyncio.net.tls;

import javax.net.ssl.SSLHandshakeException;

/**
 * A TLS handshake failed: the peer closed the connection or is not speaking TLS, no protocol or
 * cipher suite was acceptable, or the peer sent a fatal alert. The connection has been closed.
 * {@link TlsCertificateException} is the case of a certificate rejected by either side,
 * {@link TlsHandshakeTimeoutException} the case of a handshake that took too long.
 */
public class TlsHandshakeException extends SSLHandshakeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message} and the JDK's reason.
     *
     * @param message what failed, with whom
     * @param cause the JDK's exception, or {@code null}
     */
    public TlsHandshakeException(String message, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
