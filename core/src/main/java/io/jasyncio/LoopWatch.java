package io.jasyncio;

import io.jasyncio.diagnostics.LoopMetrics;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What other threads see of one loop: its progress counters (read by the {@link Watchdog}, the
 * metrics and dumps), and the stack gate that lets a dump read suspended coroutine stacks safely.
 * Also the process-wide registry of loops that {@link EventLoop#dumpAllLoops()} and JMX walk.
 *
 * <h2>Threads</h2>
 * The loop thread writes the counters with plain stores, a few per step and nothing that fences;
 * other threads read them racily (a value may be a little stale, never torn: longs are written
 * whole on the 64-bit JVMs this runs on, and a stale count only delays a report by a tick). The
 * watchdog's own fields ({@code seen*}, {@code stall*}) belong to the watchdog thread.
 *
 * <h2>The stack gate</h2>
 * The JDK refuses to resume a continuation while another thread walks its stack (both "mount"
 * it), so a dump may only read the stack of a suspended task when the loop cannot resume one.
 * The loop resumes tasks only between two items of its ready queue, and checks {@link #gate}
 * there ({@link #beforeItem}); a dump closes the gate and reads stacks only once the loop is
 * provably not past that check: waiting at the gate ({@link #held}), blocked in select, or not
 * running (each known through a volatile written before the loop's next read of the gate, so
 * either the dump sees the loop there or the loop sees the gate). A loop stuck inside one step
 * never gets there; the dump then reports the other tasks without their stacks rather than wait.
 */
final class LoopWatch {

    private static final AtomicLong LOOP_IDS = new AtomicLong();
    private static final ConcurrentHashMap<Long, WeakReference<EventLoop>> LOOPS = new ConcurrentHashMap<>();

    /**
     * {@link #stamp} of System.nanoTime() at the watchdog's latest tick (every {@link
     * Watchdog#TICK_NANOS}), or 0 if no watchdog thread runs: the coarse clock that stamps task
     * state changes, one plain load each instead of a clock read.
     */
    static volatile int coarseStamp;

    /**
     * A nanoTime as a stamp: units of 2<sup>20</sup> ns (about a millisecond) in an int, so that a
     * task keeps 4 bytes for it rather than 8 (issue 14). Ages up to 52 days are exact to the unit;
     * beyond, they wrap.
     */
    static int stamp(long nanoTime) {
        return (int) (nanoTime >>> 20);
    }

    /**
     * How long ago, in nanoseconds, stamp {@code since} was taken, as of stamp {@code now}. A stamp
     * slightly newer than {@code now} (a task stamped after a dump read the clock) is no age at all.
     */
    static long stampAgeNanos(int now, int since) {
        int units = now - since;
        if (units < 0 && units > -1024) {
            return 0;
        }
        return Integer.toUnsignedLong(units) << 20;
    }

    static long nextLoopId() {
        return LOOP_IDS.incrementAndGet();
    }

    static void register(EventLoop loop) {
        LOOPS.put(loop.loopId, new WeakReference<>(loop));
        Watchdog.ensureStarted();
    }

    static void unregister(EventLoop loop) {
        LOOPS.remove(loop.loopId);
    }

    /** The loops not closed (nor collected), oldest first. */
    static List<EventLoop> loops() {
        List<EventLoop> out = new ArrayList<>();
        for (var e : LOOPS.entrySet()) {
            EventLoop l = e.getValue().get();
            if (l == null) {
                LOOPS.remove(e.getKey(), e.getValue());
            } else if (!l.isClosed()) {
                out.add(l);
            }
        }
        out.sort(Comparator.comparingLong(l -> l.loopId));
        return out;
    }

    final EventLoop loop;
    /** Stall threshold for this loop, in nanoseconds; 0: the watchdog ignores it. */
    final long stallThresholdNanos;

    // ---- written by the loop thread
    long steps;
    long iterations;
    long waitingNanos;
    private long runningNanosBefore;
    /** System.nanoTime() when the current run began, 0 when not running. */
    long enteredAt;

    // ---- written by the watchdog thread, read by others
    volatile long stalls;
    /** When the current stall began (the watchdog's first tick without progress), 0 if none. */
    volatile long stalledSince;

    // ---- the watchdog thread's own
    long seenProgress = -1;
    long seenAt;
    volatile boolean stallReported;
    String stallWho;

    // ---- the stack gate
    final Object gateLock = new Object();
    /** Non-zero while a dump wants the loop held before its next item. */
    volatile int gate;
    /** True while the loop thread waits at the gate. */
    volatile boolean held;

    LoopWatch(EventLoop loop) {
        this.loop = loop;
        this.stallThresholdNanos = loop.stallThresholdNanos;
    }

    /** Loop thread: before each item of the ready queue. */
    void beforeItem() {
        // No store of the item itself: a reference store into this long-lived object costs a GC
        // card mark per step; the stall report names the running task, or says it is a callback.
        steps++;
        if (gate != 0) {
            holdAtGate();
        }
    }

    /** Loop thread: at the start of each iteration. */
    void iteration() {
        iterations++;
    }

    /** Loop thread: after a blocking select. */
    void waited(long nanos) {
        waitingNanos += nanos;
    }

    /** Loop thread: a run method begins. */
    void entered() {
        enteredAt = System.nanoTime();
    }

    /** Loop thread: a run method ends. */
    void left() {
        long t = enteredAt;
        if (t != 0) {
            runningNanosBefore += System.nanoTime() - t;
            enteredAt = 0;
        }
    }

    private void holdAtGate() {
        boolean interrupted = false;
        synchronized (gateLock) {
            held = true;
            gateLock.notifyAll();
            try {
                while (gate != 0) {
                    try {
                        gateLock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                held = false;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Any thread: closes the gate and waits up to {@code maxWaitNanos} until no suspended task of
     * this loop can be resumed; returns true if so (then the caller must {@link #openGate()}),
     * false after opening the gate again if the loop stayed inside a step.
     */
    boolean closeGate(long maxWaitNanos) {
        long deadline = System.nanoTime() + maxWaitNanos;
        synchronized (gateLock) {
            gate = 1;
            while (true) {
                // gate (volatile) is written before these volatile reads; the loop writes each of
                // them before its next read of gate: either we see it there, or it sees the gate.
                if (held || loop.mayBeBlockedInSelect() || !loop.isRunning()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    gate = 0;
                    gateLock.notifyAll();
                    return false;
                }
                try {
                    gateLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    gate = 0;
                    gateLock.notifyAll();
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Any thread: lets a loop held at the gate go on. */
    void openGate() {
        synchronized (gateLock) {
            gate = 0;
            gateLock.notifyAll();
        }
    }

    /** Steps and iterations: changes whenever the loop moves on. */
    long progress() {
        return steps + iterations;
    }

    LoopMetrics metrics() {
        long waiting = waitingNanos;
        long entered = enteredAt;
        long running = runningNanosBefore + (entered != 0 ? System.nanoTime() - entered : 0);
        int channels;
        int timers;
        try {
            channels = loop.io instanceof io.jasyncio.internal.io.SelectorBackend b ? b.registeredCountRacy() : 0;
        } catch (RuntimeException e) {
            channels = 0;
        }
        try {
            timers = Math.max(0, loop.timers.size());
        } catch (RuntimeException e) {
            timers = 0;
        }
        return new LoopMetrics(loop.liveCountRacy(), loop.readyCountRacy(), steps, iterations,
                Math.max(0, running - waiting), waiting, stalls, channels, timers);
    }

    /** The live stack of what holds the loop thread: the loop thread's, or the running coroutine's own thread's. */
    StackTraceElement[] liveStack() {
        Task<?> t = loop.currentTask;
        if (t != null && !loop.coroutinesOnLoopThread) {
            StackTraceElement[] s = t.coroutineThreadStack();
            if (s != null) {
                return s;
            }
        }
        Thread th = loop.threadForDump();
        return th == null ? new StackTraceElement[0] : th.getStackTrace();
    }
}
