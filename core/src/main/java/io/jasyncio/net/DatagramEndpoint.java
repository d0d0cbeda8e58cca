package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.Readiness;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * A UDP socket on the loop (asyncio's datagram endpoint, as awaitable calls rather than a
 * protocol): {@link #receive()} waits for the next datagram, {@link #send} sends one. Opened by
 * {@link Net#openDatagram}; optionally connected to one peer, in which case {@link #send(byte[])}
 * needs no address, only that peer's datagrams arrive, and an ICMP "port unreachable" from it
 * surfaces as {@link java.net.PortUnreachableException} on a later receive.
 *
 * <p>One task receives at a time (a second gets {@link IllegalStateException}); a receive
 * cancelled while waiting loses nothing. After {@link #close()}, or when closed while a task
 * waits, operations throw {@link StreamClosedException}.
 */
public final class DatagramEndpoint implements AutoCloseable {

    /**
     * One received datagram and who sent it.
     *
     * @param data the datagram's payload
     * @param sender the address it came from
     */
    public record Datagram(byte[] data, SocketAddress sender) {
    }

    private final EventLoop loop;
    private final DatagramChannel ch;
    private final LoopBuffers buffers;
    private boolean closed;

    private DatagramEndpoint(EventLoop loop, DatagramChannel ch) {
        this.loop = loop;
        this.ch = ch;
        this.buffers = LoopBuffers.of(loop);
    }

    static DatagramEndpoint open(DatagramOptions options) throws IOException {
        DatagramOptions o = options.copy();
        if (o.localPort < 0 && o.remoteHost == null) {
            throw new IllegalArgumentException("a datagram endpoint needs a local address, a remote address, or both");
        }
        EventLoop loop = EventLoop.current();
        InetSocketAddress remote = null;
        if (o.remoteHost != null) {
            remote = Net.resolve(o.remoteHost, o.remotePort, o.resolver).get(0);
        }
        InetSocketAddress local = null;
        if (o.localPort >= 0) {
            local = o.localHost == null || o.localHost.isEmpty() ? new InetSocketAddress(o.localPort)
                    : Net.resolve(o.localHost, o.localPort, o.resolver).get(0);
        }
        boolean v6 = (remote != null ? remote : local).getAddress() instanceof Inet6Address;
        DatagramChannel ch = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            if (o.reuseAddress) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (o.reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (o.broadcast) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            if (local != null) {
                ch.bind(local);
            }
            if (remote != null) {
                ch.connect(remote);
            }
            ok = true;
            return new DatagramEndpoint(loop, ch);
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    /**
     * Waits for the next datagram (any UDP payload: up to 65,507 bytes over IPv4, 65,527 over IPv6)
     * and returns it with its sender.
     *
     * @return the datagram and its sender
     * @throws IOException if the socket fails ({@link java.net.PortUnreachableException}: the connected peer
     *     is gone), or {@link StreamClosedException} if the endpoint is closed
     */
    public Datagram receive() throws IOException {
        ByteBuffer d = buffers.read;
        for (;;) {
            checkOpen();
            d.clear();
            SocketAddress from = ch.receive(d);
            if (from != null) {
                d.flip();
                byte[] data = new byte[d.remaining()];
                d.get(data);
                return new Datagram(data, from);
            }
            Sockets.waitReadable(ch);
        }
    }

    /**
     * Waits for the next datagram and puts it into {@code dst} (truncated to the room there, as UDP
     * does); returns its sender (asyncio's {@code sock_recvfrom_into}).
     *
     * @param dst where to put the datagram's payload
     * @return the sender's address
     * @throws IOException if the socket fails, or {@link StreamClosedException} if the endpoint is closed
     */
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        checkOpen();
        return Sockets.recvFrom(ch, dst);
    }

    /**
     * Sends {@code data} as one datagram to {@code target}; waits only if the socket's buffer is full.
     *
     * @param data   the payload
     * @param target where to, resolved; null for the connected peer
     * @throws DatagramTooLargeException if the datagram is larger than UDP carries (65,507 bytes
     *                                   over IPv4, 65,527 over IPv6) or than the OS accepts; nothing was sent
     * @throws StreamClosedException     if the endpoint is closed
     * @throws IOException               if the OS refuses the datagram otherwise
     */
    public void send(byte[] data, SocketAddress target) throws IOException {
        checkOpen();
        if (data.length > buffers.write.capacity()) {
            Sockets.sendTo(ch, ByteBuffer.wrap(data), target);
            return;
        }
        Faults.checkDatagramSize(ch, data.length, target);
        ByteBuffer d = buffers.write;
        d.clear();
        d.put(data).flip();
        int n;
        try {
            n = target == null ? ch.write(d) : ch.send(d, target);
        } catch (IOException e) {
            throw Faults.onDatagramSend(e, data.length);
        }
        if (n == 0) {
            Sockets.sendTo(ch, ByteBuffer.wrap(data), target); // the buffer was full: wait for room
        }
    }

    /**
     * Sends to {@code host:port}, resolving the name off the loop thread.
     *
     * @param data the payload, at most 65,507 bytes
     * @param host the receiver's host name or address
     * @param port the receiver's port
     * @throws IOException if the socket fails, {@link java.net.UnknownHostException} if {@code host} does not
     *     resolve
     */
    public void send(byte[] data, String host, int port) throws IOException {
        List<InetSocketAddress> to = Net.resolve(host, port);
        send(data, to.get(0));
    }

    /**
     * Sends to the connected peer.
     *
     * @param data the payload, at most 65,507 bytes
     * @throws IOException if the socket fails, or {@link StreamClosedException} if the endpoint is closed
     * @throws IllegalStateException if the endpoint is not connected
     */
    public void send(byte[] data) throws IOException {
        if (!ch.isConnected()) {
            throw new IllegalStateException("this endpoint is not connected: give the datagram a target");
        }
        send(data, (SocketAddress) null);
    }

    /**
     * Sends the remaining bytes of {@code src} as one datagram (null target: the connected peer).
     *
     * @param src    the payload, consumed
     * @param target where to, resolved; null for the connected peer
     * @throws DatagramTooLargeException as {@link #send(byte[], SocketAddress)} does; {@code src} is then as it was
     * @throws StreamClosedException     if the endpoint is closed
     * @throws IOException               if the OS refuses the datagram otherwise
     */
    public void send(ByteBuffer src, SocketAddress target) throws IOException {
        checkOpen();
        Sockets.sendTo(ch, src, target);
    }

    /**
     * The address the endpoint is bound to.
     *
     * @return the local address
     * @throws IOException if the socket is closed or fails
     */
    public SocketAddress localAddress() throws IOException {
        return ch.getLocalAddress();
    }

    /**
     * The connected peer, or null.
     *
     * @return the peer's address, or {@code null} if not connected
     * @throws IOException if the socket is closed or fails
     */
    public SocketAddress remoteAddress() throws IOException {
        return ch.getRemoteAddress();
    }

    /**
     * The underlying channel, for socket options.
     *
     * @return the endpoint's channel
     */
    public DatagramChannel channel() {
        return ch;
    }

    /**
     * True once {@link #close()} has been called.
     *
     * @return whether the endpoint is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the socket; a task waiting to receive wakes with {@link StreamClosedException}. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Readiness.closeChannel(loop, ch);
        }
    }

    private void checkOpen() throws StreamClosedException {
        Transport.checkLoop(loop);
        if (closed) {
            throw new StreamClosedException("the datagram endpoint is closed");
        }
    }
}
