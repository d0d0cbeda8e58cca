package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.blockingServer;
import static io.jasyncio.net.NetTesting.openFds;
import static io.jasyncio.net.NetTesting.pattern;
import static io.jasyncio.net.NetTesting.peer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import io.jasyncio.net.tls.TlsConfig;
import io.jasyncio.net.tls.TlsHandshakeException;
import io.jasyncio.net.tls.TlsCertificateException;
import io.jasyncio.net.tls.TlsHandshakeTimeoutException;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TlsTest {

    private final TestCerts certs = TestCerts.get();

    private TlsConfig client() {
        return TlsConfig.client(certs.clientContext()).serverName("localhost");
    }

    private SSLServerSocket sslServer(SSLContext ctx) throws IOException {
        SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        ss.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        return ss;
    }

    /** One full handshake, so that what the JDK's TLS opens once (entropy sources, ...) is open before we count descriptors. */
    private void warmUpTls() throws IOException {
        StreamServer server = Net.startServer(conn -> conn.writer().write("x".getBytes(US_ASCII)), "127.0.0.1", 0,
                ServerOptions.defaults().tls(TlsConfig.server(certs.serverContext())));
        try (StreamConnection c = Net.openConnection("127.0.0.1", server.port(), ConnectOptions.defaults().tls(client()))) {
            c.reader().readAll();
        }
        server.close();
        server.awaitClosed();
    }

    /** Our TLS server, an independent SSLSocket client that sends SNI. */
    @Test
    void ourServerWithSslSocketClient() throws Exception {
        List<List<String>> sniSeen = new ArrayList<>();
        String got = Async.run(() -> {
            StreamServer server = Net.startServer(conn -> {
                assertTrue(conn.isTls());
                sniSeen.add(conn.tlsRequestedServerNames());
                String line;
                while ((line = conn.reader().readLine(US_ASCII)) != null) {
                    conn.writer().write("tls " + line + "\n", US_ASCII);
                }
            }, "127.0.0.1", 0, ServerOptions.defaults().tls(TlsConfig.server(certs.serverContext())));
            int port = server.port();
            CompletableFuture<String> client = peer(() -> {
                Socket plain = new Socket("127.0.0.1", port);
                try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket(plain, "localhost", port, true)) {
                    var p = s.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    // The JDK sends SNI by itself only for dotted names; "localhost" needs asking.
                    p.setServerNames(List.of(new SNIHostName("localhost")));
                    s.setSSLParameters(p);
                    s.getOutputStream().write("a\nb\n".getBytes(US_ASCII));
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
                    return in.readLine() + "," + in.readLine();
                }
            });
            String r = Async.await(client);
            server.close();
            server.awaitClosed();
            return r;
        });
        assertEquals("tls a,tls b", got);
        assertEquals(List.of(List.of("localhost")), sniSeen);
    }

    /** transferTo between TLS streams: our TLS echo server against an independent SSLSocket client. */
    @Test
    void transferToOverTls() throws Exception {
        byte[] body = pattern(300_000, 3);
        long[] counted = new long[1];
        byte[] got = Async.run(() -> {
            StreamServer server = Net.startServer(conn -> counted[0] = conn.reader().transferTo(conn.writer()),
                    "127.0.0.1", 0, ServerOptions.defaults().tls(TlsConfig.server(certs.serverContext())));
            int port = server.port();
            CompletableFuture<byte[]> client = peer(() -> {
                try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
                    s.startHandshake();
                    return NetTesting.writeWhileReading(s, sock -> {
                        sock.getOutputStream().write(body);
                        sock.getOutputStream().flush();
                        sock.shutdownOutput(); // close_notify: the end of the stream for our reader
                    });
                }
            });
            byte[] r = Async.await(client);
            server.close();
            server.awaitClosed();
            return r;
        });
        assertEquals(body.length, counted[0]);
        assertArrayEquals(body, got);
    }

    /** Our TLS client against an independent SSLServerSocket: SNI, data both ways, close_notify both ways. */
    @Test
    void ourClientWithSslServerSocket() throws Exception {
        try (SSLServerSocket ss = sslServer(certs.serverContext())) {
            CompletableFuture<String> server = peer(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] data = new byte[1_000_000];
                    in.readFully(data);
                    OutputStream out = s.getOutputStream();
                    out.write(data); // echo a megabyte
                    out.flush();
                    int eof = in.read(); // -1: our close_notify arrived
                    List<String> sni = new ArrayList<>();
                    for (var n : ((ExtendedSSLSession) s.getSession()).getRequestedServerNames()) {
                        sni.add(((SNIHostName) n).getAsciiName());
                    }
                    return eof + " " + sni;
                }
            });
            Async.run(() -> {
                StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort(), ConnectOptions.defaults().tls(client()));
                assertTrue(c.isTls());
                assertTrue(c.tlsSession().getProtocol().startsWith("TLS"), c.tlsSession().getProtocol());
                assertFalse(c.writer().canWriteEof());
                Task<byte[]> reading = Async.spawn(() -> c.reader().readExactly(1_000_000));
                c.writer().write(pattern(1_000_000, 7));
                assertArrayEquals(pattern(1_000_000, 7), reading.await());
                c.close();
                c.awaitClosed();
                return null;
            });
            assertEquals("-1 [localhost]", server.get());
        }
    }

    @Test
    void peersCloseNotifyIsTheEndOfTheStream() throws Exception {
        try (SSLServerSocket ss = sslServer(certs.serverContext())) {
            peer(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.getOutputStream().write("bye".getBytes(US_ASCII));
                    s.getOutputStream().flush();
                } // close() sends close_notify
                return null;
            });
            Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort(), ConnectOptions.defaults().tls(client()))) {
                    assertEquals("bye", new String(c.reader().readAll(), US_ASCII));
                    assertTrue(c.reader().atEof());
                }
                return null;
            });
        }
    }

    @Test
    void hostnameVerificationIsOnByDefault() throws Exception {
        try (SSLServerSocket ss = sslServer(certs.serverContext())) {
            var peerDone = new java.util.concurrent.LinkedBlockingQueue<String>();
            peer(() -> {
                for (int i = 0; i < 3; i++) {
                    try (SSLSocket s = (SSLSocket) ss.accept()) {
                        s.startHandshake();
                    } catch (IOException expected) {
                        // our client rejects the certificate
                    }
                    peerDone.add("closed");
                }
                return null;
            });
            Async.run(() -> {
                long before = 0;
                for (int i = 0; i < 3; i++) {
                    if (i == 1) {
                        before = openFds(); // after a first round has loaded whatever the JDK's TLS loads once
                    }
                    // The certificate is for "localhost"; we connect to 127.0.0.1 and verify against that.
                    TlsCertificateException e = assertThrows(TlsCertificateException.class, () -> Net.openConnection(
                            "127.0.0.1", ss.getLocalPort(), ConnectOptions.defaults().tls(TlsConfig.client(certs.clientContext()))));
                    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
                    assertTrue(e.getMessage().contains("certificate"), e.getMessage());
                    Async.toThread(peerDone::take); // the peer's socket is closed too before we count
                }
                assertEquals(before, openFds());
                return null;
            });
        }
    }

    @Test
    void untrustedCertificateIsRejectedAndInsecureClientAcceptsIt() throws Exception {
        // A server presenting the client's self-signed certificate, which the client does not trust.
        SSLContext untrusted = TestCerts.context(certs.client);
        Async.run(() -> {
            StreamServer server = Net.startServer(conn -> conn.writer().write("hi\n", US_ASCII), "127.0.0.1", 0,
                    ServerOptions.defaults().tls(TlsConfig.server(untrusted)));
            TlsCertificateException e = assertThrows(TlsCertificateException.class, () -> Net.openConnection(
                    "127.0.0.1", server.port(), ConnectOptions.defaults().tls(client())));
            assertTrue(e.getMessage().contains("certificate"), e.getMessage());
            try (StreamConnection c = Net.openConnection("127.0.0.1", server.port(),
                    ConnectOptions.defaults().tls(TlsConfig.insecureClient()))) {
                assertEquals("hi", c.reader().readLine(US_ASCII));
            }
            server.close();
            return null;
        });
    }

    @Test
    void clientCertificatesWhenTheServerNeedsThem() throws Exception {
        Async.run(() -> {
            List<String> principals = new ArrayList<>();
            StreamServer server = Net.startServer(conn -> {
                principals.add(conn.tlsSession().getPeerPrincipal().getName());
                conn.writer().write("welcome\n", US_ASCII);
            }, "127.0.0.1", 0, ServerOptions.defaults().tls(TlsConfig.server(certs.serverContext())
                    .clientAuth(TlsConfig.ClientAuth.NEED)));
            try (StreamConnection c = Net.openConnection("127.0.0.1", server.port(), ConnectOptions.defaults()
                    .tls(TlsConfig.client(certs.clientContextWithKey()).serverName("localhost")))) {
                assertEquals("welcome", c.reader().readLine(US_ASCII));
            }
            assertEquals(List.of("CN=test client"), principals);
            // Without a certificate: refused, with a typed error (at the handshake, or at the first
            // read in TLS 1.3, where the client finishes first).
            IOException e = assertThrows(IOException.class, () -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", server.port(),
                        ConnectOptions.defaults().tls(client()))) {
                    c.reader().readLine();
                }
            });
            assertInstanceOf(TlsCertificateException.class, e);
            server.close();
            server.awaitClosed();
            assertEquals(1, principals.size());
            return null;
        });
    }

    /**
     * A peer that accepts and never speaks: it reads what we send until we close, then closes its
     * side and reports. That it reports at all proves our side closed the socket.
     */
    private static java.util.concurrent.BlockingQueue<String> silentPeer(ServerSocket silent, int connections) {
        java.util.concurrent.BlockingQueue<String> closedByUs = new java.util.concurrent.LinkedBlockingQueue<>();
        peer(() -> {
            for (int i = 0; i < connections; i++) {
                Socket s = silent.accept();
                peer(() -> {
                    String seen;
                    try (s) {
                        s.setSoTimeout(20_000);
                        s.getInputStream().readAllBytes();
                        seen = "eof";
                    } catch (IOException e) {
                        seen = e instanceof java.net.SocketTimeoutException ? "never closed" : "reset";
                    }
                    closedByUs.add(seen); // after our own socket is closed, so that descriptor counts agree
                    return null;
                });
            }
            return null;
        });
        return closedByUs;
    }

    @Test
    void handshakeTimeoutIsTypedAndLeaksNothing() throws Exception {
        try (ServerSocket silent = blockingServer()) {
            var closedByUs = silentPeer(silent, 2);
            Async.run(() -> {
                warmUpTls();
                long before = openFds();
                for (int i = 0; i < 2; i++) {
                    TlsHandshakeTimeoutException e = assertThrows(TlsHandshakeTimeoutException.class, () -> Net.openConnection(
                            "127.0.0.1", silent.getLocalPort(),
                            ConnectOptions.defaults().tls(client().handshakeTimeout(Duration.ofMillis(200)))));
                    assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
                    String seen = Async.toThread(closedByUs::take);
                    assertTrue(seen.equals("eof") || seen.equals("reset"), seen);
                }
                assertEquals(before, openFds());
                return null;
            });
        }
    }

    @Test
    void cancellationDuringTheHandshakeClosesTheSocket() throws Exception {
        try (ServerSocket silent = blockingServer()) {
            var closedByUs = silentPeer(silent, 1);
            Async.run(() -> {
                warmUpTls();
                long before = openFds();
                Task<StreamConnection> connecting = Async.spawn(() -> Net.openConnection("127.0.0.1", silent.getLocalPort(),
                        ConnectOptions.defaults().tls(client())));
                Async.sleep(100);
                assertFalse(connecting.isDone());
                connecting.cancel();
                assertThrows(CancelledException.class, connecting::await);
                String seen = Async.toThread(closedByUs::take);
                assertTrue(seen.equals("eof") || seen.equals("reset"), seen);
                assertEquals(before, openFds());
                return null;
            });
        }
    }

    @Test
    void aPeerThatDoesNotSpeakTlsFailsTheHandshake() throws Exception {
        try (ServerSocket plain = blockingServer()) {
            peer(() -> {
                try (Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(US_ASCII));
                }
                return null;
            });
            Async.run(() -> {
                TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> Net.openConnection("127.0.0.1",
                        plain.getLocalPort(), ConnectOptions.defaults().tls(client())));
                assertFalse(e instanceof TlsCertificateException, e.toString());
                return null;
            });
        }
    }

    /** asyncio's start_tls, client side: a plain STARTTLS exchange, then TLS on the same connection. */
    @Test
    void startTlsAsClientAgainstBlockingServer() throws Exception {
        try (ServerSocket ss = blockingServer()) {
            CompletableFuture<String> server = peer(() -> {
                try (Socket plain = ss.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), US_ASCII));
                    String cmd = in.readLine();
                    plain.getOutputStream().write("GO\n".getBytes(US_ASCII));
                    try (SSLSocket s = (SSLSocket) certs.serverContext().getSocketFactory().createSocket(plain, null, true)) {
                        s.setUseClientMode(false);
                        BufferedReader tin = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
                        String secret = tin.readLine();
                        s.getOutputStream().write(("secret was " + secret + "\n").getBytes(US_ASCII));
                        s.getOutputStream().flush();
                        return cmd + "/" + s.getSession().getProtocol();
                    }
                }
            });
            String reply = Async.run(() -> {
                try (StreamConnection c = Net.openConnection("127.0.0.1", ss.getLocalPort())) {
                    c.writer().write("STARTTLS\n", US_ASCII);
                    assertEquals("GO", c.reader().readLine(US_ASCII));
                    assertFalse(c.isTls());
                    c.startTls(client());
                    assertTrue(c.isTls());
                    c.writer().write("swordfish\n", US_ASCII);
                    return c.reader().readLine(US_ASCII);
                }
            });
            assertEquals("secret was swordfish", reply);
            assertTrue(server.get().startsWith("STARTTLS/TLS"), server.get());
        }
    }

    /** start_tls on our server's side, with an SSLSocket client layered over the same plain socket. */
    @Test
    void startTlsAsServerWithSslSocketClient() throws Exception {
        String got = Async.run(() -> {
            StreamServer server = Net.startServer(conn -> {
                assertEquals("STARTTLS", conn.reader().readLine(US_ASCII));
                conn.writer().write("GO\n", US_ASCII);
                conn.startTls(TlsConfig.server(certs.serverContext()));
                conn.writer().write("now secret: " + conn.reader().readLine(US_ASCII) + "\n", US_ASCII);
            }, "127.0.0.1", 0);
            CompletableFuture<String> client = peer(() -> {
                try (Socket plain = new Socket("127.0.0.1", server.port())) {
                    plain.getOutputStream().write("STARTTLS\n".getBytes(US_ASCII));
                    byte[] go = plain.getInputStream().readNBytes(3);
                    assertEquals("GO\n", new String(go, US_ASCII));
                    try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket(plain, "localhost", server.port(), true)) {
                        s.getOutputStream().write("x\n".getBytes(US_ASCII));
                        return new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII)).readLine();
                    }
                }
            });
            String r = Async.await(client);
            server.close();
            server.awaitClosed();
            return r;
        });
        assertEquals("now secret: x", got);
    }

    /** Our client and our server, many connections, lots of data: the TLS layer under load and backpressure. */
    @Test
    void ourClientsAgainstOurServerWithBulkData() {
        Async.run(() -> {
            StreamServer server = Net.startServer(conn -> {
                byte[] buf = new byte[16384];
                for (int n; (n = conn.reader().read(buf)) > 0; ) {
                    conn.writer().write(buf, 0, n);
                }
            }, "127.0.0.1", 0, ServerOptions.defaults().tls(TlsConfig.server(certs.serverContext())));
            List<Task<Boolean>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int seed = i;
                clients.add(Async.spawn(() -> {
                    try (StreamConnection c = Net.openConnection("127.0.0.1", server.port(), ConnectOptions.defaults().tls(client()))) {
                        byte[] data = pattern(500_000, seed);
                        Task<byte[]> r = Async.spawn(() -> {
                            if (seed % 2 == 0) {
                                return c.reader().readExactly(data.length);
                            }
                            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(data.length); // direct: the other path
                            while (in.hasRemaining() && c.reader().read(in) > 0) {
                                // keep reading
                            }
                            byte[] got = new byte[in.position()];
                            in.flip().get(got);
                            return got;
                        });
                        if (seed % 2 == 0) {
                            c.writer().write(data);
                        } else {
                            c.writer().write(java.nio.ByteBuffer.allocateDirect(data.length).put(data).flip());
                        }
                        return java.util.Arrays.equals(data, r.await());
                    }
                }));
            }
            for (Task<Boolean> t : clients) {
                assertTrue(t.await());
            }
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    @Test
    void tlsOverAUnixSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path path = dir.resolve("tls.sock");
        String got = Async.run(() -> {
            StreamServer server = Net.startUnixServer(conn -> conn.writer().write("unix+tls\n", US_ASCII), path,
                    ServerOptions.defaults().tls(TlsConfig.server(certs.serverContext())));
            try (StreamConnection c = Net.openUnixConnection(path, ConnectOptions.defaults().tls(client()))) {
                assertTrue(c.isTls());
                String line = c.reader().readLine(US_ASCII);
                assertNull(c.reader().readLine(US_ASCII));
                server.close();
                return line;
            }
        });
        assertEquals("unix+tls", got);
    }
}
