package io.jasyncio;

import java.util.EnumMap;
import java.util.Map;

/**
 * {@link SignalHandlers} over {@code sun.misc.Signal}: every reference to {@code sun.misc} lives
 * here, so that this class is loaded only when {@code jdk.unsupported} is there to be read.
 *
 * <p>The process-wide table of signal handlers that event loops installed (signals belong to the
 * process, not to a loop: the last loop to ask for a signal gets it, as the last
 * {@code signal.signal} call does in Python).
 *
 * <h2>How a signal reaches the loop</h2>
 * The JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}, which every JDK ships and
 * exports; no flag needed) installs a native handler that wakes a JVM thread, which runs our
 * {@code SignalHandler} on a short-lived thread of its own. That handler only hands the user's
 * callback to the loop with {@link EventLoop#callSoonThreadsafe}: the callback itself always runs
 * on the loop's thread, between two steps, never inside a task. A signal that arrives after its
 * loop closed is dropped.
 *
 * <h2>Why sun.misc.Signal</h2>
 * It is the JDK's only way to catch a signal without native code: {@code jdk.internal.misc.Signal}
 * needs an export flag, the FFM API a native-access flag and a hand-written handler that must not
 * run Java code. It is "unsupported" but has been there unchanged since JDK 1.3 and is what the
 * JDK's own launcher tools use. It refuses the signals HotSpot keeps (QUIT, SEGV, ILL, FPE) and
 * those nobody can catch (KILL, STOP) with an IllegalArgumentException, which becomes
 * {@link ReservedSignalException} here. (javac notes each use as "internal proprietary API";
 * this class is the only place that touches it.)
 */
final class SunMiscSignals {

    private SunMiscSignals() {
    }

    /** One installed handler: whose it is and what it replaced, to put back on removal. */
    private static final class Registration implements sun.misc.SignalHandler {
        final Signal signal;
        final EventLoop loop;
        final Runnable callback;
        /** What the JVM had before the first jasyncio handler for this signal: restored at the end. */
        final sun.misc.SignalHandler original;
        /** For the runner's Ctrl-C: give the signal back to the JVM at the first delivery. */
        final boolean once;

        Registration(Signal signal, EventLoop loop, Runnable callback, sun.misc.SignalHandler original, boolean once) {
            this.signal = signal;
            this.loop = loop;
            this.callback = callback;
            this.original = original;
            this.once = once;
        }

        /** On the JVM's signal thread. */
        @Override
        public void handle(sun.misc.Signal s) {
            if (once) {
                remove(this); // a second Ctrl-C goes to the JVM's own handler: exit 130 at once
            }
            try {
                loop.callSoonThreadsafe(callback);
            } catch (LoopClosedException tooLate) {
                remove(this);
            }
        }
    }

    private static final Object LOCK = new Object();
    private static final Map<Signal, Registration> INSTALLED = new EnumMap<>(Signal.class);

    /** For tests: the loop whose handler holds {@code signal} now, or null. */
    static EventLoop holder(Signal signal) {
        synchronized (LOCK) {
            Registration r = INSTALLED.get(signal);
            return r == null ? null : r.loop;
        }
    }

    static int platformNumber(String name) {
        return new sun.misc.Signal(name).getNumber();
    }

    /** Installs {@code callback} for {@code signal} on behalf of {@code loop}, replacing any earlier jasyncio handler. */
    static void add(EventLoop loop, Signal signal, Runnable callback) {
        synchronized (LOCK) {
            install(loop, signal, callback, false);
        }
    }

    private static Registration install(EventLoop loop, Signal signal, Runnable callback, boolean once) {
        Registration previous = INSTALLED.get(signal);
        sun.misc.Signal s = toJdk(signal);
        Registration r;
        if (previous != null) {
            r = new Registration(signal, loop, callback, previous.original, once);
            sun.misc.Signal.handle(s, r);
        } else {
            // The original handler is only known by replacing it: install a placeholder first.
            sun.misc.SignalHandler original;
            Registration placeholder = new Registration(signal, loop, callback, null, once);
            try {
                original = sun.misc.Signal.handle(s, placeholder);
            } catch (IllegalArgumentException reserved) {
                throw new ReservedSignalException(signal, reserved);
            }
            r = new Registration(signal, loop, callback, original, once);
            sun.misc.Signal.handle(s, r);
        }
        INSTALLED.put(signal, r);
        return r;
    }

    private static sun.misc.Signal toJdk(Signal signal) {
        try {
            return new sun.misc.Signal(signal.name());
        } catch (IllegalArgumentException unknown) {
            throw new UnsupportedOperationException("this platform has no SIG" + signal, unknown);
        }
    }

    /** Removes {@code loop}'s handler for {@code signal}, restoring the JVM's; false if it had none. */
    static boolean remove(EventLoop loop, Signal signal) {
        synchronized (LOCK) {
            Registration r = INSTALLED.get(signal);
            if (r == null || r.loop != loop) {
                return false;
            }
            uninstall(r);
            return true;
        }
    }

    private static void remove(Registration r) {
        synchronized (LOCK) {
            if (INSTALLED.get(r.signal) == r) {
                uninstall(r);
            }
        }
    }

    private static void uninstall(Registration r) {
        INSTALLED.remove(r.signal);
        sun.misc.Signal.handle(toJdk(r.signal), r.original);
    }

    /** At loop close: every handler the loop still has goes (asyncio's close removes them too). */
    static void removeAll(EventLoop loop) {
        synchronized (LOCK) {
            for (Registration r : INSTALLED.values().toArray(new Registration[0])) {
                if (r.loop == loop) {
                    uninstall(r);
                }
            }
        }
    }

    /**
     * For {@link EventLoop#run}'s Ctrl-C handling: installs {@code onInterrupt} for SIGINT if
     * nobody else handles it, that is if no jasyncio loop has a SIGINT handler and the JVM's own
     * is in place (not an application's, which we must not override: asyncio checks the same).
     * The handler gives SIGINT back to the JVM at its first delivery. Returns a handle to uninstall
     * it, or null if it was not installed.
     */
    static Runnable installInterrupt(EventLoop loop, Runnable onInterrupt) {
        synchronized (LOCK) {
            if (INSTALLED.containsKey(Signal.INT)) {
                return null;
            }
            Registration r;
            try {
                r = install(loop, Signal.INT, onInterrupt, true);
            } catch (RuntimeException cannot) {
                return null; // -Xrs or a platform without SIGINT handling: Ctrl-C keeps its default
            }
            if (!isJvmDefault(r.original)) {
                uninstall(r);
                return null;
            }
            return () -> remove(r);
        }
    }

    /** The JVM's own SIGINT handler (java.lang.Terminator's, which exits with 130) or no handler at all. */
    private static boolean isJvmDefault(sun.misc.SignalHandler h) {
        // sun.misc.Signal hands back the JVM's handler in a wrapper whose toString is the wrapped
        // handler's: Object.toString of java.lang.Terminator's anonymous class, "java.lang.Terminator$1@...".
        return h == sun.misc.SignalHandler.SIG_DFL || String.valueOf(h).startsWith("java.lang.Terminator");
    }
}
