package io.jasyncio.net;

import io.jasyncio.Awaitable;
import io.jasyncio.CancelScope;
import io.jasyncio.net.tls.TlsConfig;
import io.jasyncio.net.tls.TlsHandshakeException;
import io.jasyncio.net.tls.TlsCertificateException;
import io.jasyncio.net.tls.TlsHandshakeTimeoutException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * TLS over a {@link SocketTransport}, with the JDK's {@link SSLEngine}.
 *
 * <p>Reads pull network bytes from the socket into {@code netIn} and unwrap them into
 * {@code appIn}; writes wrap at once and hand the records to the socket transport, whose queue and
 * water marks therefore count network bytes. Post-handshake messages (TLS 1.3 session tickets,
 * key updates) are answered as they are unwrapped. Delegated tasks (certificate checks, key
 * agreement) run inline, as in asyncio.
 *
 * <p>End of stream: a close_notify from the peer is the orderly end; a TCP end without one (a
 * "ragged EOF") is also taken as the end of the stream, like Python's {@code suppress_ragged_eofs}
 * default, because many peers close that way. Closing sends our close_notify before the TCP close.
 */
final class TlsTransport extends Transport {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketTransport net;
    private final SSLEngine engine;
    private final String peer;
    /** Read mode: position..limit are network bytes not yet unwrapped. */
    private ByteBuffer netIn;
    /** Read mode: position..limit are decrypted bytes not yet read. */
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    /**
     * The TLS session's life, one field; the transport's own (the socket's) is the {@link StreamState}
     * of {@link #net}. The table, and the only transitions (checked under -ea and in debug mode):
     * <pre>
     *   state          reads            writes          may become
     *   HANDSHAKING    (not yet given to a stream)      OPEN
     *   OPEN           yes              yes             INBOUND_DONE OUTBOUND_DONE
     *   INBOUND_DONE   end of stream    yes             CLOSED        (the peer's close_notify or a TCP end)
     *   OUTBOUND_DONE  yes              StreamClosed..  CLOSED        (our close_notify is sent)
     *   CLOSED         end of stream    StreamClosed..  (final; both close_notify done)
     * </pre>
     */
    enum TlsState {
        HANDSHAKING, OPEN, INBOUND_DONE, OUTBOUND_DONE, CLOSED;

        boolean canBecome(TlsState next) {
            return switch (this) {
                case HANDSHAKING -> next == OPEN;
                case OPEN -> next == INBOUND_DONE || next == OUTBOUND_DONE;
                case INBOUND_DONE, OUTBOUND_DONE -> next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    private static final boolean ASSERTS = TlsTransport.class.desiredAssertionStatus();

    private TlsState tls = TlsState.HANDSHAKING;

    private void become(TlsState next) {
        if ((ASSERTS || loop.isDebug()) && !tls.canBecome(next)) {
            throw new AssertionError("TLS state " + tls + " -> " + next + " is not in the table (" + this + ")");
        }
        tls = next;
    }

    /** True once the peer's close_notify (or the TCP end) arrived. */
    private boolean inboundDone() {
        return tls == TlsState.INBOUND_DONE || tls == TlsState.CLOSED;
    }

    /** True once our close_notify is sent (or being sent). */
    private boolean closeNotifySent() {
        return tls == TlsState.OUTBOUND_DONE || tls == TlsState.CLOSED;
    }

    private void inboundEnded() {
        if (!inboundDone()) {
            become(tls == TlsState.OUTBOUND_DONE ? TlsState.CLOSED : TlsState.INBOUND_DONE);
        }
    }

    private void outboundEnded() {
        if (!closeNotifySent()) {
            become(tls == TlsState.INBOUND_DONE ? TlsState.CLOSED : TlsState.OUTBOUND_DONE);
        }
    }

    private TlsTransport(SocketTransport net, SSLEngine engine, String peer) {
        super(net.loop);
        this.net = net;
        this.engine = engine;
        this.peer = peer;
        SSLSession s = engine.getSession();
        netIn = ByteBuffer.allocate(s.getPacketBufferSize()).flip();
        appIn = ByteBuffer.allocate(s.getApplicationBufferSize()).flip();
        netOut = ByteBuffer.allocate(s.getPacketBufferSize());
    }

    /**
     * Starts TLS on {@code net} and runs the handshake in the calling task, within the config's
     * handshake timeout. On failure the socket is closed (after sending our alert, if any) and a
     * typed exception thrown; on cancellation the socket is aborted.
     */
    static TlsTransport handshake(SocketTransport net, TlsConfig cfg, String host, int port, byte[] early) throws IOException {
        String peerHost = cfg.isClient() && cfg.serverName() != null ? cfg.serverName() : host;
        String peer = (peerHost != null ? peerHost : String.valueOf(net.remoteAddress())) + (port > 0 ? ":" + port : "");
        TlsTransport t;
        try {
            SSLEngine engine = peerHost != null && cfg.isClient() ? cfg.context().createSSLEngine(peerHost, port)
                    : cfg.context().createSSLEngine();
            engine.setUseClientMode(cfg.isClient());
            SSLParameters p = engine.getSSLParameters();
            if (cfg.isClient()) {
                if (cfg.verifiesHostname()) {
                    if (peerHost == null) {
                        throw new IllegalArgumentException("hostname verification needs a server name: set TlsConfig.serverName");
                    }
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                }
                if (peerHost != null && !Net.isIpLiteral(peerHost)) {
                    try {
                        p.setServerNames(List.of(new SNIHostName(peerHost)));
                    } catch (IllegalArgumentException notAHostName) {
                        // SNI carries DNS host names only; verification still checks the name
                    }
                }
            } else {
                switch (cfg.clientAuth()) {
                    case NEED -> p.setNeedClientAuth(true);
                    case WANT -> p.setWantClientAuth(true);
                    default -> { }
                }
            }
            if (cfg.parameters() != null) {
                cfg.parameters().accept(p);
            }
            engine.setSSLParameters(p);
            t = new TlsTransport(net, engine, peer);
            if (early != null && early.length > 0) {
                t.netIn = ByteBuffer.allocate(Math.max(t.netIn.capacity(), early.length)).put(early).flip();
            }
        } catch (RuntimeException e) {
            net.abort();
            throw e;
        }
        boolean ok = false;
        try {
            if (cfg.handshakeTimeout() == null) {
                t.doHandshake();
                t.become(TlsState.OPEN);
            } else {
                CancelScope scope = CancelScope.moveOnAfter(cfg.handshakeTimeout());
                scope.run(() -> {
                    t.doHandshake();
                    return null;
                });
                if (scope.cancelledCaught()) {
                    throw new TlsHandshakeTimeoutException("the TLS handshake with " + peer + " did not finish within "
                            + cfg.handshakeTimeout().toMillis() + " ms");
                }
                t.become(TlsState.OPEN);
            }
            ok = true;
            return t;
        } catch (TlsHandshakeException e) {
            throw e;
        } catch (SSLException e) {
            throw t.failHandshake(e);
        } catch (EOFException e) {
            throw new TlsHandshakeException("the TLS handshake with " + peer + " failed: the peer closed the connection", e);
        } catch (ConnectionResetException e) {
            throw new TlsHandshakeException("the TLS handshake with " + peer + " failed: the peer reset the connection", e);
        } finally {
            if (!ok && !net.isClosing()) {
                net.abort();
            }
        }
    }

    private void doHandshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus hs = engine.getHandshakeStatus();
        for (;;) {
            switch (hs) {
                case NEED_WRAP -> hs = wrapAndSend(EMPTY).getHandshakeStatus();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult r = unwrap();
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the peer closed the TLS session during the handshake");
                    }
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        if (readNet() < 0) {
                            throw new EOFException("the peer closed the connection during the TLS handshake");
                        }
                    }
                    hs = r.getHandshakeStatus();
                }
                case NEED_TASK -> {
                    runTasks();
                    hs = engine.getHandshakeStatus();
                }
                case FINISHED -> hs = engine.getHandshakeStatus();
                case NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    /** Sends our alert if the engine has one, closes the socket and returns the typed exception. */
    private TlsHandshakeException failHandshake(SSLException e) {
        try {
            engine.closeOutbound();
            netOut.clear();
            engine.wrap(EMPTY, netOut);
            netOut.flip();
            if (netOut.hasRemaining()) {
                net.write(netOut);
            }
        } catch (IOException | RuntimeException ignored) {
            // the alert is a courtesy
        }
        net.close();
        return classify(e, peer);
    }

    static TlsHandshakeException classify(SSLException e, String peer) {
        boolean cert = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CertificateException || c instanceof CertPathValidatorException
                    || c instanceof CertPathBuilderException) {
                cert = true;
            }
        }
        String m = String.valueOf(e.getMessage());
        if (cert) {
            return new TlsCertificateException("the TLS handshake with " + peer + " failed: the peer's certificate was rejected: " + m, e);
        }
        if (m.contains("alert") && (m.contains("certificate") || m.contains("unknown_ca"))) {
            return new TlsCertificateException("the TLS handshake with " + peer + " failed: the peer rejected our certificate (" + m + ")", e);
        }
        return new TlsHandshakeException("the TLS handshake with " + peer + " failed: " + m, e);
    }

    // ------------------------------------------------------------------ engine plumbing

    private SSLEngineResult wrapAndSend(ByteBuffer src) throws IOException {
        for (;;) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            netOut.flip();
            if (netOut.hasRemaining()) {
                net.write(netOut);
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            return r;
        }
    }

    private SSLEngineResult unwrap() throws SSLException {
        for (;;) {
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                int need = engine.getSession().getApplicationBufferSize() + appIn.remaining();
                appIn = ByteBuffer.allocate(need).put(appIn).flip();
                continue;
            }
            return r;
        }
    }

    /** Reads more network bytes into netIn; -1 at the end of the stream. */
    private int readNet() throws IOException {
        netIn.compact();
        try {
            if (!netIn.hasRemaining()) {
                int need = Math.max(netIn.capacity() * 2, engine.getSession().getPacketBufferSize());
                netIn = ByteBuffer.allocate(need).put(netIn.flip());
            }
            // Through the loop's direct buffer rather than the JDK's per-thread temporary ones.
            int n = net.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
            if (n > 0) {
                netIn.position(netIn.position() + n);
            }
            return n;
        } finally {
            netIn.flip();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Answers what the engine asks for after an unwrap outside the handshake (tickets, key updates, close). */
    private void afterUnwrap(SSLEngineResult r) throws IOException {
        HandshakeStatus hs = r.getHandshakeStatus();
        while (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                hs = engine.getHandshakeStatus();
            } else {
                if (net.isClosing()) {
                    return;
                }
                hs = wrapAndSend(EMPTY).getHandshakeStatus();
                if (engine.isOutboundDone()) {
                    outboundEnded();
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /** Makes decrypted bytes available in appIn; false at the end of the stream. */
    private boolean fillApp() throws IOException {
        while (!appIn.hasRemaining()) {
            if (inboundDone()) {
                return false;
            }
            SSLEngineResult r;
            try {
                if (!netIn.hasRemaining()) {
                    if (readNet() < 0) {
                        endOfNetwork();
                    }
                    continue;
                }
                r = unwrap();
                afterUnwrap(r);
            } catch (SSLException e) {
                net.abort();
                // In TLS 1.3 a client finishes its handshake before the server has checked the
                // client's certificate: a rejection arrives as an alert on the first read.
                TlsHandshakeException typed = classify(e, peer);
                throw typed instanceof TlsCertificateException ? typed : e;
            }
            switch (r.getStatus()) {
                case CLOSED -> inboundEnded();
                case BUFFER_UNDERFLOW -> {
                    if (readNet() < 0) {
                        endOfNetwork();
                    }
                }
                default -> { }
            }
        }
        return true;
    }

    private void endOfNetwork() {
        inboundEnded();
        try {
            engine.closeInbound();
        } catch (SSLException ragged) {
            // TCP ended without close_notify: the end of the stream all the same (see the class comment).
        }
    }

    @Override
    int read(byte[] b, int off, int len) throws IOException {
        checkLoop();
        if (len == 0) {
            return 0;
        }
        if (!fillApp()) {
            return -1;
        }
        int n = Math.min(len, appIn.remaining());
        appIn.get(b, off, n);
        return n;
    }

    @Override
    int read(ByteBuffer dst) throws IOException {
        checkLoop();
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!fillApp()) {
            return -1;
        }
        int n = Math.min(dst.remaining(), appIn.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        return n;
    }

    @Override
    void write(ByteBuffer src) throws IOException {
        if (src.hasArray()) {
            write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
            return;
        }
        byte[] copy = new byte[src.remaining()];
        src.get(copy);
        write(copy, 0, copy.length);
    }

    @Override
    ByteBuffer readBorrowed(int max) throws IOException {
        checkLoop();
        if (!fillApp()) {
            return null;
        }
        int n = Math.min(max, appIn.remaining());
        ByteBuffer view = appIn.slice(appIn.position(), n);
        appIn.position(appIn.position() + n);
        return view;
    }

    // ------------------------------------------------------------------ writing

    @Override
    void write(byte[] b, int off, int len) throws IOException {
        checkLoop();
        if (net.isClosing() || closeNotifySent()) {
            IOException e = net.error();
            throw e != null ? e : new StreamClosedException("the stream is closed");
        }
        ByteBuffer src = ByteBuffer.wrap(b, off, len);
        try {
            while (src.hasRemaining()) {
                SSLEngineResult r = wrapAndSend(src);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new StreamClosedException("the TLS session is closed");
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    // Only a renegotiation (TLS 1.2) makes the engine wait for input before output; we do not support it.
                    throw new SSLException("TLS renegotiation is not supported (the engine wants to read before it writes: "
                            + r.getHandshakeStatus() + ")");
                }
            }
        } catch (SSLException e) {
            net.abort();
            throw e;
        }
    }

    @Override
    long pending() {
        return net.pending();
    }

    @Override
    void awaitPendingAtMost(long mark) throws IOException {
        net.awaitPendingAtMost(mark);
    }

    @Override
    boolean canShutdownOutput() {
        return false;
    }

    @Override
    void shutdownOutput() {
        throw new UnsupportedOperationException("no half-close over TLS");
    }

    @Override
    void close() {
        if (net.isClosing()) {
            return;
        }
        if (!closeNotifySent()) {
            outboundEnded();
            try {
                engine.closeOutbound();
                while (!engine.isOutboundDone()) {
                    SSLEngineResult r = wrapAndSend(EMPTY);
                    if (r.bytesProduced() == 0) {
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                net.abort();
                return;
            }
        }
        net.close();
    }

    @Override
    void abort() {
        net.abort();
    }

    @Override
    Awaitable<Void> closed() {
        return net.closed();
    }

    @Override
    boolean isClosing() {
        return net.isClosing();
    }

    @Override
    SocketChannel channel() {
        return net.channel();
    }

    @Override
    void abortHard() {
        net.abortWithReset(); // the socket underneath, as before: no close_notify for a peer that does not read
    }

    @Override
    boolean closedCleanly() {
        return net.closedCleanly();
    }

    @Override
    SocketTransport socket() {
        return net;
    }

    @Override
    SSLSession tlsSession() {
        return engine.getSession();
    }
}
