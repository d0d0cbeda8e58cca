package io.jasyncio.diagnostics;

import java.util.List;

/** Formatting shared by the text dumps. */
final class Durations {

    private Durations() {
    }

    /** 850 µs, 12 ms, 3.2 s, 4 min. */
    static String format(long nanos) {
        if (nanos < 0) {
            return "?";
        }
        if (nanos < 1_000_000) {
            return nanos / 1_000 + " µs";
        }
        if (nanos < 1_000_000_000) {
            return nanos / 1_000_000 + " ms";
        }
        if (nanos < 120_000_000_000L) {
            long tenths = nanos / 100_000_000;
            return tenths / 10 + "." + tenths % 10 + " s";
        }
        return nanos / 60_000_000_000L + " min";
    }

    static String refs(List<TaskRef> tasks) {
        if (tasks.size() <= 4) {
            return tasks.toString();
        }
        return tasks.subList(0, 4) + " and " + (tasks.size() - 4) + " more";
    }
}
