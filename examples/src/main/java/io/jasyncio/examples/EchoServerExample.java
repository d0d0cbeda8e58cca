package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.net.Net;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.StreamServer;
import io.jasyncio.net.TlsConfig;
import java.io.IOException;
import java.util.Set;

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

    static final String USAGE = "echo-server [--host H] [--port P] [--tls]";

    private EchoServerExample() {
    }

    public static void main(String[] args) throws Exception {
        NetOptions o = NetOptions.parse(args, Set.of("host", "port"), Set.of("tls"), USAGE);
        serve(o.get("host", "127.0.0.1"), o.getInt("port", 8888), o.flag("tls"), null);
    }

    /**
     * Runs the server on a new loop in the calling thread until it is closed; {@code started}, if
     * given, receives the server once it listens (close it from another thread with
     * {@code server.loop().callSoonThreadsafe(server::close)}).
     */
    static void serve(String host, int port, boolean tls, java.util.function.Consumer<StreamServer> started) throws Exception {
        ServerOptions options = ServerOptions.defaults().backlog(4096);
        if (tls) {
            options.tls(TlsConfig.server(SelfSignedCertificate.serverContext()));
        }
        Async.run(() -> {
            StreamServer server = Net.startServer(EchoServerExample::echo, host, port, options);
            System.out.println("echo server listening on " + server.addresses() + (tls ? " (TLS)" : "")
                    + "; Ctrl-C to stop");
            System.out.flush();
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
