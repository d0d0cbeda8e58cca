package io.jasyncio;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The fixed-size list {@link Async#gather} and {@link Async#gatherSettled} return: elements may be
 * replaced with {@link #set} but not added or removed (like {@link java.util.Arrays#asList}).
 *
 * <p>Why not an {@code ArrayList}: a list of a million results is an array of 4 MB, which G1
 * allocates straight into the old generation (any array over half a region is "humongous"), and
 * every store of a young value into an old array runs the slow path of the collector's post-write
 * barrier (a fence per store). Filling it made {@code gather} of a million tasks cost more per task
 * than a thousand (issue 9). Here the elements live in pages of {@value #PAGE}: each page is young
 * while it is filled, as {@link ReadyQueue}'s segments are, so the barrier filters the store at its
 * first test.
 */
final class PagedList<T> extends AbstractList<T> implements RandomAccess {

    static final int PAGE = 1024;
    private static final int SHIFT = 10, MASK = PAGE - 1;

    private final Object[][] pages;
    private final int size;
    private int filled;

    /** An empty list of {@code size} slots, filled in order with {@link #append}. */
    PagedList(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size < 0: " + size);
        }
        this.size = size;
        this.pages = new Object[(size + MASK) >>> SHIFT][];
    }

    /** Fills the next slot; only while building, before the list is handed out. */
    void append(T value) {
        int i = filled++;
        pageFor(i)[i & MASK] = value;
    }

    /** The page holding {@code index}, made on first use (the last one only as long as needed). */
    private Object[] pageFor(int index) {
        Object[] page = pages[index >>> SHIFT];
        if (page == null) {
            page = pages[index >>> SHIFT] = new Object[Math.min(PAGE, size - (index & ~MASK))];
        }
        return page;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        Objects.checkIndex(index, size);
        Object[] page = pages[index >>> SHIFT];
        return page == null ? null : (T) page[index & MASK];
    }

    @Override
    @SuppressWarnings("unchecked")
    public T set(int index, T value) {
        Objects.checkIndex(index, size);
        Object[] page = pageFor(index);
        T old = (T) page[index & MASK];
        page[index & MASK] = value;
        return old;
    }

    @Override
    public int size() {
        return size;
    }
}
