package io.jasyncio.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The command-line options of the networking examples: {@code --name value} and {@code --flag}. */
final class NetOptions {

    private final Map<String, String> values = new HashMap<>();

    private NetOptions() {
    }

    static NetOptions parse(String[] args, Set<String> valued, Set<String> flags, String usage) {
        NetOptions o = new NetOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.startsWith("--") ? a.substring(2) : null;
            if (name != null && flags.contains(name)) {
                o.values.put(name, "true");
            } else if (name != null && valued.contains(name) && i + 1 < args.length) {
                o.values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + a + "'\nusage: " + usage);
            }
        }
        return o;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int getInt(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number, not '" + v + "'");
        }
    }

    double getDouble(String name, double fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number, not '" + v + "'");
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }
}
