package io.jasyncio.net;

import java.net.SocketException;

/**
 * A datagram too large to send, so nothing of it was sent and the endpoint stays usable: larger
 * than UDP carries (65,507 bytes of payload over IPv4, 65,527 over IPv6), refused before sending,
 * or refused by the operating system as too long (EMSGSIZE: an OS may carry less, macOS 9,216
 * bytes by default, and a path MTU with don't-fragment set less again). Split the payload, or
 * send it over a stream.
 */
public class DatagramTooLargeException extends SocketException {
    private static final long serialVersionUID = 1L;

    /** The refused datagram's payload size, in bytes. */
    private final int size;
    /** The protocol's limit, or -1 when the operating system refused within it. */
    private final int limit;

    /**
     * Makes one.
     *
     * @param message what was refused and what to do instead
     * @param size    the datagram's size in bytes
     * @param limit   the most the protocol carries, or -1 if the operating system refused a
     *                datagram within that (its own limit is not known)
     */
    public DatagramTooLargeException(String message, int size, int limit) {
        super(message);
        this.size = size;
        this.limit = limit;
    }

    /**
     * The size of the refused datagram.
     *
     * @return its payload in bytes
     */
    public int size() {
        return size;
    }

    /**
     * The most the protocol carries to the datagram's destination.
     *
     * @return 65,507 (UDP over IPv4) or 65,527 (over IPv6), or -1 if the operating system refused
     *         the datagram under that limit
     */
    public int limit() {
        return limit;
    }
}
