package io.jasyncio.net;

import io.jasyncio.net.tls.TlsConfig;
import io.jasyncio.net.tls.TlsHandshakeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * An open stream connection (TCP or Unix domain, plain or TLS): asyncio's {@code (reader, writer)}
 * pair in one object. Make one with {@link Net#openConnection}; a server hands one to its
 * {@link ConnectionHandler}. Closing it closes the writer, which closes the connection.
 */
public final class StreamConnection implements AutoCloseable {

    private Transport transport;
    private final StreamReader reader;
    private final StreamWriter writer;

    StreamConnection(Transport transport, int limit, long high, long low) {
        this.transport = transport;
        this.reader = new StreamReader(transport, limit);
        this.writer = new StreamWriter(transport, high, low);
    }

    /**
     * The reading half: one task reads at a time.
     *
     * @return this connection's reader
     */
    public StreamReader reader() {
        return reader;
    }

    /**
     * The writing half; {@code writer().close()} closes the connection.
     *
     * @return this connection's writer
     */
    public StreamWriter writer() {
        return writer;
    }

    /**
     * The peer's address ({@link InetSocketAddress} or {@link java.net.UnixDomainSocketAddress}).
     *
     * @return the peer's address
     */
    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    /**
     * This side's address (an {@link InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}).
     *
     * @return the local address
     */
    public SocketAddress localAddress() {
        return transport.localAddress();
    }

    /**
     * True if TLS runs on this connection.
     *
     * @return whether TLS runs here
     */
    public boolean isTls() {
        return transport instanceof TlsTransport;
    }

    /**
     * The TLS session (protocol, cipher suite, peer certificates), or null on a plain connection.
     *
     * @return the session, or {@code null}
     */
    public SSLSession tlsSession() {
        return transport.tlsSession();
    }

    /**
     * On a TLS server connection: the host names the client asked for by SNI (empty if none).
     *
     * @return the requested names, empty on a client or plain connection
     */
    public List<String> tlsRequestedServerNames() {
        List<String> out = new ArrayList<>();
        if (transport.tlsSession() instanceof ExtendedSSLSession s) {
            for (SNIServerName n : s.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    out.add(h.getAsciiName());
                }
            }
        }
        return out;
    }

    /**
     * Upgrades this plain connection to TLS in place (asyncio's {@code start_tls}), typically after
     * a STARTTLS exchange: flushes what was written, runs the handshake (bytes the reader had
     * already buffered count as the start of it), and from then on {@link #reader()} and
     * {@link #writer()} speak TLS. For a client config whose server name is unset, the name is the
     * host string of the remote address.
     *
     * @param config the TLS config for this side, client or server
     * @throws TlsHandshakeException (or a subclass) if the handshake fails; the connection is then closed
     * @throws IllegalStateException if TLS already runs here
     * @throws IOException if the flush before the handshake fails ({@link ConnectionResetException},
     *     {@link StreamClosedException})
     */
    public void startTls(TlsConfig config) throws IOException {
        if (transport instanceof TlsTransport) {
            throw new IllegalStateException("TLS already runs on this connection");
        }
        writer.flush();
        byte[] early = reader.drainBuffered();
        String host = null;
        int port = 0;
        if (transport.remoteAddress() instanceof InetSocketAddress isa) {
            host = isa.getHostString();
            port = isa.getPort();
        }
        TlsTransport tls = TlsTransport.handshake(transport.socket(), config, host, port, early);
        transport = tls;
        reader.transport = tls;
        writer.transport = tls;
    }

    /**
     * The underlying channel, for socket options; reading or writing it directly breaks the stream.
     *
     * @return the connection's channel
     */
    public SocketChannel channel() {
        return transport.channel();
    }

    /** {@link StreamWriter#close()}: closes once queued bytes are sent; does not suspend. */
    @Override
    public void close() {
        writer.close();
    }

    /**
     * {@link StreamWriter#closeWithin(Duration)}: closes in order if the peer takes what is queued
     * within {@code timeout}, else aborts.
     *
     * @param timeout how long the queued bytes may take to leave
     * @return true if closed in order, false if aborted (queued bytes dropped)
     */
    public boolean closeWithin(Duration timeout) {
        return writer.closeWithin(timeout);
    }

    /** {@link StreamWriter#abort()}. */
    public void abort() {
        writer.abort();
    }

    /**
     * Sets this connection's idle timeout, counting from now: once no byte has moved on it, in
     * either direction, for {@code timeout}, it is closed and the read or write a task waits in
     * (and every later one) throws {@link IdleTimeoutException}. Overrides
     * {@link ServerOptions#idleTimeout} for this connection; null or zero turns it off (a long poll
     * that waits quietly for something to send). Bytes queued behind a peer that does not read do
     * not count as moving.
     *
     * @param timeout how long the connection may stay idle; null or zero for no limit
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void setIdleTimeout(Duration timeout) {
        transport.socket().setIdleTimeout(timeout);
    }

    /**
     * The idle timeout in force.
     *
     * @return the timeout, or null if there is none
     */
    public Duration idleTimeout() {
        return transport.socket().idleTimeout();
    }

    /** {@link StreamWriter#awaitClosed()}. */
    public void awaitClosed() {
        writer.awaitClosed();
    }

    @Override
    public String toString() {
        return "StreamConnection[" + localAddress() + " -> " + remoteAddress() + (isTls() ? ", TLS" : "") + "]";
    }
}
