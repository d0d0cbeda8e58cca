package io.jasyncio;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The blocked-loop watchdog: one daemon thread per process ({@code jasyncio-watchdog}), started
 * with the first loop, that wakes every {@link #TICK_NANOS} and looks at each loop's progress
 * counter. A loop that is running, not blocked in select, and has not moved on since the tick on
 * which it last did is inside one step; once that has lasted the loop's threshold the watchdog
 * logs one warning naming the task and showing the loop thread's live stack, and when the loop
 * moves on again, one more line with the total. The loop's own cost is a counter increment per
 * step: no clock read, no fence.
 *
 * <p>The same thread keeps the coarse clock ({@link LoopWatch#coarseNow}) that dumps use for "in
 * this state for", refreshes which JFR events are enabled, and registers the loops' JMX beans, so
 * that none of that runs on a loop thread.
 *
 * <h2>Settings (system properties, read once)</h2>
 * {@code jasyncio.watchdog}: {@code off}, or the default threshold ({@code 1s}, {@code 500ms});
 * {@code jasyncio.jmx}: {@code auto} (the default) registers the JMX beans once the process has
 * a platform MBean server, started by whoever needs one: the application, a JMX agent
 * ({@code -Dcom.sun.management.jmxremote}, {@code jcmd PID ManagementAgent.start_local}, JConsole or
 * VisualVM attaching) or {@code ./jasyncio ps PID}; {@code true} starts the platform MBean server
 * with the first loop, so the beans are there from the start; {@code false} registers none. With
 * the watchdog off and {@code jasyncio.jmx=false}, no thread starts.
 *
 * <h2>Why not start the MBean server by default</h2>
 * Starting it loads about 240 classes and allocates some 6 MB of heap: 13 MiB of resident memory
 * in an idle echo server, which a library should not spend on a process that never opens a JMX
 * connection (measured in docs/benchmarks.md, "RSS at 10,000 echo connections"). Anyone who
 * connects starts it, and the beans follow within a tick.
 *
 * <h2>Why 1 s</h2>
 * asyncio warns at 100 ms, but only in debug mode, where it times every callback; Vert.x's
 * always-on {@code BlockedThreadChecker} warns at 2 s, checked each second. This watchdog is on by
 * default, in production, so it must not cry wolf about a GC pause or JIT warm-up (tens to a few
 * hundred ms on ordinary heaps); but a step of a full second is never legitimate on a loop that
 * serves anything, it already stalls every connection for that long. Checked every 50 ms, the
 * report comes between 1.0 and 1.05 s into the stall.
 */
final class Watchdog implements Runnable {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    /** How often the thread looks: the precision of stall durations and of task state ages. */
    static final long TICK_NANOS = 50_000_000L;

    /** The default threshold, from {@code jasyncio.watchdog}; zero when off. */
    static final Duration DEFAULT_THRESHOLD = parse(System.getProperty("jasyncio.watchdog", "1s"));

    /** {@code jasyncio.jmx}: whether to register the beans at all, and whether to start the server for them. */
    enum JmxMode {
        /** Register none. */
        OFF,
        /** Register once a platform MBean server exists; never start one. */
        AUTO,
        /** Start the platform MBean server with the first loop and register at once. */
        EAGER;

        static JmxMode parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "false", "off" -> OFF;
                case "auto" -> AUTO;
                case "true", "on" -> EAGER;
                default -> throw new IllegalArgumentException(
                        "jasyncio.jmx must be auto (the default), true or false, not '" + s + "'");
            };
        }
    }

    static final JmxMode JMX_MODE = JmxMode.parse(System.getProperty("jasyncio.jmx", "auto"));

    static final boolean JMX = JMX_MODE != JmxMode.OFF;

    /** Set by the tick that started the beans' registration: once per process. */
    private boolean jmxStarted;

    private static volatile Thread thread;

    private final Map<Long, Object> registered = new HashMap<>();
    /** Loops with a stall reported and not yet ended: checked even once closed, to log the end. */
    private static final List<LoopWatch> STALLED = new java.util.ArrayList<>();

    private Watchdog() {
    }

    /** {@code off}/{@code 0} → zero; {@code 250ms}, {@code 2s}, {@code 1.5s}, or an ISO-8601 duration. */
    static Duration parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.equals("off") || v.equals("false") || v.equals("0")) {
                return Duration.ZERO;
            }
            if (v.startsWith("pt")) {
                return Duration.parse(s.trim());
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofNanos((long) (Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 1e9));
            }
            return Duration.parse(s.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("jasyncio.watchdog must be 'off' or a duration such as 500ms or 2s, not '"
                    + s + "'", e);
        }
    }

    static void ensureStarted() {
        if (thread != null || (DEFAULT_THRESHOLD.isZero() && !JMX && !anyLoopWatched())) {
            return;
        }
        synchronized (Watchdog.class) {
            if (thread == null) {
                Thread t = Thread.ofPlatform().daemon(true).name("jasyncio-watchdog").unstarted(new Watchdog());
                t.setPriority(Thread.MAX_PRIORITY); // it must get to run while a loop hogs a core
                LoopWatch.coarseStamp = LoopWatch.stamp(System.nanoTime());
                thread = t;
                t.start();
            }
        }
    }

    private static boolean anyLoopWatched() {
        for (EventLoop l : LoopWatch.loops()) {
            if (l.stallThresholdNanos > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        while (true) {
            if (JMX && !jmxStarted && (JMX_MODE == JmxMode.EAGER || JmxBeans.mbeanServerExists())) {
                jmxStarted = true;
                // Starting the platform MBean server can take a second on a busy machine, and one
                // that exists may still be registering the JDK's own beans (we would wait for it):
                // not on this thread, whose ticks time the stalls.
                Thread.ofPlatform().daemon(true).name("jasyncio-jmx-start").start(JmxBeans::registerProcessBean);
            }
            long now = System.nanoTime();
            LoopWatch.coarseStamp = LoopWatch.stamp(now);
            JfrEvents.refresh();
            List<EventLoop> loops = LoopWatch.loops();
            for (EventLoop l : loops) {
                try {
                    check(l.watch, now);
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "the watchdog could not check loop " + l.loopId, e);
                }
            }
            for (int i = STALLED.size() - 1; i >= 0; i--) {
                LoopWatch w = STALLED.get(i);
                if (w.loop.isClosed()) {
                    check(w, now);
                }
                if (!w.stallReported) {
                    STALLED.remove(i);
                }
            }
            if (JMX && JmxBeans.ready) {
                JmxBeans.sync(loops, registered);
            }
            try {
                Thread.sleep(Duration.ofNanos(TICK_NANOS));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One look at one loop; see the class comment. */
    static void check(LoopWatch w, long now) {
        EventLoop loop = w.loop;
        long progress = w.progress();
        boolean moving = progress != w.seenProgress || loop.mayBeBlockedInSelect() || !loop.isRunning();
        if (moving) {
            if (w.stallReported) {
                endStall(w, now);
            }
            w.stalledSince = 0;
            w.seenProgress = progress;
            w.seenAt = now;
            return;
        }
        long heldFor = now - w.seenAt;
        if (heldFor >= TICK_NANOS) {
            w.stalledSince = w.seenAt;
        }
        if (!w.stallReported && w.stallThresholdNanos > 0 && heldFor >= w.stallThresholdNanos) {
            w.stallReported = true;
            STALLED.add(w);
            w.stalls++;
            w.stallWho = who(w);
            StackTraceElement[] stack = w.liveStack();
            StringBuilder b = new StringBuilder("jasyncio: event loop ").append(loop.loopId).append(" (thread '")
                    .append(threadName(loop)).append("') is stalled: ").append(w.stallWho).append(" has held it for ")
                    .append(heldFor / 1_000_000).append(" ms without suspending, and every other task of the loop"
                            + " waits meanwhile. Move blocking calls (JDBC, Thread.sleep, blocking I/O, long"
                            + " computations) to Async.toThread. The loop thread is at:");
            for (StackTraceElement f : stack) {
                b.append("\n\tat ").append(f);
            }
            LOG.log(Level.WARNING, b.toString());
        }
    }

    private static void endStall(LoopWatch w, long now) {
        long total = now - w.seenAt;
        w.stallReported = false;
        LOG.log(Level.WARNING, "jasyncio: event loop " + w.loop.loopId + " (thread '" + threadName(w.loop)
                + "'): the stall in " + w.stallWho + " ended after about " + total / 1_000_000 + " ms");
        JfrEvents.stall(w.loop, w.stallWho, w.seenAt, total);
    }

    private static String threadName(EventLoop loop) {
        Thread t = loop.threadForDump();
        return t == null ? "?" : t.getName();
    }

    /** What holds the loop: the running task, or the callback being run. */
    static String who(LoopWatch w) {
        Task<?> t = w.loop.currentTask;
        if (t != null) {
            return "task #" + t.id() + " '" + t.getName() + "'";
        }
        return "a callback (not a task; the stack below names it)";
    }
}
