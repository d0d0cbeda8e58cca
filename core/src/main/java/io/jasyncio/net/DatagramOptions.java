package io.jasyncio.net;

import java.util.Objects;

/**
 * Settings for {@link Net#openDatagram}: a local address to bind, a remote peer to connect to, or
 * both (at least one). Fluent and mutable; copied when the endpoint opens.
 */
public final class DatagramOptions implements Cloneable {

    String localHost;
    int localPort = -1;
    String remoteHost;
    int remotePort = -1;
    boolean reuseAddress;
    boolean reusePort;
    boolean broadcast;
    Resolver resolver = Resolver.system();

    /** Options at their defaults, as {@link #defaults()} gives them. */
    public DatagramOptions() {
    }

    /**
     * Options with nothing bound or connected yet: give a local address, a remote one, or both.
     *
     * @return new options, to adjust with the setters
     */
    public static DatagramOptions defaults() {
        return new DatagramOptions();
    }

    /**
     * Binds to {@code host:port} (asyncio's {@code local_addr}); port 0 lets the OS choose.
     *
     * @param host the local host name or address to bind
     * @param port the local port, 0 for one the OS picks
     * @return new options
     */
    public static DatagramOptions bind(String host, int port) {
        return new DatagramOptions().localAddress(host, port);
    }

    /**
     * Connects to one peer (asyncio's {@code remote_addr}): {@code send(data)} and receives from it only.
     *
     * @param host the peer's host name or address
     * @param port the peer's port
     * @return new options
     */
    public static DatagramOptions connect(String host, int port) {
        return new DatagramOptions().remoteAddress(host, port);
    }

    /**
     * Binds to {@code host:port}; port 0 lets the OS choose.
     *
     * @param host the local host name or address, or {@code null} for the wildcard address
     * @param port the local port, 0 for one the OS picks
     * @return these options
     */
    public DatagramOptions localAddress(String host, int port) {
        this.localHost = host;
        this.localPort = port;
        return this;
    }

    /**
     * Connects to one peer: {@code send(data)} goes there and only its datagrams are received.
     *
     * @param host the peer's host name or address
     * @param port the peer's port
     * @return these options
     */
    public DatagramOptions remoteAddress(String host, int port) {
        this.remoteHost = Objects.requireNonNull(host, "host");
        this.remotePort = port;
        return this;
    }

    /**
     * SO_REUSEADDR (default off).
     *
     * @param on true to set it
     * @return these options
     */
    public DatagramOptions reuseAddress(boolean on) {
        this.reuseAddress = on;
        return this;
    }

    /**
     * SO_REUSEPORT (default off): several sockets, in this process or others, share one port.
     *
     * @param on true to set it
     * @return these options
     */
    public DatagramOptions reusePort(boolean on) {
        this.reusePort = on;
        return this;
    }

    /**
     * SO_BROADCAST.
     *
     * @param on true to allow sending to broadcast addresses
     * @return these options
     */
    public DatagramOptions broadcast(boolean on) {
        this.broadcast = on;
        return this;
    }

    /**
     * Where host names are resolved (default: the JDK, off the loop thread).
     *
     * @param resolver the resolver, called off the loop thread
     * @return these options
     */
    public DatagramOptions resolver(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    DatagramOptions copy() {
        try {
            return (DatagramOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
