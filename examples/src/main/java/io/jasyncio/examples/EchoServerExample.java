package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.net.Net;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.StreamServer;
import io.jasyncio.net.tls.TlsConfig;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * {@code ./jasyncio example echo-server [--host H] [--port P] [--tls]}: a TCP echo server, one
 * task per connection on one event loop, serving until interrupted. Prints its bound address.
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

    /** {@code ./jasyncio example echo-server [--host H] [--port P] [--tls]}. */
    static void cli(Settings s, Args a) {
        serve(a.text("host", "127.0.0.1"), a.port("port", 8888, 0), a.flag("tls"), null, s.out());
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
                server = Net.startServer(EchoServerExample::echo, host, port, options);
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
     * Echoes until the client ends the stream; a client that vanishes ends it too. {@code transferTo}
     * reads each chunk into the loop's shared read buffer and writes it straight back from there:
     * no buffer per connection, and a copy only of what the socket could not take at once.
     */
    static void echo(io.jasyncio.net.StreamConnection conn) {
        try {
            conn.reader().transferTo(conn.writer());
        } catch (IOException gone) {
            // a reset or a failed TLS record: nothing to answer
        }
    }
}
