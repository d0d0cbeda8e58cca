package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopClosedException;
import io.jasyncio.LoopGroup;
import io.jasyncio.lowlevel.Loops;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server whose connections are spread over the loops of a {@link LoopGroup}
 * ({@link Net#startServer(LoopGroup, ConnectionHandler, String, int, ServerOptions)},
 * {@link Net#startUnixServer(LoopGroup, ConnectionHandler, Path, ServerOptions)}). Each loop has a
 * {@link StreamServer} of its own that runs the handler of the connections it was given, as a
 * task of that loop, for the connection's whole life: the handler sees only its loop (and its
 * loop's thread). How connections reach the loops is the {@link Spread} strategy.
 *
 * <p>Thread-safe: every method may be called from any thread or loop; work on a loop's server is
 * handed to that loop. The group's {@linkplain LoopGroup#shutdown() shutdown} closes the server
 * first, so no loop accepts while the group cancels what is left.
 */
public final class GroupServer implements AutoCloseable {

    /** One loop's connection counts: written by its loop (and the acceptor), read by anyone. */
    static final class LoopLoad {
        /** Connections given to the loop and not yet finished (least-loaded reads this). */
        final AtomicInteger active = new AtomicInteger();
        /** Connections whose handler the loop has started, since the server started. */
        final AtomicLong accepted = new AtomicLong();
        /** True when the acceptor counts {@code active} as it hands a connection over. */
        final boolean countedAtDispatch;

        LoopLoad(boolean countedAtDispatch) {
            this.countedAtDispatch = countedAtDispatch;
        }
    }

    /** Where an acceptor puts each accepted channel (on the acceptor's loop). */
    interface Dispatcher {
        void dispatch(SocketChannel c);
    }

    private final LoopGroup group;
    private final Spread spread;
    /** Per loop, the server that runs its connections; each one touched only on its own loop. */
    private final StreamServer[] servers;
    private final LoopLoad[] loads;
    /** The acceptor strategies' listening server, on loop 0; null for REUSE_PORT. */
    private StreamServer acceptor;
    private List<SocketAddress> addresses = List.of();
    private volatile boolean closed;

    private GroupServer(LoopGroup group, Spread spread) {
        this.group = group;
        this.spread = spread;
        this.servers = new StreamServer[group.size()];
        this.loads = new LoopLoad[group.size()];
        for (int i = 0; i < loads.length; i++) {
            loads[i] = new LoopLoad(spread != Spread.REUSE_PORT);
        }
    }

    static GroupServer startTcp(LoopGroup group, ConnectionHandler handler, String host, int port, ServerOptions options)
            throws IOException {
        ServerOptions o = options.copy();
        Spread spread = o.spread != null ? o.spread : reusePortAvailable() ? Spread.REUSE_PORT : Spread.ROUND_ROBIN;
        GroupServer g = new GroupServer(group, spread);
        boolean ok = false;
        try {
            if (spread == Spread.REUSE_PORT) {
                if (!reusePortAvailable()) {
                    throw new UnsupportedOperationException("Spread.REUSE_PORT: this platform has no SO_REUSEPORT;"
                            + " use Spread.ROUND_ROBIN or Spread.LEAST_LOADED");
                }
                int p = port;
                for (int i = 0; i < group.size(); i++) {
                    int bindPort = p;
                    LoopLoad load = g.loads[i];
                    StreamServer s = onLoop(group.loop(i), () -> {
                        StreamServer one = Net.startServer(handler, host, bindPort, o.copy().reusePort(true));
                        one.load = load; // before its accept task first runs
                        return one;
                    });
                    g.servers[i] = s;
                    if (i == 0) {
                        p = s.port(); // port 0: the others join the port the OS picked for the first
                        g.addresses = s.addresses();
                    }
                }
            } else {
                g.startReceivers(handler, o);
                g.startAcceptor(() -> Net.startServer(handler, host, port, o));
            }
            ok = true;
        } finally {
            if (!ok) {
                g.close();
            }
        }
        group.onShutdown(g::close);
        return g;
    }

    static GroupServer startUnix(LoopGroup group, ConnectionHandler handler, Path path, ServerOptions options)
            throws IOException {
        ServerOptions o = options.copy();
        Spread spread = o.spread != null ? o.spread : Spread.ROUND_ROBIN;
        if (spread == Spread.REUSE_PORT) {
            throw new IllegalArgumentException("Spread.REUSE_PORT is for TCP: a Unix-domain server over a group uses"
                    + " one acceptor, Spread.ROUND_ROBIN or Spread.LEAST_LOADED");
        }
        GroupServer g = new GroupServer(group, spread);
        boolean ok = false;
        try {
            // Receivers serve Unix channels: no TCP_NODELAY on them, and only the acceptor owns the file.
            g.startReceivers(handler, o.copy().noDelay(false));
            g.startAcceptor(() -> Net.startUnixServer(handler, path, o));
            ok = true;
        } finally {
            if (!ok) {
                g.close();
            }
        }
        group.onShutdown(g::close);
        return g;
    }

    /** The acceptor strategies: one listening server on loop 0, handing its connections out. */
    private void startAcceptor(Callable<StreamServer> listen) throws IOException {
        acceptor = onLoop(group.loop(0), () -> {
            StreamServer a = listen.call();
            a.dispatcher = dispatcher(); // before its accept task first runs
            return a;
        });
        addresses = acceptor.addresses();
    }

    private void startReceivers(ConnectionHandler handler, ServerOptions o) throws IOException {
        for (int i = 0; i < servers.length; i++) {
            EventLoop loop = group.loop(i);
            LoopLoad load = loads[i];
            servers[i] = onLoop(loop, () -> {
                StreamServer r = new StreamServer(loop, handler, List.<ServerSocketChannel>of(), o, null);
                r.load = load;
                return r;
            });
        }
    }

    /** The acceptor's choice of loop, on loop 0 (so its round-robin counter needs no lock). */
    private Dispatcher dispatcher() {
        int[] turn = {0};
        return c -> {
            int n = servers.length;
            int k;
            if (spread == Spread.LEAST_LOADED) {
                int start = turn[0]++ % n; // ties go round, not always to loop 0
                k = start;
                int best = loads[start].active.get();
                for (int j = 1; j < n; j++) {
                    int i = (start + j) % n;
                    int a = loads[i].active.get();
                    if (a < best) {
                        best = a;
                        k = i;
                    }
                }
            } else {
                k = turn[0]++ % n;
                if (turn[0] == n) {
                    turn[0] = 0;
                }
            }
            LoopLoad load = loads[k];
            load.active.incrementAndGet();
            StreamServer target = servers[k];
            EventLoop there = group.loop(k);
            if (there == Loops.currentOrNull()) {
                target.adopt(c);
                return;
            }
            try {
                there.callSoonThreadsafe(() -> target.adopt(c));
            } catch (LoopClosedException e) {
                load.active.decrementAndGet();
                try {
                    c.close();
                } catch (IOException ignored) {
                    // nothing more to do for a connection nobody can serve
                }
            }
        };
    }

    private static boolean reusePortAvailable() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code body} on {@code loop} and returns its value: awaited from a task, or blocking a
     * plain thread (a {@code main} setting a server up before it waits).
     */
    static <T> T onLoop(EventLoop loop, Callable<T> body) throws IOException {
        EventLoop here = Loops.currentOrNull();
        if (here != null && here.currentTask() != null) {
            try {
                return Async.awaitOn(loop, body);
            } catch (java.util.concurrent.CompletionException e) {
                throw rethrow(e.getCause() != null ? e.getCause() : e);
            }
        }
        if (here != null) {
            throw new IllegalStateException("a server over a loop group is started from a task or a plain thread,"
                    + " not from a plain callback of a loop (it waits for every loop)");
        }
        try {
            return loop.submit(body).get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while starting a server over a loop group");
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(t);
    }

    // ------------------------------------------------------------------ what users call

    /**
     * The strategy in use.
     *
     * @return how connections are spread
     */
    public Spread spread() {
        return spread;
    }

    /**
     * The group the server spreads over.
     *
     * @return the group
     */
    public LoopGroup group() {
        return group;
    }

    /**
     * The bound addresses (of loop 0's listening sockets).
     *
     * @return the local addresses
     */
    public List<SocketAddress> addresses() {
        return addresses;
    }

    /**
     * The port of the first listening socket (a TCP server).
     *
     * @return the port
     */
    public int port() {
        return ((InetSocketAddress) addresses.get(0)).getPort();
    }

    /**
     * Per loop, in index order: connections whose handler that loop has started.
     *
     * @return the counts
     */
    public long[] connectionsPerLoop() {
        long[] out = new long[loads.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = loads[i].accepted.get();
        }
        return out;
    }

    /**
     * Per loop, in index order: connections given to that loop and not yet finished.
     *
     * @return the counts
     */
    public int[] activePerLoop() {
        int[] out = new int[loads.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = loads[i].active.get();
        }
        return out;
    }

    /** Stops listening on every loop; running handlers go on. Any thread; idempotent; returns at once. */
    @Override
    public void close() {
        closed = true;
        if (acceptor != null) {
            post(group.loop(0), acceptor::close);
        }
        for (int i = 0; i < servers.length; i++) {
            StreamServer s = servers[i];
            if (s != null) {
                post(group.loop(i), s::close);
            }
        }
    }

    /** Cancels every running handler on every loop. Any thread; returns at once. */
    public void abortClients() {
        for (int i = 0; i < servers.length; i++) {
            StreamServer s = servers[i];
            if (s != null) {
                post(group.loop(i), s::abortClients);
            }
        }
    }

    /**
     * Waits until the server is closed on every loop and every handler has finished. From a task
     * (of any loop) or a plain thread.
     *
     * @throws IOException never in practice; declared for the plain-thread path
     */
    public void awaitClosed() throws IOException {
        if (acceptor != null) {
            StreamServer a = acceptor;
            onLoop(group.loop(0), () -> {
                a.awaitClosed();
                return null;
            });
        }
        for (int i = 0; i < servers.length; i++) {
            StreamServer s = servers[i];
            if (s != null) {
                onLoop(group.loop(i), () -> {
                    s.awaitClosed();
                    return null;
                });
            }
        }
    }

    /**
     * True until {@link #close()}.
     *
     * @return whether the server is accepting
     */
    public boolean isServing() {
        return !closed;
    }

    private static void post(EventLoop loop, Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (LoopClosedException ignored) {
            // that loop has ended, and its server with it
        }
    }

    @Override
    public String toString() {
        List<Long> counts = new ArrayList<>();
        for (long c : connectionsPerLoop()) {
            counts.add(c);
        }
        return "GroupServer[" + addresses + ", " + spread + ", connections per loop " + counts + (closed ? ", closed" : "") + "]";
    }
}
