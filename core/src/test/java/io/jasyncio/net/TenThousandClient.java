package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client half of {@link TenThousandConnectionsTest}, run in a child JVM so that each process
 * stays under the 20,000-descriptor limit. Opens N connections (in waves of 1,000), holds them all
 * open, and only once every one is connected sends each its own bytes, reads them back and checks
 * them. Prints one line {@code connected=C verified=V failed=F} and exits 0 if all N verified.
 *
 * <p>Args: host port connections size.
 */
public final class TenThousandClient {

    private TenThousandClient() {
    }

    public static void main(String[] args) {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        int[] counts = Async.run(() -> Async.withTimeout(Duration.ofSeconds(90), () -> run(host, port, n, size)));
        System.out.println("connected=" + counts[0] + " verified=" + counts[1] + " failed=" + counts[2]);
        System.exit(counts[1] == n ? 0 : 1);
    }

    private static int[] run(String host, int port, int n, int size) throws Exception {
        int[] counts = new int[3]; // connected, verified, failed
        Promise<Void> allConnected = new Promise<>();
        Promise<Void> allVerified = new Promise<>();
        List<Promise<Void>> progress = new ArrayList<>(List.of(new Promise<>()));
        Runnable settled = () -> {
            Promise<Void> p = progress.set(0, new Promise<>());
            p.complete(null);
            if (counts[0] + counts[2] == n) {
                allConnected.complete(null);
            }
            if (counts[1] + counts[2] == n) {
                allVerified.complete(null);
            }
        };
        ConnectOptions options = ConnectOptions.defaults().connectTimeout(Duration.ofSeconds(30));
        List<Task<Void>> tasks = new ArrayList<>(n);
        for (int wave = 0; wave < n; wave += 1000) {
            int end = Math.min(n, wave + 1000);
            for (int i = wave; i < end; i++) {
                int id = i;
                tasks.add(Async.spawn(() -> {
                    StreamConnection c;
                    try {
                        c = Net.openConnection(host, port, options);
                    } catch (Exception e) {
                        System.err.println("connection " + id + " failed: " + e);
                        counts[2]++;
                        settled.run();
                        return null;
                    }
                    try (c) {
                        counts[0]++;
                        settled.run();
                        allConnected.await(); // every connection is open at once before any data moves
                        byte[] data = NetTesting.pattern(size, id);
                        c.writer().write(data);
                        byte[] back = c.reader().readExactly(size);
                        if (Arrays.equals(data, back)) {
                            counts[1]++;
                        } else {
                            System.err.println("connection " + id + ": wrong bytes back");
                            counts[2]++;
                        }
                        settled.run();
                        allVerified.await();
                    } catch (Exception e) {
                        System.err.println("connection " + id + " failed after connecting: " + e);
                        counts[2]++;
                        settled.run();
                    }
                    return null;
                }));
            }
            while (counts[0] + counts[2] < end) {
                progress.get(0).await();
            }
        }
        allVerified.await();
        for (Task<Void> t : tasks) {
            t.await();
        }
        return counts;
    }
}
