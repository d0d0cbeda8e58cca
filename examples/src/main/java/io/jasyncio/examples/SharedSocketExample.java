package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.lowlevel.Readiness;
import io.jasyncio.sync.Lock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code shared-socket}: several coroutines share one UDP socket to send requests to a server and
 * read the replies, and a {@link Lock} makes each request-and-reply exchange one unit.
 *
 * <p>The socket is a non-blocking {@link DatagramChannel} on 127.0.0.1, connected to a small echo
 * server that runs on the same loop, on its own channel, and stops by itself once it has answered
 * every request it expects (or has heard nothing for a while). The server answers later requests
 * sooner (a request's reply waits {@code 10 ms x requests still expected}), so that replies come
 * back in a different order than the requests went out.
 *
 * <h2>Why the lock</h2>
 * A coroutine that sends a request and then waits for "the next datagram" assumes nobody else is
 * using the socket between its send and its receive. Without the lock, two things go wrong, and
 * the second half of this example shows both, without hanging:
 * <ol>
 *   <li>Two coroutines waiting to read the same channel: the loop allows one reader per channel
 *       and the second {@code Readiness.waitReadable} throws {@link IllegalStateException}
 *       ("... already waiting to read ..."). Had it been allowed, which reader gets which
 *       datagram would be a race.</li>
 *   <li>The one coroutine that does wait reads whatever reply comes first: another coroutine's.
 *       Its own reply arrives later, for nobody.</li>
 * </ol>
 * With the lock, one exchange at a time holds the socket; every coroutine reads its own reply.
 * (A real protocol would match replies to requests by id, with one reader task dispatching them;
 * the lock is the simplest correct answer for a strict request-reply exchange.)
 */
public final class SharedSocketExample {

    private SharedSocketExample() {
    }

    /** The defaults for the CLI: three coroutines, two requests each. */
    public static final int DEFAULT_CLIENTS = 3, DEFAULT_REQUESTS = 2;

    /** One finished exchange: who sent which request and which reply it read. */
    public record Exchange(String client, String request, String reply) {
        /** True if the reply answers this request. */
        public boolean matches() {
            return reply.equals(request + ":ok");
        }
    }

    /** How one round went: the exchanges completed, and the errors coroutines ran into. */
    public record Round(boolean withLock, List<Exchange> exchanges, List<String> errors) {
        /** Exchanges whose reply belongs to another request. */
        public List<Exchange> mixedUp() {
            return exchanges.stream().filter(e -> !e.matches()).toList();
        }

        /** True if every request got its own reply and nothing went wrong. */
        public boolean clean() {
            return errors.isEmpty() && mixedUp().isEmpty();
        }
    }

    /** Both rounds: with the lock, then without it. */
    public record Result(Round withLock, Round withoutLock) {
    }

    /**
     * {@code ./jasyncio example shared-socket} by class name.
     *
     * @param args {@code [--clients N] [--requests N]}
     */
    public static void main(String[] args) {
        Main.mainOf("shared-socket", args);
    }

    /** {@code ./jasyncio example shared-socket [--clients N] [--requests N]}. */
    static void cli(Settings settings, Args args) {
        run(args.integer("clients", DEFAULT_CLIENTS, 2, 100), args.integer("requests", DEFAULT_REQUESTS, 1, 100), settings.out());
    }

    /**
     * Runs the round with the lock ({@code clients} coroutines, {@code requestsEach} requests
     * each), then the round without it (one request each), narrating to {@code say}.
     */
    public static Result run(int clients, int requestsEach, Consumer<String> say) {
        if (clients < 2 || requestsEach < 1) {
            throw new IllegalArgumentException("need at least 2 clients and 1 request each");
        }
        say.accept("With a Lock: " + clients + " coroutines share one UDP socket, " + requestsEach + " requests each.");
        Round locked = Async.run(() -> round(true, clients, requestsEach, say));
        say.accept(locked.clean() ? "  -> every coroutine read its own reply." : "  -> unexpected: " + locked);
        say.accept("");
        say.accept("Without the lock: " + clients + " coroutines, one request each, sent at once.");
        Round unlocked = Async.run(() -> round(false, clients, 1, say));
        say.accept("  -> " + unlocked.errors().size() + " coroutine(s) could not wait to read, "
                + unlocked.mixedUp().size() + " read someone else's reply. That is why the lock is there.");
        return new Result(locked, unlocked);
    }

    /** One round on the current loop: a server, a shared client socket, and the coroutines. */
    static Round round(boolean withLock, int clients, int requestsEach, Consumer<String> say) throws IOException {
        EventLoop loop = Async.currentLoop();
        DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        server.configureBlocking(false);
        DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        socket.configureBlocking(false);
        socket.connect(server.getLocalAddress());
        try {
            Task<Integer> serverTask = Async.spawn("server", () -> serve(server, clients * requestsEach));
            Lock lock = new Lock();
            List<Exchange> exchanges = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            List<Task<Object>> coroutines = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String client = "c" + c;
                coroutines.add(Async.spawn(client, () -> {
                    ByteBuffer buf = ByteBuffer.allocate(512); // each coroutine its own buffer
                    for (int r = 0; r < requestsEach; r++) {
                        String request = client + "#" + r;
                        try {
                            String reply = withLock
                                    ? lock.withLock(() -> exchange(socket, buf, request))
                                    : exchange(socket, buf, request);
                            Exchange e = new Exchange(client, request, reply);
                            exchanges.add(e);
                            say.accept("  " + client + " sent " + request + ", read " + reply
                                    + (e.matches() ? "" : "   <- not its reply!"));
                        } catch (IllegalStateException e) {
                            errors.add(client + ": " + e.getMessage());
                            say.accept("  " + client + " sent " + request + ", then: IllegalStateException: " + e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            Async.gatherSettled(coroutines);
            int served = serverTask.await();
            say.accept("  (the server answered " + served + " request(s) and stopped)");
            return new Round(withLock, List.copyOf(exchanges), List.copyOf(errors));
        } finally {
            Readiness.closeChannel(loop, socket);
            Readiness.closeChannel(loop, server);
        }
    }

    /** Sends {@code request} on the shared socket and returns the next datagram read from it. */
    static String exchange(DatagramChannel socket, ByteBuffer buf, String request) throws IOException {
        ByteBuffer out = StandardCharsets.UTF_8.encode(request);
        while (socket.write(out) == 0) {
            Readiness.waitWritable(socket);
        }
        String reply = Async.moveOnAfter(Duration.ofSeconds(2), () -> {
            while (true) {
                buf.clear();
                if (socket.read(buf) > 0) {
                    return StandardCharsets.UTF_8.decode(buf.flip()).toString();
                }
                Readiness.waitReadable(socket); // throws IllegalStateException if another task waits already
            }
        });
        return reply != null ? reply : "(no reply within 2 s)";
    }

    /**
     * The server: answers {@code expected} requests with {@code "<request>:ok"}, the later ones
     * sooner, then stops; also stops after a second with no request.
     *
     * @return how many requests it answered
     */
    static int serve(DatagramChannel channel, int expected) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(512);
        List<Task<Object>> replies = new ArrayList<>();
        int received = 0;
        while (received < expected) {
            SocketAddress from = Async.moveOnAfter(Duration.ofSeconds(1), () -> {
                while (true) {
                    buf.clear();
                    SocketAddress sender = channel.receive(buf);
                    if (sender != null) {
                        return sender;
                    }
                    Readiness.waitReadable(channel);
                }
            });
            if (from == null) {
                break; // idle: nobody else is coming
            }
            String request = StandardCharsets.UTF_8.decode(buf.flip()).toString();
            received++;
            Duration delay = Duration.ofMillis(10L * (expected - received + 1));
            replies.add(Async.spawn(() -> {
                Async.sleep(delay);
                channel.send(StandardCharsets.UTF_8.encode(request + ":ok"), from);
                return null;
            }));
        }
        Async.gather(replies);
        return received;
    }
}
