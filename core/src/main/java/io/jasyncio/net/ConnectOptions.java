package io.jasyncio.net;

import io.jasyncio.net.tls.TlsConfig;
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

    /** Options at their defaults, as {@link #defaults()} gives them. */
    public ConnectOptions() {
    }

    /**
     * Options with every setting at its default: plain TCP, no connect timeout, asyncio's buffer sizes.
     *
     * @return new options, to adjust with the setters
     */
    public static ConnectOptions defaults() {
        return new ConnectOptions();
    }

    /**
     * The longest name resolution plus the connection attempts may take; null (default) for no limit.
     *
     * @param timeout the limit, or {@code null} for none
     * @return these options
     */
    public ConnectOptions connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    /**
     * Runs TLS over the connection; null (default) for none.
     *
     * @param tls the client TLS config, or {@code null} for plain TCP
     * @return these options
     */
    public ConnectOptions tls(TlsConfig tls) {
        if (tls != null && !tls.isClient()) {
            throw new IllegalArgumentException("a connection needs a client TLS config (TlsConfig.client(...))");
        }
        this.tls = tls;
        return this;
    }

    /**
     * The reader's limit (default 64 KiB).
     *
     * @param limit the most bytes {@link StreamReader#readLine} and {@link StreamReader#readUntil} return
     * @return these options
     */
    public ConnectOptions limit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        return this;
    }

    /**
     * The writer's water marks (default 64 KiB / 16 KiB).
     *
     * @param high the queue size above which {@link StreamWriter#write} suspends
     * @param low the queue size it then waits for, at most {@code high}
     * @return these options
     */
    public ConnectOptions waterMarks(long high, long low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("water marks need 0 <= low <= high");
        }
        this.highWater = high;
        this.lowWater = low;
        return this;
    }

    /**
     * Where host names are resolved (default: the JDK, off the loop thread).
     *
     * @param resolver the resolver, called off the loop thread
     * @return these options
     */
    public ConnectOptions resolver(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /**
     * Binds the local end before connecting (asyncio's {@code local_addr}).
     *
     * @param local the local address and port to bind, or {@code null} to let the OS choose
     * @return these options
     */
    public ConnectOptions localAddress(InetSocketAddress local) {
        this.localAddress = local;
        return this;
    }

    /**
     * TCP_NODELAY, on by default as in asyncio.
     *
     * @param on true for TCP_NODELAY
     * @return these options
     */
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
