package io.jasyncio.bench;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The floor of {@link ScaleBench}: the JDK's raw continuation under the smallest scheduler that
 * can run the same programs as jasyncio (a FIFO ready queue, a binary timer heap with lazy
 * cancellation, a one-slot channel, an inline start for awaiting a task that has not started). It
 * has no cancellation, no task list, no names, no failure reporting, no I/O and no thread checks:
 * what it costs is what one-shot continuations cost on this JVM, and a million of them in memory
 * pay the same cache and collector effects as a million tasks. Single-threaded; one instance per
 * run, driven from a plain thread by {@link #run()}.
 */
final class Floor {

    static final ContinuationScope SCOPE = new ContinuationScope("floor");

    /** A task is its continuation plus a result. */
    static final class FTask extends Continuation {
        final Floor floor;
        Object result;
        boolean started;

        FTask(Floor floor, Runnable body) {
            super(SCOPE, body);
            this.floor = floor;
        }
    }

    final ArrayDeque<FTask> ready = new ArrayDeque<>();
    FTask current;

    // The timer heap: deadlines and targets in parallel arrays, as jasyncio's (a target is an FTask
    // for a sleep, an FTimer for a callback).
    private long[] deadlines = new long[64];
    private Object[] targets = new Object[64];
    private int size;
    private int stale;

    /** A cancellable callback timer. */
    static final class FTimer {
        final Runnable action;
        boolean cancelled;

        FTimer(Runnable action) {
            this.action = action;
        }
    }

    FTask spawn(Runnable body) {
        FTask t = new FTask(this, body);
        ready.add(t);
        return t;
    }

    /** A task made but not queued: to be started by {@link #startInline}. */
    FTask create(Runnable body) {
        return new FTask(this, body);
    }

    /** Runs a task that has not started inside the caller, up to its first suspension or end. */
    void startInline(FTask t) {
        FTask awaiter = current;
        current = t;
        t.started = true;
        t.run();
        current = awaiter;
    }

    void yieldNow() {
        ready.add(current);
        Continuation.yield(SCOPE);
    }

    void sleepNanos(long nanos) {
        push(System.nanoTime() + nanos, current);
        Continuation.yield(SCOPE);
    }

    FTimer callLater(long nanos, Runnable action) {
        FTimer t = new FTimer(action);
        push(System.nanoTime() + nanos, t);
        return t;
    }

    void cancel(FTimer t) {
        t.cancelled = true;
        if (++stale > size / 2 && size > 256) {
            compact();
        }
    }

    /** Suspends the current task until something puts it back in the ready queue. */
    void park() {
        Continuation.yield(SCOPE);
    }

    void wake(FTask t) {
        ready.add(t);
    }

    /** Runs what is ready, and what that makes ready, until the ready queue is empty; timers wait. */
    void runReady() {
        FTask t;
        while ((t = ready.poll()) != null) {
            current = t;
            t.run();
            current = null;
        }
    }

    /** Runs until nothing is ready and no timer is pending; waits for timers with parkNanos. */
    void run() {
        while (true) {
            runReady();
            if (size == 0) {
                return;
            }
            long now = System.nanoTime();
            long wait = deadlines[0] - now;
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                now = System.nanoTime();
            }
            while (size > 0 && deadlines[0] - now <= 0) {
                Object target = targets[0];
                removeTop();
                if (target instanceof FTask task) {
                    ready.add(task);
                } else if (!((FTimer) target).cancelled) {
                    ((FTimer) target).action.run();
                } else {
                    stale--;
                }
            }
        }
    }

    int pendingTimers() {
        return size;
    }

    // ------------------------------------------------------------------ the heap

    private void push(long deadline, Object target) {
        if (size == deadlines.length) {
            deadlines = Arrays.copyOf(deadlines, size * 2);
            targets = Arrays.copyOf(targets, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (deadlines[parent] - deadline <= 0) {
                break;
            }
            deadlines[i] = deadlines[parent];
            targets[i] = targets[parent];
            i = parent;
        }
        deadlines[i] = deadline;
        targets[i] = target;
    }

    private void removeTop() {
        int last = --size;
        long d = deadlines[last];
        Object o = targets[last];
        targets[last] = null;
        if (last > 0) {
            siftDown(0, d, o);
        }
    }

    private void siftDown(int i, long d, Object o) {
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            if (c + 1 < size && deadlines[c + 1] - deadlines[c] < 0) {
                c++;
            }
            if (d - deadlines[c] <= 0) {
                break;
            }
            deadlines[i] = deadlines[c];
            targets[i] = targets[c];
            i = c;
        }
        deadlines[i] = d;
        targets[i] = o;
    }

    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!(targets[i] instanceof FTimer f && f.cancelled)) {
                deadlines[n] = deadlines[i];
                targets[n++] = targets[i];
            }
        }
        Arrays.fill(targets, n, size, null);
        size = n;
        stale = 0;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, deadlines[i], targets[i]);
        }
    }

    // ------------------------------------------------------------------ a one-slot channel

    /** A channel of capacity one between tasks of one floor scheduler. */
    static final class Slot {
        private final Floor floor;
        private Object item;
        private boolean full;
        private FTask getter;
        private FTask putter;

        Slot(Floor floor) {
            this.floor = floor;
        }

        void put(Object x) {
            while (full) {
                putter = floor.current;
                floor.park();
            }
            item = x;
            full = true;
            if (getter != null) {
                floor.wake(getter);
                getter = null;
            }
        }

        Object get() {
            while (!full) {
                getter = floor.current;
                floor.park();
            }
            Object x = item;
            item = null;
            full = false;
            if (putter != null) {
                floor.wake(putter);
                putter = null;
            }
            return x;
        }
    }
}
