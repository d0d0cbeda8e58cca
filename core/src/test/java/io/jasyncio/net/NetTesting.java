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
