package io.jasyncio.net;

import io.jasyncio.net.tls.TlsConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings for {@link Net#startServer}: defaults as asyncio's (backlog 100, SO_REUSEADDR on,
 * SO_REUSEPORT off, 64 KiB reader limit, 64 KiB / 16 KiB water marks, TCP_NODELAY on, no idle
 * timeout).
 * Fluent and mutable; the server takes a copy when it starts.
 */
public final class ServerOptions implements Cloneable {

    int backlog = 100;
    boolean reuseAddress = true;
    boolean reusePort;
    TlsConfig tls;
    int limit = StreamReader.DEFAULT_LIMIT;
    long highWater = StreamWriter.DEFAULT_HIGH_WATER, lowWater = StreamWriter.DEFAULT_LOW_WATER;
    boolean noDelay = true;
    Resolver resolver = Resolver.system();
    Duration idleTimeout;

    /** Options at their defaults, as {@link #defaults()} gives them. */
    public ServerOptions() {
    }

    /**
     * Options with every setting at its default, asyncio's: see the class comment.
     *
     * @return new options, to adjust with the setters
     */
    public static ServerOptions defaults() {
        return new ServerOptions();
    }

    /**
     * The listen backlog (default 100; the OS caps it, at 4096 on current Linux).
     *
     * @param backlog the listen backlog
     * @return these options
     */
    public ServerOptions backlog(int backlog) {
        this.backlog = backlog;
        return this;
    }

    /**
     * SO_REUSEADDR (default on).
     *
     * @param on true to set SO_REUSEADDR
     * @return these options
     */
    public ServerOptions reuseAddress(boolean on) {
        this.reuseAddress = on;
        return this;
    }

    /**
     * SO_REUSEPORT (default off): several sockets, in this process or others, share one port.
     *
     * @param on true to set SO_REUSEPORT
     * @return these options
     */
    public ServerOptions reusePort(boolean on) {
        this.reusePort = on;
        return this;
    }

    /**
     * Serves TLS with {@code tls} (a {@link TlsConfig#server} config); null (default) for plain TCP.
     *
     * @param tls the server TLS config, or {@code null} for plain TCP
     * @return these options
     */
    public ServerOptions tls(TlsConfig tls) {
        if (tls != null && tls.isClient()) {
            throw new IllegalArgumentException("a server needs a server TLS config (TlsConfig.server(...))");
        }
        this.tls = tls;
        return this;
    }

    /**
     * Each connection's reader limit (default 64 KiB).
     *
     * @param limit the most bytes {@link StreamReader#readLine} and {@link StreamReader#readUntil} return
     * @return these options
     */
    public ServerOptions limit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        return this;
    }

    /**
     * Each connection's writer water marks (default 64 KiB / 16 KiB).
     *
     * @param high the queue size above which {@link StreamWriter#write} suspends
     * @param low the queue size it then waits for, at most {@code high}
     * @return these options
     */
    public ServerOptions waterMarks(long high, long low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("water marks need 0 <= low <= high");
        }
        this.highWater = high;
        this.lowWater = low;
        return this;
    }

    /**
     * TCP_NODELAY on accepted connections (default on).
     *
     * @param on true for TCP_NODELAY
     * @return these options
     */
    public ServerOptions noDelay(boolean on) {
        this.noDelay = on;
        return this;
    }

    /**
     * Closes a connection once no byte has moved on it, in either direction, for {@code timeout}
     * (default: off, as in asyncio). The handler's pending read or write then throws
     * {@link IdleTimeoutException}; the server goes on. Bytes read count, and bytes the socket took
     * for sending: a download in progress is not idle, a peer that stopped reading is. A handler
     * overrides it for its connection with {@link StreamConnection#setIdleTimeout} (for a long poll,
     * turn it off). It also reaps a connection still closing behind a peer that does not read.
     *
     * @param timeout how long a connection may stay idle; null or zero for no limit
     * @return these options
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public ServerOptions idleTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("an idle timeout cannot be negative: " + timeout
                    + " (null or Duration.ZERO turns it off)");
        }
        this.idleTimeout = timeout == null || timeout.isZero() ? null : timeout;
        return this;
    }

    /**
     * Where the host to bind is resolved (default: the JDK, off the loop thread).
     *
     * @param resolver the resolver, called off the loop thread
     * @return these options
     */
    public ServerOptions resolver(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    ServerOptions copy() {
        try {
            return (ServerOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
