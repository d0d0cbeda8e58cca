import io.jasyncio.Async;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.net.StreamServer;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;

/**
 * Run (a single-file program, against any build's core jar, alternating builds for a before/after):
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp core/target/jasyncio-core-0.1.0-SNAPSHOT.jar \
 *        bench/scripts/BackpressureBench.java 5
 * </pre>
 * (Java 25 from /usr/lib/jvm/temurin-25-jdk-amd64/bin on these machines.)
 *
 * Writer backpressure on one loop: a task writes TOTAL bytes in 8 KiB writes over loopback with
 * small socket buffers (so write() keeps waiting for the queue), the server's handler reads them
 * into a direct buffer. Prints, per run, the loop thread's CPU µs and allocated bytes per MiB, then MiB/s. Public API only, so it runs against any build.
 */
public class BackpressureBench {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args.length > 0 ? args[0] : "5");
        long total = 256L << 20;
        for (int r = 0; r < runs; r++) {
            double mibs = Async.run(() -> {
                long[] got = {0};
                StreamServer server = Net.startServer(conn -> {
                    conn.channel().setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
                    ByteBuffer b = ByteBuffer.allocateDirect(16 * 1024);
                    int n;
                    while ((n = conn.reader().read(b.clear())) > 0) {
                        got[0] += n;
                    }
                }, "127.0.0.1", 0);
                com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long me = Thread.currentThread().threadId();
                long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime(), a0 = mx.getThreadAllocatedBytes(me);
                try (StreamConnection c = Net.openConnection("127.0.0.1", server.port(), ConnectOptions.defaults())) {
                    c.channel().setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
                    byte[] chunk = new byte[8192];
                    for (long sent = 0; sent < total; sent += chunk.length) {
                        c.writer().write(chunk);
                    }
                    c.writer().flush();
                }
                server.close();
                server.awaitClosed();
                long t1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime(), a1 = mx.getThreadAllocatedBytes(me);
                System.out.printf("cpu_us_per_mib=%.1f alloc_bytes_per_mib=%.0f ", (c1 - c0) / 1e3 / (total >> 20), (double) (a1 - a0) / (total >> 20));
                if (got[0] != total) {
                    throw new AssertionError("got " + got[0]);
                }
                return total / 1048576.0 / ((t1 - t0) / 1e9);
            });
            System.out.printf("%.1f%n", mibs);
        }
    }
}
