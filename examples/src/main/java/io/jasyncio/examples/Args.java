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

    /** A bad command line; Main prints the message and the usage, and exits with status 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
