package io.jasyncio.net;

import io.jasyncio.LoopClosedException;
import io.jasyncio.LoopGroup;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A UDP port served by every loop of a {@link LoopGroup}
 * ({@link Net#openDatagrams(LoopGroup, DatagramOptions, GroupDatagrams.Handler)}): one endpoint per
 * loop, all bound to the same port with {@code SO_REUSEPORT}, so the kernel spreads the datagrams
 * over the loops (by a hash of the sender's address and port: one sender always reaches the same
 * loop). Each loop runs the handler in a task of its own, with its own endpoint.
 *
 * <p>Thread-safe. {@link #close()} cancels the handlers, which closes their endpoints; the group's
 * shutdown does that too.
 */
public final class GroupDatagrams implements AutoCloseable {

    /** Serves one loop's endpoint until it is closed or cancelled. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves {@code endpoint}, a task of {@code loop}.
         *
         * @param endpoint this loop's endpoint (closed when this returns)
         * @param loopIndex the loop's index in the group
         * @throws Exception reported to the group's exception handler
         */
        void serve(DatagramEndpoint endpoint, int loopIndex) throws Exception;
    }

    private final LoopGroup group;
    private final Task<?>[] tasks;
    private int port;

    private GroupDatagrams(LoopGroup group) {
        this.group = group;
        this.tasks = new Task<?>[group.size()];
    }

    static GroupDatagrams open(LoopGroup group, DatagramOptions options, Handler handler) throws IOException {
        DatagramOptions o = options.copy();
        if (o.localPort < 0) {
            throw new IllegalArgumentException("datagrams over a loop group need a local address: DatagramOptions.bind(host, port)");
        }
        GroupDatagrams g = new GroupDatagrams(group);
        boolean ok = false;
        try {
            int p = o.localPort;
            for (int i = 0; i < group.size(); i++) {
                int index = i;
                DatagramOptions mine = o.copy().reusePort(true);
                mine.localPort = p;
                Opened opened = GroupServer.onLoop(group.loop(i), () -> {
                    DatagramEndpoint ep = DatagramEndpoint.open(mine);
                    Task<?> t = group.loop(index).spawn("datagrams on loop " + index, () -> {
                        try (ep) {
                            handler.serve(ep, index);
                        }
                        return null;
                    });
                    return new Opened(t, portOf(ep));
                });
                g.tasks[i] = opened.task();
                if (i == 0) {
                    p = opened.port(); // port 0: the others join the port the OS picked for the first
                    g.port = p;
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                g.close();
            }
        }
        group.onShutdown(g::close);
        return g;
    }

    private record Opened(Task<?> task, int port) {
    }

    /**
     * The UDP port every loop's endpoint is bound to.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /** Cancels every loop's handler (closing its endpoint). Any thread; returns at once. */
    @Override
    public void close() {
        for (int i = 0; i < tasks.length; i++) {
            Task<?> t = tasks[i];
            if (t != null) {
                try {
                    group.loop(i).callSoonThreadsafe(() -> t.cancel("the group's datagram endpoints closed"));
                } catch (LoopClosedException ignored) {
                    // that loop has ended, and its endpoint with it
                }
            }
        }
    }

    @Override
    public String toString() {
        return "GroupDatagrams[port " + port + ", loops " + tasks.length + "]";
    }

    static int portOf(DatagramEndpoint ep) throws IOException {
        return ((InetSocketAddress) ep.localAddress()).getPort();
    }
}
