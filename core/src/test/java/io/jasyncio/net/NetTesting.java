package io.jasyncio.net;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Helpers for the networking tests: independent blocking peers on their own threads, descriptor counts. */
final class NetTesting {

    private NetTesting() {
    }

    /** Runs blocking {@code body} on a new platform thread: an independent peer. */
    static <T> CompletableFuture<T> peer(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "blocking-peer");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** A blocking write, for {@link #writeWhileReading}. */
    interface BlockingWrite {
        void write(Socket s) throws Exception;
    }

    /**
     * Writes with {@code write} on another thread while this one reads everything until the end of
     * the stream, then returns what was read: an echo peer must keep both directions moving.
     */
    static byte[] writeWhileReading(Socket s, BlockingWrite write) throws Exception {
        CompletableFuture<Void> writer = peer(() -> {
            write.write(s);
            return null;
        });
        byte[] back = s.getInputStream().readAllBytes();
        writer.join();
        return back;
    }

    /** Open file descriptors of this process. */
    static long openFds() {
        return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }

    /** A blocking listening socket on 127.0.0.1 with an OS-chosen port. */
    static ServerSocket blockingServer() throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        return ss;
    }

    /** Closes a socket with an RST instead of a FIN. */
    static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    /**
     * Waits (bounded) until the kernel no longer lists the TCP connection from {@code localPort} to
     * {@code remotePort} as established: a reset sent to it has been processed. Reads Linux's
     * /proc/net/tcp and tcp6; elsewhere returns at once.
     */
    static void awaitLeftEstablished(int localPort, int remotePort) throws IOException {
        java.util.List<java.nio.file.Path> tables = java.util.stream.Stream.of("/proc/net/tcp", "/proc/net/tcp6")
                .map(java.nio.file.Path::of).filter(java.nio.file.Files::isReadable).toList();
        if (tables.isEmpty()) {
            return;
        }
        java.util.regex.Pattern established = java.util.regex.Pattern.compile(
                String.format(":%04X [0-9A-F]+:%04X 01 ", localPort, remotePort));
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - end < 0) {
            boolean listed = false;
            for (java.nio.file.Path t : tables) {
                listed |= java.nio.file.Files.readAllLines(t).stream().anyMatch(l -> established.matcher(l).find());
            }
            if (!listed) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("the connection from port " + localPort + " is still established after 10 s");
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        int x = seed * 7919 + 17;
        for (int i = 0; i < n; i++) {
            x = x * 1103515245 + 12345;
            b[i] = (byte) (x >>> 16);
        }
        return b;
    }
}
