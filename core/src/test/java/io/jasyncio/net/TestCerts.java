package io.jasyncio.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throw-away certificates made at test time with the keytool of the JDK running the tests (no
 * private key is ever committed): a server certificate for the name "localhost" only (so that
 * connecting to 127.0.0.1 fails hostname verification), and a client certificate.
 */
final class TestCerts {

    static final char[] PASSWORD = "changeit".toCharArray();

    private static TestCerts instance;

    final KeyStore server;
    final KeyStore client;

    private TestCerts(KeyStore server, KeyStore client) {
        this.server = server;
        this.client = client;
    }

    static synchronized TestCerts get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("jasyncio-certs");
                KeyStore server = generate(dir.resolve("server.p12"), "CN=localhost", "SAN=dns:localhost");
                KeyStore client = generate(dir.resolve("client.p12"), "CN=test client", null);
                instance = new TestCerts(server, client);
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
            } catch (Exception e) {
                throw new IllegalStateException("cannot make test certificates with keytool", e);
            }
        }
        return instance;
    }

    private static KeyStore generate(Path file, String dname, String ext) throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Path keytool = java.resolveSibling("keytool");
        List<String> cmd = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", "key", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", dname, "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        if (ext != null) {
            cmd.add("-ext");
            cmd.add(ext);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    static Certificate cert(KeyStore ks) throws Exception {
        return ks.getCertificate("key");
    }

    /** A context presenting {@code keys} (may be null) and trusting the certificates of {@code trusted}. */
    static SSLContext context(KeyStore keys, KeyStore... trusted) {
        try {
            KeyManagerFactory kmf = null;
            if (keys != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (KeyStore t : trusted) {
                trust.setCertificateEntry("trusted" + i++, cert(t));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf != null ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's context: its key, trusting the client certificate (for client auth). */
    SSLContext serverContext() {
        return context(server, client);
    }

    /** A client trusting the server's certificate, with no key of its own. */
    SSLContext clientContext() {
        return context(null, server);
    }

    /** A client trusting the server's certificate and presenting the client certificate. */
    SSLContext clientContextWithKey() {
        return context(client, server);
    }
}
