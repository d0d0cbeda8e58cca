package io.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 concurrent connections to one echo server on one loop, each getting its own bytes back
 * intact. The server runs here; the clients run in a child JVM (same java, same class path, same
 * engine): a loopback connection with both ends in one process costs two descriptors, and the
 * limit is 20,000 per process. The child holds all 10,000 open before any byte moves, and the
 * server checks it saw all 10,000 at once. Runs under both engines.
 */
@Timeout(180)
class TenThousandConnectionsTest {

    static final int CONNECTIONS = 10_000;
    static final int SIZE = 1024;

    @Test
    void tenThousandConcurrentEchoConnections() throws Exception {
        int[] active = {0, 0}; // now, most at once
        long[] bytesEchoed = {0};
        Path log = Files.createTempFile("ten-thousand-client", ".log");
        try {
            String childOutput = Async.run(() -> {
                StreamServer server = Net.startServer(conn -> {
                    active[0]++;
                    active[1] = Math.max(active[1], active[0]);
                    try {
                        byte[] buf = new byte[4096];
                        for (int n; (n = conn.reader().read(buf)) > 0; ) {
                            conn.writer().write(buf, 0, n);
                            bytesEchoed[0] += n;
                        }
                    } finally {
                        active[0]--;
                    }
                }, "127.0.0.1", 0, ServerOptions.defaults().backlog(4096));

                String java = ProcessHandle.current().info().command().orElseThrow();
                List<String> cmd = new ArrayList<>(List.of(java, "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                        "-Djasyncio.engine=" + System.getProperty("jasyncio.engine", "auto"), "-Xss1m",
                        "-cp", System.getProperty("java.class.path"), TenThousandClient.class.getName(),
                        "127.0.0.1", String.valueOf(server.port()), String.valueOf(CONNECTIONS), String.valueOf(SIZE)));
                Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                try {
                    boolean ended = Async.toThread(() -> child.waitFor(150, TimeUnit.SECONDS));
                    String out = Files.readString(log);
                    assertTrue(ended, "the client did not finish in time:\n" + tail(out));
                    assertEquals(0, child.exitValue(), "the client reported failures:\n" + tail(out));
                    return out;
                } finally {
                    child.destroyForcibly();
                    server.close();
                    server.abortClients();
                    server.awaitClosed();
                }
            });
            assertTrue(childOutput.contains("connected=" + CONNECTIONS + " verified=" + CONNECTIONS + " failed=0"), tail(childOutput));
            assertEquals(CONNECTIONS, active[1], "the server held every connection at once");
            assertEquals((long) CONNECTIONS * SIZE, bytesEchoed[0]);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String tail(String s) {
        return s.length() > 3000 ? "..." + s.substring(s.length() - 3000) : s;
    }
}
