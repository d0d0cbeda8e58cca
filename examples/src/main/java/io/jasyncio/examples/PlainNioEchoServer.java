package io.jasyncio.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The benchmark's baseline: a plain single-thread Java NIO echo server, written the usual way (one
 * selector, one shared direct read buffer, write back at once, OP_WRITE only for what did not fit).
 * No jasyncio involved. {@code ./jasyncio example nio-echo-server [--host H] [--port P]}.
 */
public final class PlainNioEchoServer {

    private PlainNioEchoServer() {
    }

    /**
     * {@code ./jasyncio example nio-echo-server} by class name (the benchmark scripts start it so).
     *
     * @param args {@code [--host H] [--port P]}
     */
    public static void main(String[] args) {
        Main.mainOf("nio-echo-server", args);
    }

    /** {@code ./jasyncio example nio-echo-server [--host H] [--port P]}: serves until the JVM is stopped. */
    static void cli(Settings s, Args a) {
        String host = a.text("host", "127.0.0.1");
        int port = a.port("port", 8889, 0);
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw ExampleFailure.cannotListen(host, port, new java.net.UnknownHostException(host));
        }
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 4096);
        } catch (IOException e) {
            closeQuietly(server);
            throw ExampleFailure.cannotListen(host, port, e);
        }
        try {
            s.say("plain NIO echo server listening on " + Addresses.of(server.getLocalAddress()) + "; Ctrl-C to stop");
            serve(server);
        } catch (IOException e) {
            throw new ExampleFailure("the server on " + Addresses.of(host, port) + " failed: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ServerSocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // it never listened
            }
        }
    }

    /** Serves on a bound channel until the thread is interrupted; closes the channel and every connection then. */
    static void serve(ServerSocketChannel server) throws IOException {
        try (Selector selector = Selector.open(); server) {
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            while (!Thread.currentThread().isInterrupted()) { // an interrupt also wakes select()
                selector.select(key -> {
                    try {
                        if (key.isAcceptable()) {
                            SocketChannel c;
                            while ((c = server.accept()) != null) {
                                c.configureBlocking(false);
                                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                                c.register(selector, SelectionKey.OP_READ);
                            }
                            return;
                        }
                        SocketChannel c = (SocketChannel) key.channel();
                        ByteBuffer pending = (ByteBuffer) key.attachment();
                        if (key.isWritable() && pending != null) {
                            c.write(pending);
                            if (!pending.hasRemaining()) {
                                key.attach(null);
                                key.interestOps(SelectionKey.OP_READ);
                            }
                            return;
                        }
                        if (key.isReadable()) {
                            buf.clear();
                            int n = c.read(buf);
                            if (n < 0) {
                                key.cancel();
                                c.close();
                                return;
                            }
                            buf.flip();
                            c.write(buf);
                            if (buf.hasRemaining()) {
                                ByteBuffer rest = ByteBuffer.allocate(buf.remaining());
                                rest.put(buf).flip();
                                key.attach(rest);
                                key.interestOps(SelectionKey.OP_WRITE); // stop reading until the peer catches up
                            }
                        }
                    } catch (IOException e) {
                        key.cancel();
                        try {
                            key.channel().close();
                        } catch (IOException ignored) {
                            // closing a broken connection
                        }
                    }
                });
            }
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
        }
    }
}
