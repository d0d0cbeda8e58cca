package io.jasyncio.net.tls;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How to run TLS on a connection: the {@link SSLContext} (keys and trust), which side we are, and
 * the checks. Immutable; the {@code with}-style methods return a changed copy.
 *
 * <ul>
 * <li>Client: hostname verification is on by default against {@link #serverName()}, which
 *     defaults to the host given to {@link io.jasyncio.net.Net#openConnection}; the same name goes out as SNI
 *     (unless it is an IP address, which SNI cannot carry).
 * <li>Server: {@link #clientAuth} asks for client certificates; the names a client asked for by
 *     SNI are on {@link io.jasyncio.net.StreamConnection#tlsRequestedServerNames()}.
 * <li>Both: a handshake timeout (default 60 s, asyncio's), and a hook to adjust the engine's
 *     {@link SSLParameters} (protocols, cipher suites, ALPN).
 * </ul>
 */
public final class TlsConfig {

    /** Whether and how a server asks for client certificates. */
    public enum ClientAuth {
        /** No client certificate is asked for (the default). */
        NONE,
        /** A client certificate is asked for; the handshake goes on without one. */
        WANT,
        /** A client certificate is required; the handshake fails without one. */
        NEED
    }

    /** asyncio's default TLS handshake timeout. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    final SSLContext context;
    final boolean client;
    final String serverName;
    final boolean verifyHostname;
    final Duration handshakeTimeout;
    final ClientAuth clientAuth;
    final Consumer<SSLParameters> parameters;

    private TlsConfig(SSLContext context, boolean client, String serverName, boolean verifyHostname,
                      Duration handshakeTimeout, ClientAuth clientAuth, Consumer<SSLParameters> parameters) {
        this.context = Objects.requireNonNull(context, "context");
        this.client = client;
        this.serverName = serverName;
        this.verifyHostname = verifyHostname;
        this.handshakeTimeout = handshakeTimeout;
        this.clientAuth = clientAuth;
        this.parameters = parameters;
    }

    /**
     * A client config with {@code context}; hostname verification on.
     *
     * @param context the SSL context: its trust managers check the server's chain
     * @return a client config
     */
    public static TlsConfig client(SSLContext context) {
        return new TlsConfig(context, true, null, true, DEFAULT_HANDSHAKE_TIMEOUT, ClientAuth.NONE, null);
    }

    /**
     * A client config with the JDK's default context (the JDK's trusted CAs); hostname verification on.
     *
     * @return a client config
     */
    public static TlsConfig client() {
        try {
            return client(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext", e);
        }
    }

    /**
     * A client config that trusts any certificate and checks no host name: encryption without
     * authentication, for tests and examples against throw-away certificates only.
     *
     * @return an insecure client config
     */
    public static TlsConfig insecureClient() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return client(ctx).verifyHostname(false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make an SSLContext", e);
        }
    }

    /**
     * A server config with {@code context}, which must hold the server's key and certificate.
     *
     * @param context the SSL context, with the server's key and certificate
     * @return a server config
     */
    public static TlsConfig server(SSLContext context) {
        return new TlsConfig(context, false, null, false, DEFAULT_HANDSHAKE_TIMEOUT, ClientAuth.NONE, null);
    }

    /**
     * The name to verify the server's certificate against and to send as SNI (client); default: the host
     * connected to.
     *
     * @param name the expected host name
     * @return a copy of this config with that name
     */
    public TlsConfig serverName(String name) {
        return new TlsConfig(context, client, name, verifyHostname, handshakeTimeout, clientAuth, parameters);
    }

    /**
     * Turns hostname verification off ({@code false}) or on (the default). The chain is still checked.
     *
     * @param verify false to turn hostname verification off
     * @return a copy of this config with that setting
     */
    public TlsConfig verifyHostname(boolean verify) {
        return new TlsConfig(context, client, serverName, verify, handshakeTimeout, clientAuth, parameters);
    }

    /**
     * The longest a handshake may take; null for no limit.
     *
     * @param timeout the limit, or {@code null} for none
     * @return a copy of this config with that timeout
     */
    public TlsConfig handshakeTimeout(Duration timeout) {
        return new TlsConfig(context, client, serverName, verifyHostname, timeout, clientAuth, parameters);
    }

    /**
     * Whether a server asks for client certificates.
     *
     * @param auth {@code NONE} (the default), {@code WANT} or {@code NEED}
     * @return a copy of this config with that setting
     */
    public TlsConfig clientAuth(ClientAuth auth) {
        return new TlsConfig(context, client, serverName, verifyHostname, handshakeTimeout, Objects.requireNonNull(auth), parameters);
    }

    /**
     * Adjusts the engine's parameters after this config has set its own (protocols, suites, ALPN...).
     *
     * @param adjust called with the engine's parameters at each handshake
     * @return a copy of this config with that hook
     */
    public TlsConfig parameters(Consumer<SSLParameters> adjust) {
        return new TlsConfig(context, client, serverName, verifyHostname, handshakeTimeout, clientAuth, adjust);
    }

    /**
     * True for a client config, false for a server one.
     *
     * @return whether this config is a client's
     */
    public boolean isClient() {
        return client;
    }

    /**
     * The name set with {@link #serverName(String)}.
     *
     * @return the name, or {@code null} for the host connected to
     */
    public String serverName() {
        return serverName;
    }

    /**
     * True if the server's certificate is checked against its host name (the default for clients).
     *
     * @return whether hostname verification is on
     */
    public boolean verifiesHostname() {
        return verifyHostname;
    }

    /**
     * The longest a handshake may take.
     *
     * @return the timeout, or {@code null} for no limit
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * The context the engines are made from (keys and trust).
     *
     * @return the SSL context
     */
    public SSLContext context() {
        return context;
    }

    /**
     * Whether and how a server asks for client certificates ({@link ClientAuth#NONE} for a client).
     *
     * @return the client-certificate policy
     */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /**
     * The hook set with {@link #parameters(Consumer)}.
     *
     * @return the hook that adjusts the engine's parameters, or {@code null}
     */
    public Consumer<SSLParameters> parameters() {
        return parameters;
    }
}
