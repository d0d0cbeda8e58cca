package io.jasyncio.net;

/**
 * How a server over a {@link io.jasyncio.LoopGroup} spreads connections over its loops
 * ({@link ServerOptions#spread}). Every connection stays on the loop that got it, for life.
 *
 * <table>
 * <caption>The strategies</caption>
 * <tr><th>strategy</th><th>who accepts</th><th>who picks the loop</th><th>cost per connection</th></tr>
 * <tr><td>{@link #REUSE_PORT}</td><td>every loop, on its own listening socket bound with
 *     {@code SO_REUSEPORT}</td><td>the kernel, by a hash of the connection's addresses and ports</td>
 *     <td>nothing crosses loops</td></tr>
 * <tr><td>{@link #ROUND_ROBIN}</td><td>loop 0, one listening socket</td><td>the acceptor, in turn</td>
 *     <td>one hand-off message to the chosen loop</td></tr>
 * <tr><td>{@link #LEAST_LOADED}</td><td>loop 0, one listening socket</td><td>the acceptor: the
 *     loop with the fewest open connections</td><td>the same, plus reading N counters</td></tr>
 * </table>
 *
 * {@code REUSE_PORT} is what Seastar and Netty's epoll transport do on Linux; its spread is as even
 * as the hash (binomial: about ±3% per loop at 1,000 connections over 2 loops) and it does not
 * follow load. The acceptor strategies work everywhere, Unix-domain sockets too, and spread
 * exactly ({@code ROUND_ROBIN}) or by load; the acceptor's loop also serves connections.
 */
public enum Spread {
    /** One listening socket per loop, {@code SO_REUSEPORT}: the kernel spreads (TCP only). */
    REUSE_PORT,
    /** One acceptor on loop 0 hands accepted connections to the loops in turn. */
    ROUND_ROBIN,
    /** One acceptor on loop 0 hands each accepted connection to the loop with the fewest open ones. */
    LEAST_LOADED
}
