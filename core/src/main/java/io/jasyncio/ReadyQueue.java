package io.jasyncio;

import java.util.function.Consumer;

/**
 * The loop's ready queue: a double-ended FIFO of tasks and callbacks, in segments of
 * {@value #SEGMENT} slots that are made when the queue needs them and dropped once drained.
 *
 * <p>Why not an {@code ArrayDeque}: an array deque keeps its largest array for ever, and under G1
 * an array that has survived a collection is in the old generation, where every store of a young
 * task into it runs the collector's post-write barrier (a fence, and a dirty card for concurrent
 * refinement every 128 slots). A million tasks scheduled at once made that cost grow with the
 * number of tasks: spawn+await in spawn order went from 49 ns per task at 1,000 tasks to 96 ns at
 * 1,000,000 under G1, 46 to 61 ns under the Parallel collector (issue 9). A segment lives about as
 * long as the entries in it, so it is young when they are stored, and the barrier filters the store
 * out at its first test. It costs one 4 KiB allocation per {@value #SEGMENT} entries scheduled.
 *
 * <p>Loop thread only, except {@link #size()}, which a dump may read racily.
 */
final class ReadyQueue {

    /** Slots per segment: small enough to die young, large enough that making them is rare. */
    static final int SEGMENT = 1024;
    /** A segment is an array: its entries, then the next segment, then the previous one. */
    private static final int NEXT = SEGMENT, PREV = SEGMENT + 1;

    /** The first entry is {@code head[headIndex]}; the last is {@code tail[tailIndex - 1]}. */
    private Object[] head, tail;
    private int headIndex, tailIndex;
    private int size;

    ReadyQueue() {
        head = tail = new Object[SEGMENT + 2];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends {@code item} (not null) at the tail. */
    void add(Object item) {
        if (tailIndex == SEGMENT) {
            Object[] s = new Object[SEGMENT + 2];
            s[PREV] = tail;
            tail[NEXT] = s;
            tail = s;
            tailIndex = 0;
        }
        tail[tailIndex++] = item;
        size++;
    }

    /** The head entry, or null if the queue is empty. */
    Object peekFirst() {
        return size == 0 ? null : head[headIndex];
    }

    /** The tail entry, or null if the queue is empty. */
    Object peekLast() {
        return size == 0 ? null : tail[tailIndex - 1];
    }

    /** Takes the head entry, or returns null if the queue is empty. */
    Object pollFirst() {
        if (size == 0) {
            return null;
        }
        Object[] h = head;
        int i = headIndex;
        Object item = h[i];
        h[i++] = null;
        headIndex = i;
        if (--size == 0) {
            reset();
        } else if (i == SEGMENT) {
            Object[] next = (Object[]) h[NEXT];
            h[NEXT] = null; // the drained segment goes, and holds nothing live meanwhile
            next[PREV] = null;
            head = next;
            headIndex = 0;
        }
        return item;
    }

    /** Takes the tail entry, or returns null if the queue is empty. */
    Object pollLast() {
        if (size == 0) {
            return null;
        }
        Object[] t = tail;
        int i = --tailIndex;
        Object item = t[i];
        t[i] = null;
        if (--size == 0) {
            reset();
        } else if (i == 0) {
            Object[] prev = (Object[]) t[PREV];
            prev[NEXT] = null;
            t[PREV] = null;
            tail = prev;
            tailIndex = SEGMENT;
        }
        return item;
    }

    /**
     * Empty again: back to one segment, with the indices at its start. The segment is kept only
     * while it has room left; a full one is replaced, so that no segment outlives many rounds of
     * scheduling (and turns old).
     */
    private void reset() {
        if (tailIndex == SEGMENT || headIndex == SEGMENT) {
            head = tail = new Object[SEGMENT + 2];
            headIndex = tailIndex = 0;
        } else {
            // Keep appending where the tail was: the slots before it are already null.
            head = tail;
            headIndex = tailIndex;
        }
    }

    /** Calls {@code action} for every entry, head to tail. */
    void forEach(Consumer<Object> action) {
        Object[] s = head;
        int i = headIndex;
        for (int left = size; left > 0; left--) {
            if (i == SEGMENT) {
                s = (Object[]) s[NEXT];
                i = 0;
            }
            action.accept(s[i++]);
        }
    }

    /** Drops every entry. */
    void clear() {
        head = tail = new Object[SEGMENT + 2];
        headIndex = tailIndex = 0;
        size = 0;
    }
}
