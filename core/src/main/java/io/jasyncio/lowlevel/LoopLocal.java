package io.jasyncio.lowlevel;

import io.jasyncio.EventLoop;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A value per event loop (Netty's {@code FastThreadLocal}, for loops): each loop that asks gets its
 * own, made by the supplier on its first {@link #get}, and dropped with the loop. For per-loop
 * state of a library, such as the read and write buffers every socket of a loop shares.
 *
 * <p>Cost: each {@code LoopLocal} takes a slot number for the JVM's life, and each loop keeps its
 * values in an array indexed by slot, so {@code get} is an array read: no map, no lock, nothing
 * shared between loops. Make them {@code static final}, as one would a {@code ThreadLocal}.
 *
 * <p>Loop thread only (the loop's thread, or its tasks): a loop's values are not thread-safe.
 *
 * @param <T> the type of the value
 */
public final class LoopLocal<T> {

    private static final AtomicInteger NEXT_SLOT = new AtomicInteger();

    private final int slot = NEXT_SLOT.getAndIncrement();
    private final Supplier<? extends T> initial;

    /**
     * A loop-local whose value for a loop is made by {@code initial} when that loop first asks.
     *
     * @param initial makes a loop's value; called on the loop's thread, at most once per loop
     *                (unless {@link #set} replaces the value)
     */
    public LoopLocal(Supplier<? extends T> initial) {
        this.initial = Objects.requireNonNull(initial, "initial");
    }

    /**
     * The value for {@code loop}, made now if it has none.
     *
     * @param loop the loop, the caller's
     * @return its value
     * @throws WrongThreadException if called from another thread than the loop's
     */
    @SuppressWarnings("unchecked")
    public T get(EventLoop loop) {
        Object v = Kernel.K.loopLocal(loop, slot);
        if (v == null) {
            T made = initial.get();
            Kernel.K.setLoopLocal(loop, slot, made);
            return made;
        }
        return (T) v;
    }

    /**
     * The value for the loop running the calling code.
     *
     * @return its value
     * @throws IllegalStateException if no loop runs here
     */
    public T get() {
        return get(EventLoop.current());
    }

    /**
     * Replaces the value for {@code loop}; {@code null} makes the next {@link #get} call the
     * supplier again.
     *
     * @param loop  the loop, the caller's
     * @param value the new value, or null
     * @throws WrongThreadException if called from another thread than the loop's
     */
    public void set(EventLoop loop, T value) {
        Kernel.K.setLoopLocal(loop, slot, value);
    }

    @Override
    public String toString() {
        return "LoopLocal[slot " + slot + "]";
    }
}
