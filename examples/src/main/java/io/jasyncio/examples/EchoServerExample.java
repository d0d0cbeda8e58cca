package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.LoopGroup;
import io.jasyncio.net.ConnectionHandler;
import io.jasyncio.net.GroupServer;
import io.jasyncio.net.Net;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.Spread;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.StreamServer;
import io.jasyncio.net.tls.TlsConfig;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * {@code ./jasyncio example echo-server [--host H] [--port P] [--tls] [--loops N] [--spread S]}: a
 * TCP echo server, one task per connection on one event loop (or on N loops, each on its own
 * thread, connections spread by {@code reuse-port}, {@code round-robin} or {@code least-loaded}),
 * serving until interrupted. Prints its bound address.
 * With {@code --tls} it serves TLS with a throw-away self-signed certificate made at start.
 *
 * <p>The handler is the whole program: send back what arrives until the end of the stream. The
 * writer applies backpressure by itself, so a client that sends without reading cannot make the
 * server buffer without bound.
 */
public final class EchoServerExample {

    /**
     * {@code ./jasyncio example echo-server} by class name (the benchmark scripts start it so).
     *
     * @param args {@code [--host H] [--port P] [--tls]}
     */
    public static void main(String[] args) {
        Main.mainOf("echo-server", args);
    }

    /** {@code ./jasyncio example echo-server [--host H] [--port P] [--tls] [--loops N] [--spread S]}. */
    static void cli(Settings s, Args a) {
        int loops = a.integer("loops", 1, 1, 1024);
        String spread = a.text("spread", "reuse-port");
        Spread how = switch (spread) {
            case "reuse-port" -> Spread.REUSE_PORT;
            case "round-robin" -> Spread.ROUND_ROBIN;
            case "least-loaded" -> Spread.LEAST_LOADED;
            default -> throw new Args.UsageException("--spread: '" + spread + "' is not reuse-port, round-robin or least-loaded");
        };
        String host = a.text("host", "127.0.0.1");
        int port = a.port("port", 8888, 0);
        if (loops == 1) {
            serve(host, port, a.flag("tls"), null, s.out());
        } else {
            serveOnGroup(host, port, a.flag("tls"), loops, how, s.out());
        }
    }

    /**
     * {@code --loops N}: the same handler over a {@link LoopGroup} of N loops, each on its own
     * thread; every connection stays on the loop that got it. Serves until the JVM is stopped.
     */
    static void serveOnGroup(String host, int port, boolean tls, int loops, Spread spread, Consumer<String> say) {
        ServerOptions options = ServerOptions.defaults().backlog(4096).spread(spread);
        if (tls) {
            options.tls(TlsConfig.server(SelfSignedCertificate.serverContext()));
        }
        LoopGroup group = LoopGroup.builder().loops(loops).build();
        group.run(() -> {
            GroupServer server;
            try {
                server = Net.startServer(group, ECHO, host, port, options);
            } catch (IOException e) {
                throw ExampleFailure.cannotListen(host, port, e);
            }
            say.accept("echo server listening on " + String.join(", ",
                    server.addresses().stream().map(Addresses::of).toList()) + (tls ? " (TLS)" : "") + " with " + loops
                    + " loops (" + spread.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "); Ctrl-C to stop");
            new io.jasyncio.sync.Event().await(); // until the JVM is stopped
            return null;
        });
    }

    /**
     * Runs the server on a new loop in the calling thread until it is closed; {@code started}, if
     * given, receives the server once it listens (close it from another thread with
     * {@code server.loop().callSoonThreadsafe(server::close)}); {@code say} receives the line
     * that says where it listens.
     *
     * @throws ExampleFailure if it cannot listen on {@code host:port}
     */
    static void serve(String host, int port, boolean tls, Consumer<StreamServer> started, Consumer<String> say) {
        ServerOptions options = ServerOptions.defaults().backlog(4096);
        if (tls) {
            options.tls(TlsConfig.server(SelfSignedCertificate.serverContext()));
        }
        Async.run(() -> {
            StreamServer server;
            try {
                server = Net.startServer(ECHO, host, port, options);
            } catch (IOException e) {
                throw ExampleFailure.cannotListen(host, port, e);
            }
            say.accept("echo server listening on " + String.join(", ",
                    server.addresses().stream().map(Addresses::of).toList()) + (tls ? " (TLS)" : "") + "; Ctrl-C to stop");
            if (started != null) {
                started.accept(server);
            }
            server.serveForever();
            server.abortClients();
            server.awaitClosed();
            return null;
        });
    }

    /**
     * The servers' handler: echoes until the client ends the stream; a client that vanishes ends it
     * too. {@code transferTo} reads each chunk into the loop's shared read buffer and writes it
     * straight back from there: no buffer per connection, and a copy only of what the socket could
     * not take at once. A class of its own rather than a method and its reference
     * ({@code EchoServerExample::echo}): that is a generated class whose method calls the method, one
     * frame more under every parked connection, and a parked task's frozen stack keeps every frame
     * below its park for as long as the connection lives (about 100 bytes a frame while the code
     * is still interpreted, as it is for the first thousands of connections).
     */
    static final ConnectionHandler ECHO = new ConnectionHandler() {
        @Override
        public void handle(StreamConnection conn) {
            try {
                conn.reader().transferTo(conn.writer());
            } catch (IOException gone) {
                // a reset or a failed TLS record: nothing to answer
            }
        }
    };
}
