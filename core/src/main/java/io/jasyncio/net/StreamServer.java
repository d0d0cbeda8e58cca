package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.lowlevel.Readiness;
import io.jasyncio.net.tls.TlsHandshakeException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A listening server (asyncio's {@code Server}), made by {@link Net#startServer} or
 * {@link Net#startUnixServer}. One accept task per listening socket; each accepted connection
 * runs the {@link ConnectionHandler} in a task of its own.
 *
 * <h2>Closing</h2>
 * <ul>
 * <li>{@link #close()} stops listening at once (new connections are refused); connections already
 *     accepted go on until their handlers return. Does not suspend. Idempotent.
 * <li>{@link #abortClients()} cancels every running handler; each connection is aborted, and
 *     the handler sees {@link CancelledException} at its current suspension point.
 * <li>{@link #awaitClosed()} waits until the server is closed and every handler has finished
 *     (asyncio 3.12's {@code wait_closed}).
 * <li>{@link #serveForever()} waits until {@code close()}; cancelled, it closes the server and
 *     aborts the clients.
 * </ul>
 *
 * <p>A handler that throws has its connection aborted and its exception reported to the loop's
 * exception handler, except the {@link IdleTimeoutException} of its own connection
 * ({@link ServerOptions#idleTimeout}), which ends it quietly. A failed TLS handshake is logged at
 * DEBUG (any client may cause one).
 */
public final class StreamServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jasyncio.net");

    private final EventLoop loop;
    private final ConnectionHandler handler;
    private final List<ServerSocketChannel> listeners;
    private final List<SocketAddress> addresses = new ArrayList<>();
    private final ServerOptions options;
    private final Path unixPath;
    private final List<Task<Void>> acceptTasks = new ArrayList<>();
    private final Map<Task<?>, Boolean> handlers = new LinkedHashMap<>();
    private final List<Promise<Void>> idleWaiters = new ArrayList<>();
    private final Promise<Void> closedSignal;
    private boolean closed;
    private long accepted;
    /** Set on servers of a {@link GroupServer}: where accepted channels go, and this loop's load. */
    GroupServer.Dispatcher dispatcher;
    GroupServer.LoopLoad load;

    StreamServer(EventLoop loop, ConnectionHandler handler, List<ServerSocketChannel> listeners, ServerOptions options,
                 Path unixPath) throws IOException {
        this.loop = loop;
        this.handler = handler;
        this.listeners = listeners;
        this.options = options;
        this.unixPath = unixPath;
        this.closedSignal = new Promise<>(loop);
        for (ServerSocketChannel ss : listeners) {
            addresses.add(ss.getLocalAddress());
        }
        for (ServerSocketChannel ss : listeners) {
            Task<Void> t = loop.spawn("accept " + ss.getLocalAddress(), () -> {
                try {
                    acceptLoop(ss);
                } catch (CancelledException e) {
                    close(); // the loop is shutting down: leave no listening socket behind
                    throw e;
                }
                return null;
            });
            acceptTasks.add(t);
            t.addDoneCallback(a -> checkIdle());
        }
    }

    /**
     * The loop this server runs on (to close it from another thread:
     * {@code loop().callSoonThreadsafe(server::close)}).
     *
     * @return the server's loop
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * The bound addresses, one per listening socket (asyncio's {@code sockets}).
     *
     * @return the local addresses
     */
    public List<SocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    /**
     * The port of the first listening socket (a TCP server).
     *
     * @return the first listening socket's port
     */
    public int port() {
        return ((InetSocketAddress) addresses.get(0)).getPort();
    }

    /**
     * True until {@link #close()}.
     *
     * @return whether the server still accepts connections
     */
    public boolean isServing() {
        return !closed;
    }

    /**
     * Connections whose handler is still running.
     *
     * @return the number of active connections
     */
    public int activeConnections() {
        return handlers.size();
    }

    /**
     * Connections accepted since the server started.
     *
     * @return the number of connections accepted
     */
    public long acceptedConnections() {
        return accepted;
    }

    private void acceptLoop(ServerSocketChannel ss) {
        int burst = 0;
        while (!closed) {
            SocketChannel c;
            try {
                c = ss.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // Typically EMFILE: out of descriptors. Report and pause rather than spin (asyncio does the same).
                loop.callExceptionHandler(new ErrorReport("accepting a connection on " + addresses + " failed", e, null, null));
                Async.sleep(Duration.ofMillis(100));
                continue;
            }
            if (c == null) {
                burst = 0;
                try {
                    Sockets.waitReadable(ss);
                } catch (IOException e) {
                    return; // closed by close()
                }
                continue;
            }
            accepted++;
            if (dispatcher != null) {
                dispatcher.dispatch(c); // a group's acceptor: the connection goes to the loop it picks
            } else {
                spawnHandler(c);
            }
            if (++burst == 256) {
                burst = 0;
                Async.yieldNow(); // let the new handlers and everyone else run during a connection storm
            }
        }
    }

    /**
     * Serves {@code c}, accepted elsewhere (a group's acceptor), as a connection of this server.
     * On this server's loop; closes the channel if the server has closed.
     */
    void adopt(SocketChannel c) {
        if (closed) {
            if (load != null) {
                load.active.decrementAndGet();
            }
            Readiness.closeChannel(loop, c);
            return;
        }
        accepted++;
        spawnHandler(c);
    }

    private void spawnHandler(SocketChannel c) {
        if (load != null) {
            load.accepted.incrementAndGet();
            if (!load.countedAtDispatch) {
                load.active.incrementAndGet();
            }
        }
        Task<Object> t;
        try {
            c.configureBlocking(false);
            if (options.noDelay && unixPath == null) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            t = loop.spawn(new Serving(c));
        } catch (IOException | RuntimeException e) {
            Readiness.closeChannel(loop, c);
            if (load != null) {
                load.active.decrementAndGet();
            }
            LOG.log(Level.DEBUG, "could not set up an accepted connection", e);
            return;
        }
        handlers.put(t, Boolean.TRUE);
        t.addDoneCallback(a -> {
            if (load != null) {
                load.active.decrementAndGet();
            }
            handlers.remove(t);
            checkIdle();
        });
    }

    /**
     * A connection's task body. A class of its own rather than a lambda calling a method: a
     * lambda adds two frames (its own and its synthetic method's) under the handler, and every
     * parked handler's frozen stack holds the frames below it for as long as the connection lives.
     * A {@code Callable<Object>}, not {@code Callable<Void>}: a call() returning Void would be
     * reached through a compiler-made bridge method returning Object, one frame more.
     */
    private final class Serving implements Callable<Object> {

        private final SocketChannel c;

        Serving(SocketChannel c) {
            this.c = c;
        }

        @Override
        public Object call() throws IOException {
            SocketTransport st = new SocketTransport(loop, c);
            Transport tr = st;
            try {
                if (options.tls != null) {
                    try {
                        tr = TlsTransport.handshake(st, options.tls, null, 0, null);
                    } catch (TlsHandshakeException e) {
                        LOG.log(Level.DEBUG, "TLS handshake with a client failed", e);
                        return null;
                    } catch (IOException e) {
                        LOG.log(Level.DEBUG, "a client went away during the TLS handshake", e);
                        return null;
                    }
                }
                StreamConnection conn = new StreamConnection(tr, options.limit, options.highWater, options.lowWater);
                if (options.idleTimeout != null) {
                    st.setIdleTimeout(options.idleTimeout);
                }
                handler.handle(conn);
                tr.close();
                return null;
            } catch (CancelledException | VirtualMachineError e) {
                tr.abort();
                throw e;
            } catch (Throwable e) {
                if (e instanceof IdleTimeoutException && e == st.error()) {
                    // The server's own option closed it: the end of the connection, not a handler failure.
                    LOG.log(Level.DEBUG, "closed an idle connection", e);
                    return null;
                }
                tr.abort();
                loop.callExceptionHandler(new ErrorReport("the connection handler of a " + (unixPath != null ? "Unix" : "TCP")
                        + " server on " + addresses + " threw", e, Task.current(), null));
                return null;
            }
        }
    }

    /** Stops listening; running handlers go on. Does not suspend. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ServerSocketChannel ss : listeners) {
            Readiness.closeChannel(loop, ss); // wakes the accept task
        }
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "could not delete the socket file " + unixPath, e);
            }
        }
        closedSignal.complete(null);
        checkIdle();
    }

    /** Cancels every running handler; their connections are aborted. */
    public void abortClients() {
        for (Task<?> t : new ArrayList<>(handlers.keySet())) {
            t.cancel("the server aborted its clients");
        }
    }

    /** Waits until the server is closed and every handler has finished. */
    public void awaitClosed() {
        while (!isIdle()) {
            Promise<Void> p = new Promise<>(loop);
            idleWaiters.add(p);
            try {
                p.await();
            } finally {
                idleWaiters.remove(p);
            }
        }
    }

    /**
     * Serves until {@link #close()} is called (asyncio's {@code serve_forever}). If the calling task
     * is cancelled, closes the server and aborts its clients, then the cancellation propagates.
     */
    public void serveForever() {
        try {
            closedSignal.await();
        } catch (CancelledException e) {
            close();
            abortClients();
            throw e;
        }
    }

    private boolean isIdle() {
        if (!closed || !handlers.isEmpty()) {
            return false;
        }
        for (Task<Void> t : acceptTasks) {
            if (!t.isDone()) {
                return false;
            }
        }
        return true;
    }

    private void checkIdle() {
        if (!idleWaiters.isEmpty() && isIdle()) {
            for (Promise<Void> p : new ArrayList<>(idleWaiters)) {
                p.complete(null); // waiters re-check in their loop
            }
        }
    }

    @Override
    public String toString() {
        return "StreamServer[" + addresses + (closed ? ", closed" : ", serving") + ", connections=" + handlers.size() + "]";
    }
}
