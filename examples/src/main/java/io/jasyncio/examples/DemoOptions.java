package io.jasyncio.examples;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The demo's command line ({@code ./jasyncio demo [--conns N] [--size B] [--duration S] ...}) and
 * the arithmetic that fits the connection count into the machine's limits.
 *
 * @param conns     concurrent connections asked for
 * @param size      bytes per message
 * @param duration  measured seconds per server
 * @param warmup    seconds of unmeasured exchange before each measurement
 * @param servers   which servers, in order
 * @param tourScale how long one second of the seed articles lasts in the tour-timings block
 */
record DemoOptions(int conns, int size, double duration, double warmup, List<Server> servers, double tourScale, int loops) {

    static final int DEFAULT_CONNS = 10_000;
    static final int DEFAULT_SIZE = 1024;
    static final double DEFAULT_DURATION = 10;
    static final double DEFAULT_WARMUP = 2;
    static final double DEFAULT_TOUR_SCALE = 0.5;
    static final int MAX_SIZE = 1 << 20;
    static final double MAX_SECONDS = 600;

    /**
     * Descriptors a demo JVM needs besides its connections: the JDK's own jars and modules image,
     * the selector's epoll descriptor and wake-up pipe, stdin/stdout/stderr, the listening socket.
     * A JVM here starts with about 10 open; the rest is headroom.
     */
    static final int FD_RESERVE = 100;

    /** The three servers, by their {@code --servers} names. */
    enum Server {
        JASYNCIO("jasyncio", "jasyncio", "one event loop thread, a task per connection (jasyncio streams)"),
        PLATFORM("platform", "platform threads", "a platform thread per connection, blocking java.net.Socket"),
        VIRTUAL("virtual", "virtual threads", "a virtual thread per connection, blocking java.net.Socket");

        final String option;
        final String label;
        final String description;

        Server(String option, String label, String description) {
            this.option = option;
            this.label = label;
            this.description = description;
        }

        static Server byOption(String name) {
            for (Server s : values()) {
                if (s.option.equals(name)) {
                    return s;
                }
            }
            throw new Args.UsageException("--servers: no server called '" + name + "' (choose from jasyncio, platform, virtual)");
        }
    }

    static final Set<String> OPTIONS = Set.of("conns", "size", "duration", "warmup", "servers", "tour-scale", "loops");

    static String usage() {
        return "demo [--conns N] [--size B] [--duration S] [--warmup S] [--servers jasyncio,platform,virtual] [--tour-scale X] [--loops N]";
    }

    static DemoOptions parse(List<String> args) {
        Args a = Args.parse(args, OPTIONS, Set.of());
        long conns = a.integer("conns", DEFAULT_CONNS);
        if (conns < 1 || conns > 1_000_000) {
            throw new Args.UsageException("--conns must be between 1 and 1,000,000, not " + conns);
        }
        long size = a.integer("size", DEFAULT_SIZE);
        if (size < 1 || size > MAX_SIZE) {
            throw new Args.UsageException("--size must be between 1 and " + MAX_SIZE + " bytes, not " + size);
        }
        double duration = a.number("duration", DEFAULT_DURATION);
        if (!(duration > 0) || duration > MAX_SECONDS) {
            throw new Args.UsageException("--duration must be more than 0 and at most " + (int) MAX_SECONDS + " seconds, not " + duration);
        }
        double warmup = a.number("warmup", DEFAULT_WARMUP);
        if (!(warmup >= 0) || warmup > MAX_SECONDS) {
            throw new Args.UsageException("--warmup must be between 0 and " + (int) MAX_SECONDS + " seconds, not " + warmup);
        }
        double tourScale = a.number("tour-scale", DEFAULT_TOUR_SCALE);
        if (!(tourScale > 0) || tourScale > 1) {
            throw new Args.UsageException("--tour-scale must be more than 0 and at most 1, not " + tourScale);
        }
        String names = a.text("servers", "jasyncio,platform,virtual");
        Set<Server> servers = new LinkedHashSet<>();
        for (String name : names.split(",", -1)) {
            Server s = Server.byOption(name.trim().toLowerCase(Locale.ROOT));
            if (!servers.add(s)) {
                throw new Args.UsageException("--servers names '" + s.option + "' twice");
            }
        }
        long loops = a.integer("loops", 1);
        if (loops < 1 || loops > 1024) {
            throw new Args.UsageException("--loops must be between 1 and 1024, not " + loops);
        }
        return new DemoOptions((int) conns, (int) size, duration, warmup, List.copyOf(servers), tourScale, (int) loops);
    }

    /**
     * How many connections the demo runs, and why if fewer than asked.
     *
     * @param granted connections each phase opens
     * @param notes   one line per limit that cut the count (empty if none did)
     */
    record Plan(int granted, List<String> notes) {

        boolean reduced(int asked) {
            return granted < asked;
        }
    }

    /**
     * Fits {@code asked} connections into the limits. The client and each server run in processes
     * of their own, so each end of a loopback connection costs one descriptor in its own process:
     * a process needs {@code conns + FD_RESERVE} descriptors, and {@code fdLimit} is the smaller of
     * the two processes' limits. All connections go to one server address, so each needs its own
     * local port: {@code ports} is the size of the ephemeral port range (0 if unknown).
     *
     * @throws IllegalStateException if the limits leave no room for a single connection
     */
    static Plan plan(int asked, long fdLimit, int ports) {
        int granted = asked;
        List<String> notes = new ArrayList<>();
        long byFds = fdLimit - FD_RESERVE;
        if (byFds < 1) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the descriptor limit is %d per process (ulimit -n), and a demo process needs about %d for itself;"
                            + " raise it (ulimit -n 20000) and run again", fdLimit, FD_RESERVE));
        }
        if (byFds < granted) {
            granted = (int) byFds;
            notes.add(String.format(Locale.ROOT,
                    "The descriptor limit is %,d per process (ulimit -n) and each process keeps %d for itself:"
                            + " running %,d connections instead of %,d.", fdLimit, FD_RESERVE, granted, asked));
        }
        if (ports > 0 && ports < granted) {
            granted = ports;
            notes.add(String.format(Locale.ROOT,
                    "The ephemeral port range has %,d ports (net.ipv4.ip_local_port_range), one per connection:"
                            + " running %,d connections instead of %,d.", ports, granted, asked));
        }
        return new Plan(granted, List.copyOf(notes));
    }

    /** This JVM's descriptor limit (the JVM raises its soft limit to the hard one at start), or -1 if unknown. */
    static long descriptorLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** The size of Linux's ephemeral port range, or 0 if it cannot be read. */
    static int ephemeralPorts() {
        try {
            // Not Files.readString: sysctl files report size 0, and it returned only their first byte ("3").
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
