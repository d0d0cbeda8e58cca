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

    public static DatagramOptions defaults() {
        return new DatagramOptions();
    }

    /** Binds to {@code host:port} (asyncio's {@code local_addr}); port 0 lets the OS choose. */
    public static DatagramOptions bind(String host, int port) {
        return new DatagramOptions().localAddress(host, port);
    }

    /** Connects to one peer (asyncio's {@code remote_addr}): {@code send(data)} and receives from it only. */
    public static DatagramOptions connect(String host, int port) {
        return new DatagramOptions().remoteAddress(host, port);
    }

    public DatagramOptions localAddress(String host, int port) {
        this.localHost = host;
        this.localPort = port;
        return this;
    }

    public DatagramOptions remoteAddress(String host, int port) {
        this.remoteHost = Objects.requireNonNull(host, "host");
        this.remotePort = port;
        return this;
    }

    public DatagramOptions reuseAddress(boolean on) {
        this.reuseAddress = on;
        return this;
    }

    public DatagramOptions reusePort(boolean on) {
        this.reusePort = on;
        return this;
    }

    /** SO_BROADCAST. */
    public DatagramOptions broadcast(boolean on) {
        this.broadcast = on;
        return this;
    }

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
