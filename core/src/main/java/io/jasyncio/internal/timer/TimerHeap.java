package io.jasyncio.internal.timer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The loop's timers: a binary min-heap ordered by (deadline, insertion sequence), so timers due at
 * the same instant fire in the order they were scheduled.
 *
 * <p>Entries are kept in parallel arrays rather than as objects so that the most common timer, a
 * task sleeping, allocates nothing: its entry is (deadline, seq, target). The heap never looks
 * inside a target: its owner's {@link Liveness} says whether an entry still counts (the loop says
 * a sleeping task's entry is stale once the task no longer sleeps until that deadline, and a
 * callback timer's once it is cancelled). Stale entries are dropped lazily when they reach the top, and the heap is
 * compacted when they outnumber live ones, as asyncio does, so that cancelling millions of long
 * timers does not keep them all.
 *
 * <p>Owned by one loop; not thread-safe.
 */
public final class TimerHeap {

    /** Whether an entry still counts; the heap's owner knows what its targets are. */
    @FunctionalInterface
    public interface Liveness {
        /**
         * True if the entry of {@code target} due at {@code deadline} should still fire.
         *
         * @param target   the entry's target, as added
         * @param deadline the entry's deadline, as added
         * @return whether the entry is live
         */
        boolean isLive(Object target, long deadline);
    }

    /** Every entry is live until polled: for a heap whose owner removes nothing early. */
    private static final Liveness ALWAYS_LIVE = (target, deadline) -> true;

    private final Liveness liveness;

    private long[] deadlines = new long[64];
    private long[] seqs = new long[64];
    private Object[] targets = new Object[64];
    private int size;
    private long nextSeq;
    private int stale;
    /** In seeded-schedule mode, ties between equal deadlines are broken by draws from this. */
    private final SplittableRandom tieBreaker;

    /**
     * A heap that breaks ties by insertion order, whose entries are live until polled.
     */
    public TimerHeap() {
        this(ALWAYS_LIVE, null);
    }

    /**
     * A heap whose owner tells stale entries by {@code liveness}.
     *
     * @param liveness   says whether an entry still counts
     * @param tieBreaker breaks ties between equal deadlines by its draws (seeded-schedule mode),
     *                   or null for insertion order
     */
    public TimerHeap(Liveness liveness, SplittableRandom tieBreaker) {
        this.liveness = liveness;
        this.tieBreaker = tieBreaker;
    }

    /**
     * Entries held, stale ones included.
     *
     * @return the number of entries
     */
    public int size() {
        return size;
    }

    /**
     * True if the heap holds no entry.
     *
     * @return whether it is empty
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Deadline of the earliest entry; only meaningful when not empty. Stale entries count.
     *
     * @return the earliest deadline
     */
    public long peekDeadline() {
        return deadlines[0];
    }

    /**
     * Adds an entry.
     *
     * @param deadline when it is due, on the owner's clock
     * @param target   what {@link #pollDue} returns for it
     */
    public void add(long deadline, Object target) {
        push(deadline, target);
    }

    /** Notes that one entry went stale, and compacts when stale entries dominate. */
    public void noteStale() {
        stale++;
        if (size > 256 && stale > size / 2) {
            compact();
        }
    }

    /**
     * Removes and returns the earliest live entry due at or before {@code now}, or null. Stale
     * entries met on the way are discarded.
     *
     * @param now the owner's time now
     * @return the due target, or null
     */
    public Object pollDue(long now) {
        while (size > 0 && deadlines[0] - now <= 0) {
            Object target = targets[0];
            long deadline = deadlines[0];
            removeTop();
            if (isLive(target, deadline)) {
                return target;
            }
            if (stale > 0) {
                stale--;
            }
        }
        return null;
    }

    /** Drops stale entries from the top so that {@link #peekDeadline()} is a live one. */
    public void pruneTop() {
        while (size > 0 && !isLive(targets[0], deadlines[0])) {
            removeTop();
            if (stale > 0) {
                stale--;
            }
        }
    }

    private boolean isLive(Object target, long deadline) {
        return liveness.isLive(target, deadline);
    }

    private void push(long deadline, Object target) {
        if (size == deadlines.length) {
            int n = size * 2;
            // All three copies first, then the fields: a StackOverflowError between two copies
            // must not leave arrays of different lengths.
            long[] d = Arrays.copyOf(deadlines, n);
            long[] s = Arrays.copyOf(seqs, n);
            Object[] g = Arrays.copyOf(targets, n);
            deadlines = d;
            seqs = s;
            targets = g;
        }
        long seq = tieBreaker != null ? tieBreaker.nextLong() : nextSeq++;
        // Sift up with no method call between the first write and the last: a task adds its sleep
        // at whatever stack depth it has, and a StackOverflowError thrown from a call in the middle
        // would leave a hole (a null target) or a lost entry in the heap. Array stores cannot throw
        // it, so the entry goes in whole or not at all; size counts it only once it is placed.
        long[] ds = deadlines;
        long[] ss = seqs;
        Object[] gs = targets;
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long diff = deadline - ds[parent];
            if (!(diff < 0 || (diff == 0 && seq < ss[parent]))) { // less(deadline, seq, parent), inlined
                break;
            }
            ds[i] = ds[parent];
            ss[i] = ss[parent];
            gs[i] = gs[parent];
            i = parent;
        }
        ds[i] = deadline;
        ss[i] = seq;
        gs[i] = target;
        size++;
    }

    private void removeTop() {
        int last = --size;
        long d = deadlines[last];
        long s = seqs[last];
        Object tgt = targets[last];
        targets[last] = null;
        if (last == 0) {
            return;
        }
        siftDown(0, d, s, tgt);
    }

    private void siftDown(int i, long d, long s, Object tgt) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(deadlines[right], seqs[right], deadlines[child], seqs[child])) {
                child = right;
            }
            if (!less(deadlines[child], seqs[child], d, s)) {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, d, s, tgt);
    }

    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (isLive(targets[i], deadlines[i])) {
                deadlines[n] = deadlines[i];
                seqs[n] = seqs[i];
                targets[n] = targets[i];
                n++;
            }
        }
        Arrays.fill(targets, n, size, null);
        size = n;
        stale = 0;
        // Re-heapify bottom-up.
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, deadlines[i], seqs[i], targets[i]);
        }
    }

    private static boolean less(long d1, long s1, long d2, long s2) {
        // Deadlines are nanoTime-style values: compare by difference so wrap-around is safe.
        long diff = d1 - d2;
        return diff < 0 || (diff == 0 && s1 < s2);
    }

    private void move(int from, int to) {
        deadlines[to] = deadlines[from];
        seqs[to] = seqs[from];
        targets[to] = targets[from];
    }

    private void set(int i, long d, long s, Object tgt) {
        deadlines[i] = d;
        seqs[i] = s;
        targets[i] = tgt;
    }

    /** Clears everything (loop close). */
    public void clear() {
        Arrays.fill(targets, 0, size, null);
        size = 0;
        stale = 0;
    }
}
