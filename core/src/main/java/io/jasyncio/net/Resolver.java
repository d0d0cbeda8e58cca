package io.jasyncio.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Name resolution, a blocking call that {@link Net} always runs off the loop thread (on the loop's
 * default executor) and awaits. The default asks the JDK ({@code InetAddress.getAllByName}: the
 * hosts file, then DNS). Replace it to use another source, or in tests.
 */
@FunctionalInterface
public interface Resolver {

    /**
     * The addresses of {@code host}, in the order to try them. Blocking is fine here.
     *
     * @param host the name to resolve, not an IP literal
     * @return the addresses, at least one
     * @throws UnknownHostException if the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /**
     * The JDK's resolver.
     *
     * @return a resolver backed by {@code InetAddress.getAllByName}
     */
    static Resolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
