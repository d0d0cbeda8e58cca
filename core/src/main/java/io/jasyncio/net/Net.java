package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.CancelScope;
import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.Readiness;
import io.jasyncio.net.tls.TlsHandshakeException;
import io.jasyncio.net.tls.TlsCertificateException;
import io.jasyncio.net.tls.TlsHandshakeTimeoutException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * Networking entry points (asyncio's {@code open_connection}, {@code start_server},
 * {@code open_unix_connection}, {@code start_unix_server}, {@code getaddrinfo}). Call them from a
 * task; everything runs on the loop's selector, and name resolution runs off the loop thread.
 *
 * <pre>{@code
 * StreamServer server = Net.startServer(conn -> {
 *     byte[] buf = new byte[8192];
 *     for (int n; (n = conn.reader().read(buf)) > 0; ) {
 *         conn.writer().write(buf, 0, n);
 *     }
 * }, "127.0.0.1", 0);
 *
 * try (StreamConnection c = Net.openConnection("127.0.0.1", server.port())) {
 *     c.writer().write("hello\n", UTF_8);
 *     String echoed = c.reader().readLine(UTF_8);
 * }
 * }</pre>
 */
public final class Net {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Net() {
    }

    // ------------------------------------------------------------------ name resolution

    /**
     * Resolves {@code host} with the JDK's resolver, off the loop thread, and awaits the result
     * (asyncio's {@code getaddrinfo}). An IP literal is parsed in place. A null host means the
     * loopback address.
     *
     * @param host the name or IP literal, or {@code null} for the loopback address
     * @param port the port to put in each address
     * @return the addresses, in the order to try them
     * @throws UnknownHostException if the name does not resolve
     */
    public static List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return resolve(host, port, Resolver.system());
    }

    /**
     * {@link #resolve(String, int)} with another resolver (still called off the loop thread).
     *
     * @param host the name or IP literal, or {@code null} for the loopback address
     * @param port the port to put in each address
     * @param resolver the resolver to ask
     * @return the addresses, in the order to try them
     * @throws UnknownHostException if the name does not resolve
     */
    public static List<InetSocketAddress> resolve(String host, int port, Resolver resolver) throws UnknownHostException {
        String h = stripBrackets(host);
        List<InetAddress> addresses;
        if (h == null || isIpLiteral(h)) {
            addresses = List.of(InetAddress.getByName(h)); // a literal: no lookup, no blocking
        } else {
            try {
                addresses = Async.toThread(() -> resolver.resolve(h));
            } catch (CompletionException e) {
                if (e.getCause() instanceof UnknownHostException u) {
                    throw u;
                }
                throw e;
            }
            if (addresses == null || addresses.isEmpty()) {
                throw new UnknownHostException(h + ": the resolver returned no address");
            }
        }
        List<InetSocketAddress> out = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    private static String stripBrackets(String host) {
        if (host != null && host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }

    // ------------------------------------------------------------------ connections

    /**
     * {@link #openConnection(String, int, ConnectOptions)} with the defaults: plain TCP, no timeout.
     *
     * @param host the server's host name or address
     * @param port the server's port
     * @return the open connection
     * @throws IOException as {@link #openConnection(String, int, ConnectOptions)} does
     */
    public static StreamConnection openConnection(String host, int port) throws IOException {
        return openConnection(host, port, ConnectOptions.defaults());
    }

    /**
     * Opens a TCP connection (asyncio's {@code open_connection}): resolves {@code host} off the
     * loop thread, tries each address in turn until one accepts, then, if the options ask for TLS,
     * runs the handshake (verifying the server's certificate against {@code host} by default).
     *
     * @param host the server's host name or address
     * @param port the server's port
     * @param options the connection's settings, copied
     * @return the open connection, handshake done if TLS
     * @throws UnknownHostException       if the name does not resolve
     * @throws ConnectionRefusedException if nothing listens (on every address; the other
     *                                    addresses' errors are attached as suppressed)
     * @throws ConnectTimeoutException    if resolution and connecting took longer than the connect timeout
     * @throws TlsHandshakeException      if the TLS handshake fails ({@link TlsCertificateException}
     *                                    for a certificate, {@link TlsHandshakeTimeoutException} for time)
     * @throws IOException for any other failure to connect
     */
    public static StreamConnection openConnection(String host, int port, ConnectOptions options) throws IOException {
        ConnectOptions o = options.copy();
        EventLoop loop = EventLoop.current();
        SocketChannel ch;
        if (o.connectTimeout != null) {
            CancelScope scope = CancelScope.moveOnAfter(o.connectTimeout);
            ch = scope.run(() -> connectAny(loop, resolve(host, port, o.resolver), o));
            if (scope.cancelledCaught()) {
                throw new ConnectTimeoutException("connecting to " + host + ":" + port + " took longer than " + o.connectTimeout.toMillis() + " ms");
            }
        } else {
            ch = connectAny(loop, resolve(host, port, o.resolver), o);
        }
        return finishOpen(loop, ch, stripBrackets(host), port, o);
    }

    /**
     * Opens a connection to a Unix domain socket (asyncio's {@code open_unix_connection}).
     *
     * @param path the socket file
     * @return the open connection
     * @throws IOException as {@link #openUnixConnection(Path, ConnectOptions)} does
     */
    public static StreamConnection openUnixConnection(Path path) throws IOException {
        return openUnixConnection(path, ConnectOptions.defaults());
    }

    /**
     * Opens a connection to the Unix domain socket at {@code path}. TLS works as over TCP; a
     * client TLS config then needs its server name set, as there is no host name.
     *
     * @param path the socket file
     * @param options the connection's settings, copied (the resolver and local address do not apply)
     * @return the open connection, handshake done if TLS
     * @throws IOException if nothing listens at {@code path} or the connection fails;
     *     {@link TlsHandshakeException} if the handshake does
     */
    public static StreamConnection openUnixConnection(Path path, ConnectOptions options) throws IOException {
        ConnectOptions o = options.copy();
        EventLoop loop = EventLoop.current();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        SocketChannel ch;
        if (o.connectTimeout != null) {
            CancelScope scope = CancelScope.moveOnAfter(o.connectTimeout);
            ch = scope.run(() -> connectUnix(loop, address));
            if (scope.cancelledCaught()) {
                throw new ConnectTimeoutException("connecting to " + path + " took longer than " + o.connectTimeout.toMillis() + " ms");
            }
        } else {
            ch = connectUnix(loop, address);
        }
        return finishOpen(loop, ch, null, 0, o);
    }

    private static SocketChannel connectUnix(EventLoop loop, UnixDomainSocketAddress address) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            Sockets.connect(ch, address);
            ok = true;
            return ch;
        } finally {
            if (!ok) {
                Readiness.closeChannel(loop, ch);
            }
        }
    }

    private static SocketChannel connectAny(EventLoop loop, List<InetSocketAddress> addresses, ConnectOptions o) throws IOException {
        IOException first = null;
        for (InetSocketAddress a : addresses) {
            SocketChannel ch = SocketChannel.open(a.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            boolean ok = false;
            try {
                ch.configureBlocking(false);
                if (o.noDelay) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                if (o.localAddress != null) {
                    ch.bind(o.localAddress);
                }
                Sockets.connect(ch, a);
                ok = true;
                return ch;
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            } finally {
                if (!ok) {
                    Readiness.closeChannel(loop, ch); // also on cancellation: nothing is left open
                }
            }
        }
        throw first != null ? first : new UnknownHostException("no address to connect to");
    }

    private static StreamConnection finishOpen(EventLoop loop, SocketChannel ch, String host, int port, ConnectOptions o)
            throws IOException {
        SocketTransport t = new SocketTransport(loop, ch);
        boolean ok = false;
        try {
            Transport tr = t;
            if (o.tls != null) {
                tr = TlsTransport.handshake(t, o.tls, host, port, null);
            }
            StreamConnection c = new StreamConnection(tr, o.limit, o.highWater, o.lowWater);
            ok = true;
            return c;
        } finally {
            if (!ok && !t.isClosing()) {
                t.abort();
            }
        }
    }

    // ------------------------------------------------------------------ servers

    /**
     * {@link #startServer(ConnectionHandler, String, int, ServerOptions)} with the defaults.
     *
     * @param handler the code serving each connection, as a task of its own
     * @param host the host to bind, or {@code null} or empty for all interfaces
     * @param port the port, 0 for one the OS picks
     * @return the server, already listening
     * @throws IOException as {@link #startServer(ConnectionHandler, String, int, ServerOptions)} does
     */
    public static StreamServer startServer(ConnectionHandler handler, String host, int port) throws IOException {
        return startServer(handler, host, port, ServerOptions.defaults());
    }

    /**
     * Starts a TCP server (asyncio's {@code start_server}): listens on every address {@code host}
     * resolves to (null or empty: all interfaces), port 0 for one the OS picks, and runs
     * {@code handler} as a new task for each connection.
     *
     * @param handler the code serving each connection, as a task of its own
     * @param host the host to bind, or {@code null} or empty for all interfaces
     * @param port the port, 0 for one the OS picks
     * @param options the server's settings, copied
     * @return the server, already listening
     * @throws IOException if {@code host} does not resolve ({@link java.net.UnknownHostException}) or a bind
     *     fails (the port is taken, for one)
     */
    public static StreamServer startServer(ConnectionHandler handler, String host, int port, ServerOptions options)
            throws IOException {
        ServerOptions o = options.copy();
        EventLoop loop = EventLoop.current();
        List<InetSocketAddress> addresses;
        if (host == null || host.isEmpty()) {
            addresses = List.of(new InetSocketAddress(port));
        } else {
            addresses = resolve(host, port, o.resolver);
        }
        List<ServerSocketChannel> listeners = new ArrayList<>();
        boolean ok = false;
        try {
            for (int i = 0; i < addresses.size(); i++) {
                InetSocketAddress a = addresses.get(i);
                ServerSocketChannel ss = a.getAddress() instanceof Inet6Address
                        ? ServerSocketChannel.open(StandardProtocolFamily.INET6)
                        : a.getAddress().isAnyLocalAddress() ? ServerSocketChannel.open() : ServerSocketChannel.open(StandardProtocolFamily.INET);
                listeners.add(ss);
                ss.configureBlocking(false);
                ss.setOption(StandardSocketOptions.SO_REUSEADDR, o.reuseAddress);
                if (o.reusePort) {
                    ss.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                ss.bind(a, o.backlog);
                if (port == 0 && addresses.size() > 1) {
                    // One port for every address, as asyncio does: the OS picked it on the first bind.
                    port = ((InetSocketAddress) ss.getLocalAddress()).getPort();
                    List<InetSocketAddress> rest = new ArrayList<>();
                    for (InetSocketAddress b : addresses) {
                        rest.add(new InetSocketAddress(b.getAddress(), port));
                    }
                    addresses = rest;
                }
            }
            StreamServer s = new StreamServer(loop, handler, listeners, o, null);
            ok = true;
            return s;
        } finally {
            if (!ok) {
                for (ServerSocketChannel ss : listeners) {
                    Readiness.closeChannel(loop, ss);
                }
            }
        }
    }

    /**
     * Starts a server on a channel the caller has bound already (asyncio's {@code sock=}); the
     * server owns it from now on and closes it.
     *
     * @param handler the code serving each connection, as a task of its own
     * @param bound a bound server channel, which the server now owns
     * @param options the server's settings, copied (the backlog, address reuse and resolver do not apply)
     * @return the server, accepting
     * @throws IOException if the channel cannot be set up for the loop
     */
    public static StreamServer startServer(ConnectionHandler handler, ServerSocketChannel bound, ServerOptions options)
            throws IOException {
        if (bound.getLocalAddress() == null) {
            throw new IllegalArgumentException("the server channel is not bound");
        }
        bound.configureBlocking(false);
        return new StreamServer(EventLoop.current(), handler, List.of(bound), options.copy(), null);
    }

    /**
     * {@link #startUnixServer(ConnectionHandler, Path, ServerOptions)} with the defaults.
     *
     * @param handler the code serving each connection, as a task of its own
     * @param path the socket file to create
     * @return the server, already listening
     * @throws IOException as {@link #startUnixServer(ConnectionHandler, Path, ServerOptions)} does
     */
    public static StreamServer startUnixServer(ConnectionHandler handler, Path path) throws IOException {
        return startUnixServer(handler, path, ServerOptions.defaults());
    }

    /**
     * Starts a server on a Unix domain socket (asyncio's {@code start_unix_server}). A stale socket
     * file at {@code path} is replaced; the file is deleted when the server closes.
     *
     * @param handler the code serving each connection, as a task of its own
     * @param path the socket file to create
     * @param options the server's settings, copied
     * @return the server, already listening
     * @throws IOException if the socket file cannot be replaced or bound
     */
    public static StreamServer startUnixServer(ConnectionHandler handler, Path path, ServerOptions options) throws IOException {
        ServerOptions o = options.copy();
        EventLoop loop = EventLoop.current();
        if (java.nio.file.Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()) {
            java.nio.file.Files.delete(path); // a socket left by an earlier run
        }
        ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean ok = false;
        try {
            ss.configureBlocking(false);
            ss.bind(UnixDomainSocketAddress.of(path), o.backlog);
            StreamServer s = new StreamServer(loop, handler, List.of(ss), o, path);
            ok = true;
            return s;
        } finally {
            if (!ok) {
                Readiness.closeChannel(loop, ss);
            }
        }
    }

    // ------------------------------------------------------------------ datagrams

    /**
     * Opens a UDP endpoint (asyncio's {@code create_datagram_endpoint}): bound to a local address,
     * connected to one peer, or both; see {@link DatagramOptions}.
     *
     * @param options where to bind, connect, or both
     * @return the open endpoint
     * @throws IOException if a name does not resolve or the bind or connect fails
     */
    public static DatagramEndpoint openDatagram(DatagramOptions options) throws IOException {
        return DatagramEndpoint.open(options);
    }
}
