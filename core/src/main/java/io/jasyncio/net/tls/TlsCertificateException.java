package io.jasyncio.net.tls;

/**
 * A TLS handshake failed over a certificate: ours was rejected by the peer, or the peer's is not
 * trusted, expired, or does not match the host name we expected (hostname verification is on by
 * default). The cause holds the JDK's detailed reason.
 */
public class TlsCertificateException extends TlsHandshakeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message} and the JDK's reason.
     *
     * @param message which certificate was rejected, by whom
     * @param cause the JDK's exception with the detailed reason
     */
    public TlsCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
