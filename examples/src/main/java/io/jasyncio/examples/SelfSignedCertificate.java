package io.jasyncio.examples;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away self-signed certificate made at run time with the keytool beside the running java,
 * for the examples' {@code --tls}: nothing secret is stored anywhere but a temporary file that is
 * deleted at once.
 */
final class SelfSignedCertificate {

    private SelfSignedCertificate() {
    }

    /**
     * A server SSLContext with a new key and a self-signed certificate for localhost and 127.0.0.1.
     *
     * @throws ExampleFailure if keytool is missing or fails
     */
    static SSLContext serverContext() {
        try {
            return make();
        } catch (Exception e) {
            throw new ExampleFailure("cannot make the self-signed certificate --tls needs (" + e.getMessage() + ");"
                    + " run on a full JDK, whose bin/ has keytool, or drop --tls", e);
        }
    }

    private static SSLContext make() throws Exception {
        char[] pw = Long.toHexString(Double.doubleToLongBits(Math.random())).toCharArray();
        Path dir = Files.createTempDirectory("jasyncio-tls");
        Path file = dir.resolve("server.p12");
        try {
            Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
            Path keytool = java.resolveSibling("keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-validity", "1", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", new String(pw), "-keypass", new String(pw)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out.strip().replace('\n', ' '));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, pw);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
