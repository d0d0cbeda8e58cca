package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.LoopGroup;
import io.jasyncio.net.GroupServer;
import io.jasyncio.net.Net;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.StreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One of the demo's echo servers, alone in a child JVM so that its heap, RSS and threads are its
 * own: {@code DemoServer jasyncio|platform|virtual LIFETIME_SECONDS}.
 *
 * <ul>
 * <li>{@code jasyncio}: {@link EchoServerExample#ECHO}'s handler, a task per connection on one event loop
 *     thread, reading into a direct buffer (no copy between the socket and the buffer).
 * <li>{@code platform} / {@code virtual}: the classic blocking server, {@code ServerSocket.accept()} on
 *     one acceptor thread and a new thread per connection running {@code read(buf)} / {@code write(buf)}
 *     on {@code java.net.Socket}, with platform or virtual threads.
 * </ul>
 *
 * Every server reads into an 8 KiB buffer per connection and writes back what it read. Lines it
 * prints: {@code READY port= pid=} once listening; {@code STATS ...} for each {@code STATS}
 * command (after a full GC, so {@code heap} is what the open connections keep alive). {@code STOP}
 * closes everything and exits; so do end of stdin, the parent's exit and the lifetime.
 */
public final class DemoServer {

    /**
     * The per-connection read buffer of the thread-per-connection servers (a blocking read needs a
     * buffer of its own per thread). The jasyncio server has none: it reads through its loop's one
     * shared buffer ({@code transferTo}), which is the model's memory advantage, not a trick.
     */
    static final int BUFFER = 8 * 1024;

    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean stopping;

    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: DemoServer jasyncio|platform|virtual LIFETIME_SECONDS [LOOPS] (started by ./jasyncio demo)");
            System.exit(2);
        }
        DemoOptions.Server kind = DemoOptions.Server.byOption(args[0]);
        BlockingQueue<String> commands = DemoWire.guard(Duration.ofSeconds(Long.parseLong(args[1])));
        int loops = args.length == 3 ? Integer.parseInt(args[2]) : 1;
        new DemoServer().serve(kind, commands, loops);
    }

    private void serve(DemoOptions.Server kind, BlockingQueue<String> commands, int loops) throws Exception {
        Runnable stop;
        int port;
        int serverThreads; // besides the connection threads
        if (kind == DemoOptions.Server.JASYNCIO && loops > 1) {
            // --loops N: the same handler over a group of N loops, connections spread by SO_REUSEPORT.
            LoopGroup group = LoopGroup.builder().loops(loops).exceptionHandler((l, report) ->
                    noteError(report.exception() != null ? report.exception() : new IllegalStateException(report.message()))).build();
            GroupServer server = Net.startServer(group, this::echoJasyncio, "127.0.0.1", 0,
                    ServerOptions.defaults().backlog(4096));
            port = server.port();
            serverThreads = loops;
            stop = () -> {
                stopping = true;
                group.close();
            };
        } else if (kind == DemoOptions.Server.JASYNCIO) {
            CompletableFuture<StreamServer> started = new CompletableFuture<>();
            Thread loop = Thread.ofPlatform().name("jasyncio-loop").start(() -> {
                try {
                    Async.run(io.jasyncio.EventLoop.builder().exceptionHandler((l, report) ->
                            noteError(report.exception() != null ? report.exception() : new IllegalStateException(report.message()))), () -> {
                        StreamServer server = Net.startServer(this::echoJasyncio, "127.0.0.1", 0,
                                ServerOptions.defaults().backlog(4096));
                        started.complete(server);
                        server.serveForever();
                        server.abortClients();
                        server.awaitClosed();
                        return null;
                    });
                } catch (Throwable e) {
                    started.completeExceptionally(e);
                    noteError(e);
                }
            });
            StreamServer server = started.get(30, TimeUnit.SECONDS);
            port = server.port();
            serverThreads = 1;
            stop = () -> {
                stopping = true;
                server.loop().callSoonThreadsafe(server::close);
                try {
                    loop.join(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        } else {
            ServerSocket ss = new ServerSocket();
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            port = ss.getLocalPort();
            Set<Socket> open = ConcurrentHashMap.newKeySet();
            Thread.Builder handlers = kind == DemoOptions.Server.VIRTUAL
                    ? Thread.ofVirtual().name("echo-", 0)
                    : Thread.ofPlatform().name("echo-", 0).daemon();
            Thread.ofPlatform().name("acceptor").daemon().start(() -> acceptLoop(ss, handlers, open));
            serverThreads = 1; // the acceptor
            stop = () -> {
                stopping = true;
                close(ss);
                open.forEach(DemoServer::close);
            };
        }
        DemoWire.say(DemoWire.line("READY", "port", port, "pid", ProcessHandle.current().pid()));
        for (;;) {
            String command = commands.take();
            switch (DemoWire.word(command)) {
                case "STATS" -> DemoWire.say(stats(kind, serverThreads));
                case "STOP" -> {
                    stop.run();
                    DemoWire.say("STOPPED");
                    System.exit(0);
                }
                default -> System.err.println("demo server: unknown command '" + command + "'");
            }
        }
    }

    private String stats(DemoOptions.Server kind, int serverThreads) {
        System.gc(); // what the open connections keep alive, not the garbage of the last messages
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
            }
        }
        int threads = kind == DemoOptions.Server.JASYNCIO ? serverThreads : serverThreads + peak.get();
        String err = firstError.get();
        return DemoWire.line("STATS", "heap", heap, "direct", direct, "conns", live.get(), "peak", peak.get(),
                "threads", threads, "errors", errors.get(), "error", err == null ? "-" : err.replaceAll("\\s+", "_"));
    }

    // ------------------------------------------------------------------ jasyncio

    /** {@link EchoServerExample#ECHO}, counting errors as the blocking servers do. */
    private void echoJasyncio(io.jasyncio.net.StreamConnection conn) {
        opened();
        try {
            conn.reader().transferTo(conn.writer());
        } catch (IOException e) {
            if (!stopping) {
                noteError(e);
            }
        } finally {
            live.decrementAndGet();
        }
    }

    private void opened() {
        int now = live.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    // ------------------------------------------------------------------ thread per connection

    private void acceptLoop(ServerSocket ss, Thread.Builder handlers, Set<Socket> open) {
        while (!ss.isClosed()) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (ss.isClosed() || stopping) {
                    return;
                }
                noteError(e); // typically out of descriptors: pause rather than spin
                pause();
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                open.add(s);
                handlers.start(() -> echoBlocking(s, open));
            } catch (Throwable e) { // OutOfMemoryError "unable to create native thread" among others
                noteError(e);
                open.remove(s);
                close(s);
            }
        }
    }

    private void echoBlocking(Socket s, Set<Socket> open) {
        opened();
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            if (!stopping) {
                noteError(e);
            }
        } finally {
            open.remove(s);
            live.decrementAndGet();
        }
    }

    private void noteError(Throwable e) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing on the way out
        }
    }
}
