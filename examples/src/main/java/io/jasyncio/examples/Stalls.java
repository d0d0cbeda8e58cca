package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamConnection;
import io.jasyncio.sync.Lock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The worked example of {@code docs/observability.md}: a small account service on one loop that
 * stalls in one of three ways, for {@code ./jasyncio ps PID}, the watchdog's log, JFR and the
 * metrics to show. A heartbeat task ticks every 100 ms throughout, so each stall shows what it
 * does to the rest of the loop.
 *
 * <ul>
 * <li>{@code deadlock}: two transfers take the two account locks in opposite orders, each with
 *     an await (a rate lookup) between its two acquisitions;</li>
 * <li>{@code no-reply}: a price lookup sends its request to a backend that accepts the connection
 *     and never answers, and reads for the reply;</li>
 * <li>{@code sleep}: an audit task calls a "legacy client" that does {@code Thread.sleep} on the
 *     loop thread, 5 s at a time.</li>
 * </ul>
 * It runs {@code --seconds S} (default 60) and then stops by itself.
 */
final class Stalls {

    static final Set<String> MODES = Set.of("deadlock", "no-reply", "sleep");

    private Stalls() {
    }

    /** {@code ./jasyncio example stalls --mode deadlock|no-reply|sleep [--seconds S]}. */
    static void cli(Settings s, Args a) {
        String mode = a.text("mode", "deadlock");
        if (!MODES.contains(mode)) {
            throw new Args.UsageException("--mode must be deadlock, no-reply or sleep, not '" + mode + "'");
        }
        double seconds = a.number("seconds", 60);
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new Args.UsageException("--seconds must be more than 0 and at most 3600, not " + seconds);
        }
        run(mode, Duration.ofMillis((long) (seconds * 1000)), s.out()::accept);
    }

    static void run(String mode, Duration runFor, java.util.function.Consumer<String> say) {
        long pid = ProcessHandle.current().pid();
        try (Backend backend = mode.equals("no-reply") ? new Backend() : null) {
            Async.run(() -> {
                List<Task<?>> tasks = new ArrayList<>();
                tasks.add(Async.spawn("heartbeat", Stalls::heartbeat));
                switch (mode) {
                    case "deadlock" -> {
                        Lock alice = new Lock();
                        Lock bob = new Lock();
                        tasks.add(Async.spawn("transfer alice->bob", () -> transfer(alice, bob)));
                        tasks.add(Async.spawn("transfer bob->alice", () -> transfer(bob, alice)));
                    }
                    case "no-reply" -> tasks.add(Async.spawn("price-lookup", () -> priceLookup(backend.port())));
                    default -> tasks.add(Async.spawn("audit", Stalls::audit));
                }
                say.accept("stalls: '" + mode + "' running in process " + pid + " for " + runFor.toSeconds()
                        + " s; look inside with ./jasyncio ps " + pid + " or ./jasyncio pstree " + pid);
                Async.moveOnAfter(runFor, () -> Async.gatherSettled(tasks));
                for (Task<?> t : tasks) {
                    t.cancel("the example's time is up");
                }
                return null;
            });
        }
        say.accept("stalls: done");
    }

    private static Object heartbeat() {
        while (true) {
            Async.sleep(Duration.ofMillis(100));
        }
    }

    /** Locks {@code from}, looks up a rate (an await), then locks {@code to}. */
    private static Object transfer(Lock from, Lock to) {
        try (var a = from.acquire()) {
            lookUpRate();
            try (var b = to.acquire()) {
                return "moved";
            }
        }
    }

    private static void lookUpRate() {
        Async.sleep(Duration.ofMillis(10));
    }

    private static String priceLookup(int port) throws IOException {
        try (StreamConnection c = Net.openConnection("127.0.0.1", port)) {
            c.writer().write("PRICE widget\n", StandardCharsets.UTF_8);
            return c.reader().readLine(StandardCharsets.UTF_8); // the backend never answers
        }
    }

    private static Object audit() throws InterruptedException {
        while (true) {
            LegacyClient.fetchAuditLog();
            Async.yieldNow();
        }
    }

    /** A blocking client library, as JDBC drivers and old SDKs are. */
    static final class LegacyClient {
        static void fetchAuditLog() throws InterruptedException {
            Thread.sleep(5_000); // blocks the loop thread: every task of the loop waits
        }
    }

    /** A backend that accepts connections and never replies (a plain thread, not on the loop). */
    static final class Backend implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new ArrayList<>();

        Backend() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new ExampleFailure("cannot open the backend's port on 127.0.0.1: " + e.getMessage(), e);
            }
            Thread.ofPlatform().daemon().name("silent-backend").start(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                        InputStream in = s.getInputStream();
                        in.read(new byte[64]); // reads the request, never answers
                    }
                } catch (IOException e) {
                    // closed: done
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.close();
                synchronized (held) {
                    for (Socket s : held) {
                        s.close();
                    }
                }
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
