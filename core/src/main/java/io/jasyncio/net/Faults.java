package io.jasyncio.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * Turns the JDK's I/O exceptions into the typed ones of this package. The JDK reports a reset as a
 * plain {@link IOException} or {@link SocketException} whose only distinguishing mark is its
 * message ("Connection reset", "Connection reset by peer", "Broken pipe"), so that is what we look at;
 * likewise "Message too long" for a datagram.
 */
final class Faults {

    private Faults() {
    }

    static IOException onReadOrWrite(IOException e, String what) {
        if (e instanceof ConnectionResetException || e instanceof ClosedChannelException) {
            return e;
        }
        if (isReset(e)) {
            return new ConnectionResetException("the peer reset the connection during " + what + " (" + e.getMessage() + ")", e);
        }
        return e;
    }

    private static boolean isReset(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("reset") || m.contains("Broken pipe") || m.contains("broken pipe")
                || m.contains("Connection aborted"));
    }

    static IOException onConnect(IOException e, SocketAddress to) {
        if (e instanceof ConnectionRefusedException) {
            return e;
        }
        if (e instanceof ConnectException && (e.getMessage() == null || e.getMessage().contains("refused"))) {
            ConnectionRefusedException r = new ConnectionRefusedException("connection refused by " + to);
            r.initCause(e);
            return r;
        }
        // The handshake completed but a reset arrived before the connect was finished (the peer
        // accepted and aborted at once, or closed its listener with us in its accept queue): the
        // JDK then reports ECONNRESET as a plain SocketException.
        if (e instanceof ConnectionResetException || !(e instanceof ConnectException) && isReset(e)) {
            return e instanceof ConnectionResetException ? e
                    : new ConnectionResetException("the peer reset the connection while connecting to " + to
                            + " (" + e.getMessage() + ")", e);
        }
        return e;
    }

    /** UDP's payload limits: 65,535 bytes less the UDP header, and over IPv4 the IP header too. */
    static final int UDP_IPV4_MAX = 65_507, UDP_IPV6_MAX = 65_527;

    /**
     * Refuses, before anything is sent, a datagram larger than UDP carries to {@code target} (null:
     * the connected peer). The JDK would pass it to the OS, which answers with an untyped "Message
     * too long".
     */
    static void checkDatagramSize(DatagramChannel ch, int size, SocketAddress target) throws IOException {
        if (size <= UDP_IPV4_MAX) {
            return; // every datagram of the hot path: no address to look at
        }
        SocketAddress to = target != null ? target : ch.getRemoteAddress();
        if (!(to instanceof InetSocketAddress isa) || isa.getAddress() == null) {
            return; // not connected, or unresolved: the JDK says so
        }
        boolean v6 = isa.getAddress() instanceof Inet6Address;
        int limit = v6 ? UDP_IPV6_MAX : UDP_IPV4_MAX;
        if (size > limit) {
            throw new DatagramTooLargeException("a datagram of " + size + " bytes is larger than UDP over "
                    + (v6 ? "IPv6" : "IPv4") + " carries (" + limit + " bytes of payload): split it, or send it over a stream",
                    size, limit);
        }
    }

    /** The OS refused a datagram as too long (EMSGSIZE) although UDP would carry it. */
    static IOException onDatagramSend(IOException e, int size) {
        if (e instanceof DatagramTooLargeException || e.getMessage() == null || !e.getMessage().contains("too long")) {
            return e;
        }
        DatagramTooLargeException t = new DatagramTooLargeException("the operating system refused a datagram of " + size
                + " bytes as too long (" + e.getMessage() + "): its own limit, or the path's MTU with don't-fragment set,"
                + " is smaller; split it", size, -1);
        t.initCause(e);
        return t;
    }
}
