package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.ChannelClosedException;
import io.jasyncio.lowlevel.Readiness;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The low-level socket operations, awaited from a task (asyncio's {@code loop.sock_*}): each tries
 * the non-blocking call first and waits for readiness on the loop's selector only when the call
 * would block. The channels must be in non-blocking mode and belong to the caller, who closes them
 * (with {@link io.jasyncio.lowlevel.Readiness#closeChannel}, so that a task waiting on one wakes up).
 *
 * <p>Cancellation while waiting removes the wait and leaves the channel as it was; nothing was
 * transferred. Faults come back typed: {@link ConnectionRefusedException},
 * {@link ConnectionResetException}; a channel closed through the loop while an operation waits
 * gives {@link StreamClosedException}.
 *
 * <p>For readiness callbacks instead of awaiting, the loop has {@code addReader}, {@code
 * removeReader}, {@code addWriter} and {@code removeWriter}.
 */
public final class Sockets {

    private Sockets() {
    }

    /**
     * Accepts a connection (asyncio's {@code sock_accept}); the new channel is non-blocking.
     *
     * @param server a non-blocking server channel
     * @return the accepted connection's channel
     * @throws IOException if accepting fails or the channel is closed
     */
    public static SocketChannel accept(ServerSocketChannel server) throws IOException {
        for (;;) {
            SocketChannel c = server.accept();
            if (c != null) {
                c.configureBlocking(false);
                return c;
            }
            waitReadable(server);
        }
    }

    /**
     * Connects {@code channel} to {@code remote} (asyncio's {@code sock_connect}). {@code remote}
     * must be resolved; see {@link Net#resolve} for names.
     *
     * @param channel a non-blocking, unconnected channel
     * @param remote the resolved address to connect to
     * @throws ConnectionRefusedException if nothing listens there
     * @throws IOException for any other failure to connect
     */
    public static void connect(SocketChannel channel, SocketAddress remote) throws IOException {
        try {
            if (channel.connect(remote)) {
                return;
            }
            for (;;) {
                waitWritable(channel);
                if (channel.finishConnect()) {
                    return;
                }
            }
        } catch (IOException e) {
            throw Faults.onConnect(e, remote);
        }
    }

    /**
     * Reads into {@code dst} (asyncio's {@code sock_recv_into}): waits until at least one byte is
     * there and returns how many were read, or -1 at the end of the stream. Reads nothing if
     * {@code dst} is full.
     *
     * @param channel a non-blocking, connected channel
     * @param dst where to put the bytes
     * @return the number of bytes read, 0 if {@code dst} is full, or -1 at the end of the stream
     * @throws IOException if the read fails ({@link ConnectionResetException} for a reset)
     */
    public static int recvInto(SocketChannel channel, ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        for (;;) {
            int n;
            try {
                n = channel.read(dst);
            } catch (IOException e) {
                throw Faults.onReadOrWrite(e, "a read");
            }
            if (n != 0) {
                return n;
            }
            waitReadable(channel);
        }
    }

    /**
     * Reads up to {@code max} bytes (asyncio's {@code sock_recv}); an empty array at the end of the stream.
     *
     * @param channel a non-blocking, connected channel
     * @param max the most bytes to read
     * @return the bytes read, empty at the end of the stream
     * @throws IOException if the read fails ({@link ConnectionResetException} for a reset)
     */
    public static byte[] recv(SocketChannel channel, int max) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(max);
        int n = recvInto(channel, b);
        return n <= 0 ? new byte[0] : java.util.Arrays.copyOf(b.array(), n);
    }

    /**
     * Writes all of {@code src} (asyncio's {@code sock_sendall}), waiting for room as often as needed.
     *
     * @param channel a non-blocking, connected channel
     * @param src the bytes to send: all its remaining ones, which this consumes
     * @throws IOException if a write fails ({@link ConnectionResetException} for a reset or broken pipe)
     */
    public static void sendAll(SocketChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            int n;
            try {
                n = channel.write(src);
            } catch (IOException e) {
                throw Faults.onReadOrWrite(e, "a write");
            }
            if (n == 0) {
                waitWritable(channel);
            }
        }
    }

    /**
     * Receives one datagram into {@code dst} (asyncio's {@code sock_recvfrom_into}) and returns its
     * sender. A datagram longer than the room in {@code dst} is truncated, as UDP does.
     *
     * @param channel a non-blocking datagram channel
     * @param dst where to put the datagram's payload
     * @return the sender's address
     * @throws IOException if the receive fails
     */
    public static SocketAddress recvFrom(DatagramChannel channel, ByteBuffer dst) throws IOException {
        for (;;) {
            SocketAddress from = channel.receive(dst);
            if (from != null) {
                return from;
            }
            waitReadable(channel);
        }
    }

    /**
     * Sends {@code src} as one datagram to {@code target} (asyncio's {@code sock_sendto}), waiting
     * while the socket's send buffer has no room for it. A null target sends to the connected peer.
     *
     * @param channel a non-blocking datagram channel
     * @param src     the payload, consumed once sent
     * @param target  where to, resolved; null for the connected peer
     * @throws DatagramTooLargeException if the datagram is larger than UDP carries (65,507 bytes
     *                                   over IPv4, 65,527 over IPv6) or than the OS accepts; nothing
     *                                   was sent and {@code src} is as it was
     * @throws IOException               if the OS refuses the datagram otherwise, or the channel is
     *                                   closed while waiting ({@link StreamClosedException})
     */
    public static void sendTo(DatagramChannel channel, ByteBuffer src, SocketAddress target) throws IOException {
        int size = src.remaining();
        Faults.checkDatagramSize(channel, size, target);
        for (;;) {
            int n;
            try {
                n = target == null ? channel.write(src) : channel.send(src, target);
            } catch (IOException e) {
                throw Faults.onDatagramSend(e, size);
            }
            if (n != 0 || !src.hasRemaining()) {
                return;
            }
            waitWritable(channel);
        }
    }

    // The core wakes a waiter on a channel closed through the loop with an unchecked exception;
    // I/O code wants a typed IOException.
    static void waitReadable(SelectableChannel ch) throws IOException {
        try {
            Readiness.waitReadable(ch);
        } catch (ChannelClosedException e) {
            throw closedWhileWaiting(ch, e);
        }
    }

    static void waitWritable(SelectableChannel ch) throws IOException {
        try {
            Readiness.waitWritable(ch);
        } catch (ChannelClosedException e) {
            throw closedWhileWaiting(ch, e);
        }
    }

    private static StreamClosedException closedWhileWaiting(SelectableChannel ch, ChannelClosedException e) {
        String what = ch instanceof NetworkChannel ? "socket" : "channel";
        StreamClosedException c = new StreamClosedException("the " + what + " was closed while a task waited on it");
        c.initCause(e);
        return c;
    }
}
