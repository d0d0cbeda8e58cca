package io.jasyncio;

/**
 * Signal handling for the loop, if the JVM lets us: a front for {@link SunMiscSignals}, which needs
 * the {@code jdk.unsupported} module ({@code sun.misc.Signal}).
 *
 * <p>The {@code io.jasyncio} module requires it, and every JDK ships it, so it is normally there.
 * Should it be missing all the same (a trimmed runtime image, a class loader that hides it),
 * {@link EventLoop#run} leaves Ctrl-C to the JVM (exit 130 at once, as without jasyncio),
 * {@link EventLoop#addSignalHandler} throws {@link UnsupportedOperationException} naming the module,
 * and signal numbers come from the table below.
 */
final class SignalHandlers {

    private SignalHandlers() {
    }

    /** True if {@code sun.misc.Signal} can be loaded from here. */
    static final boolean AVAILABLE = available();

    private static boolean available() {
        try {
            Class.forName("sun.misc.Signal", false, SignalHandlers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static UnsupportedOperationException unavailable() {
        return new UnsupportedOperationException("signal handling needs the JDK's jdk.unsupported module"
                + " (sun.misc.Signal), which this JVM does not have: add it to the runtime image, or --add-modules jdk.unsupported");
    }

    static void add(EventLoop loop, Signal signal, Runnable callback) {
        if (!AVAILABLE) {
            throw unavailable();
        }
        SunMiscSignals.add(loop, signal, callback);
    }

    static boolean remove(EventLoop loop, Signal signal) {
        return AVAILABLE && SunMiscSignals.remove(loop, signal);
    }

    static void removeAll(EventLoop loop) {
        if (AVAILABLE) {
            SunMiscSignals.removeAll(loop);
        }
    }

    static Runnable installInterrupt(EventLoop loop, Runnable onInterrupt) {
        return AVAILABLE ? SunMiscSignals.installInterrupt(loop, onInterrupt) : null;
    }

    /** For tests: the loop whose handler holds {@code signal} now, or null. */
    static EventLoop holder(Signal signal) {
        return AVAILABLE ? SunMiscSignals.holder(signal) : null;
    }

    static int platformNumber(String name) {
        if (AVAILABLE) {
            return SunMiscSignals.platformNumber(name);
        }
        // The numbers POSIX fixes, and Linux's for the rest (they differ on macOS and the BSDs).
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
        int n = switch (name) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "QUIT" -> 3;
            case "ILL" -> 4;
            case "TRAP" -> 5;
            case "ABRT" -> 6;
            case "FPE" -> 8;
            case "KILL" -> 9;
            case "SEGV" -> 11;
            case "PIPE" -> 13;
            case "ALRM" -> 14;
            case "TERM" -> 15;
            default -> linux ? linuxNumber(name) : -1;
        };
        if (n < 0) {
            throw new IllegalArgumentException("Unknown signal: " + name);
        }
        return n;
    }

    private static int linuxNumber(String name) {
        return switch (name) {
            case "BUS" -> 7;
            case "USR1" -> 10;
            case "USR2" -> 12;
            case "CHLD" -> 17;
            case "CONT" -> 18;
            case "STOP" -> 19;
            case "TSTP" -> 20;
            case "TTIN" -> 21;
            case "TTOU" -> 22;
            case "URG" -> 23;
            case "XCPU" -> 24;
            case "XFSZ" -> 25;
            case "VTALRM" -> 26;
            case "PROF" -> 27;
            case "WINCH" -> 28;
            case "IO" -> 29;
            case "SYS" -> 31;
            default -> -1;
        };
    }
}
