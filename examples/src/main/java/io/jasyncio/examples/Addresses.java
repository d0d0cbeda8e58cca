package io.jasyncio.examples;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Socket addresses as the examples print them: {@code 127.0.0.1:8888}, {@code [::1]:8888}. */
final class Addresses {

    private Addresses() {
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    static String of(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * {@code a} as {@link #of(String, int)} writes it: the IP address if it is resolved (no
     * {@code /} in front, as {@link InetSocketAddress#toString()} puts), else the host name.
     */
    static String of(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return of(i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString(), i.getPort());
        }
        return String.valueOf(a);
    }
}
