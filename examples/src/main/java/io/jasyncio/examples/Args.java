package io.jasyncio.examples;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of one example: {@code --name value} pairs and {@code --flag}s. Each
 * example declares which options it takes; anything else is a {@link UsageException}.
 */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Args() {
    }

    static Args none() {
        return new Args();
    }

    /**
     * Parses {@code args}. {@code valued} are the options that take a value, {@code flagNames}
     * those that do not (names without the leading dashes).
     */
    static Args parse(List<String> args, Set<String> valued, Set<String> flagNames) {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (valued.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    v = args.get(++i);
                }
                a.values.put(name, v);
            } else if (flagNames.contains(name) && inline == null) {
                a.flags.add(name);
            } else {
                throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return a;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    double number(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number, not '" + v + "'");
        }
    }

    long integer(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a whole number, not '" + v + "'");
        }
    }

    /**
     * A whole number from {@code min} to {@code max}; a value outside that range is a
     * {@link UsageException} that names the range.
     */
    int integer(String name, int fallback, int min, int max) {
        long v = integer(name, fallback);
        if (v < min || v > max) {
            throw new UsageException("--" + name + " must be a whole number from " + min + " to " + max + ", not "
                    + values.get(name));
        }
        return (int) v;
    }

    /**
     * A number more than {@code 0} and at most {@code max}; anything else (NaN included) is a
     * {@link UsageException} that names the range.
     */
    double positive(String name, double fallback, double max) {
        double v = number(name, fallback);
        if (!(v > 0 && v <= max)) {
            throw new UsageException("--" + name + " must be more than 0 and at most " + plain(max) + ", not "
                    + values.get(name));
        }
        return v;
    }

    /** A TCP or UDP port: from {@code min} (0 lets a server take any free port, 1 for a client) to 65535. */
    int port(String name, int fallback, int min) {
        return integer(name, fallback, min, 65535);
    }

    /** {@code HOST:PORT} (the host may be an IPv6 literal in brackets), or null if the option is absent. */
    java.net.InetSocketAddress hostAndPort(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        long port;
        try {
            port = colon > 0 ? Long.parseLong(v.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new UsageException("--" + name + " needs HOST:PORT with a port from 1 to 65535, such as 127.0.0.1:9999,"
                    + " not '" + v + "'");
        }
        return java.net.InetSocketAddress.createUnresolved(host, (int) port);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** A bad command line; Main prints the message and the usage, and exits with status 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
