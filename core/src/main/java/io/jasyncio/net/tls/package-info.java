/**
 * TLS for {@link io.jasyncio.net}'s streams: what users configure and what they catch. This room
 * holds {@link io.jasyncio.net.tls.TlsConfig} (the {@link javax.net.ssl.SSLContext}, the side, the
 * checks, the handshake timeout) and the typed handshake failures
 * ({@link io.jasyncio.net.tls.TlsHandshakeException}, {@link io.jasyncio.net.tls.TlsCertificateException},
 * {@link io.jasyncio.net.tls.TlsHandshakeTimeoutException}).
 *
 * <p>It may use the JDK only: nothing of {@code io.jasyncio.net} (the arrow runs one way, from
 * {@code net}, whose {@code ConnectOptions.tls}, {@code ServerOptions.tls} and
 * {@code StreamConnection.startTls} take a config and whose package-private {@code TlsTransport}
 * runs the {@link javax.net.ssl.SSLEngine} over a socket's stream and throws these exceptions). So
 * the TLS engine lives beside the transports it needs, and what users see of TLS lives here.
 */
package io.jasyncio.net.tls;
