package io.jasyncio.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings for {@link Net#openConnection}: every one has a default, so
 * {@code ConnectOptions.defaults()} is a plain TCP connection with asyncio's buffer sizes.
 * Fluent and mutable; the connection takes a copy when it opens.
 */
public final class ConnectOptions implements Cloneable {

    Duration connectTimeout;
    TlsConfig tls;
    int limit = StreamReader.DEFAULT_LIMIT;
    long highWater = StreamWriter.DEFAULT_HIGH_WATER, lowWater = StreamWriter.DEFAULT_LOW_WATER;
    Resolver resolver = Resolver.system();
    InetSocketAddress localAddress;
    boolean noDelay = true;

    public static ConnectOptions defaults() {
        return new ConnectOptions();
    }

    /** The longest name resolution plus the connection attempts may take; null (default) for no limit. */
    public ConnectOptions connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    /** Runs TLS over the connection; null (default) for none. */
    public ConnectOptions tls(TlsConfig tls) {
        if (tls != null && !tls.client) {
            throw new IllegalArgumentException("a connection needs a client TLS config (TlsConfig.client(...))");
        }
        this.tls = tls;
        return this;
    }

    /** The reader's limit (default 64 KiB). */
    public ConnectOptions limit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        return this;
    }

    /** The writer's water marks (default 64 KiB / 16 KiB). */
    public ConnectOptions waterMarks(long high, long low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("water marks need 0 <= low <= high");
        }
        this.highWater = high;
        this.lowWater = low;
        return this;
    }

    /** Where host names are resolved (default: the JDK, off the loop thread). */
    public ConnectOptions resolver(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /** Binds the local end before connecting (asyncio's {@code local_addr}). */
    public ConnectOptions localAddress(InetSocketAddress local) {
        this.localAddress = local;
        return this;
    }

    /** TCP_NODELAY, on by default as in asyncio. */
    public ConnectOptions noDelay(boolean on) {
        this.noDelay = on;
        return this;
    }

    ConnectOptions copy() {
        try {
            return (ConnectOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
