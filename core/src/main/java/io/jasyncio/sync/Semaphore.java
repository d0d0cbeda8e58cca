package io.jasyncio.sync;

import io.jasyncio.ThrowingSupplier;
import io.jasyncio.lowlevel.ParkingLot;

/**
 * A counting semaphore for tasks on one event loop (asyncio's {@code Semaphore}): a number of
 * permits; {@link #acquire()} takes one, suspending while none is available, and
 * {@link #release()} gives one back.
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(10);
 * try (var permit = connections.acquire()) {   // at most 10 tasks in here at once
 *     fetch(url);
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Strictly FIFO: {@code acquire()} returns at once only when a permit is available, which
 *       implies nobody is waiting; {@link #release()} with waiters hands its permit directly to
 *       the first of them (the count stays at zero), so a newcomer can never overtake a waiter.</li>
 *   <li>A waiter cancelled or timed out while waiting leaves holding no permit; the next release
 *       goes to the next waiter. A waiter handed a permit and cancelled before it resumes returns
 *       normally with the permit, and the cancellation fires at its next suspension point;
 *       closing the {@link Permit} (try-with-resources) gives it back. No permit is ever lost.</li>
 *   <li>Permits are not owned: any task or callback may release. A plain {@code Semaphore} lets
 *       the count grow past its initial value (asyncio's behaviour); a {@link BoundedSemaphore}
 *       refuses that, catching double releases.</li>
 * </ul>
 *
 * <p>Not thread-safe: use it on its event loop only (see the package documentation).
 */
public sealed class Semaphore extends LoopBound permits BoundedSemaphore {

    private int permits;
    /** The most permits a release may make; Integer.MAX_VALUE for a plain semaphore. */
    private final int bound;
    private final ParkingLot waiters = new ParkingLot(() -> new io.jasyncio.diagnostics.Wait.OnSemaphore(toString(), permitsRacy(), waitersRacy().size()));

    /** A semaphore with one permit (asyncio's default). */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code permits} permits.
     *
     * @param permits the initial number of permits, at least 0
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        this(permits, false);
    }

    private int permitsRacy() {
        return permits;
    }

    private ParkingLot waitersRacy() {
        return waiters;
    }

    Semaphore(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException(kind() + ": the initial number of permits must not be negative: " + permits);
        }
        this.permits = permits;
        this.bound = bounded ? permits : Integer.MAX_VALUE;
    }

    /**
     * Takes a permit, suspending the current task until one is available, and returns it as a
     * {@link Permit} whose {@code close()} releases it (for try-with-resources).
     *
     * @return the permit, whose {@code close()} releases it
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting (it then holds
     *                                        no permit)
     * @throws IllegalStateException          if not called from a task
     */
    public Permit acquire() {
        var me = taskFor(kind() + ".acquire");
        if (permits > 0) {
            permits--;
        } else {
            waiters.park(me); // release() handed its permit over before waking us
        }
        return new Permit(this);
    }

    /**
     * Takes a permit if one is available, without suspending. Callable from tasks and plain
     * callbacks of the loop. Give it back with {@link #release()}.
     *
     * @return true if a permit was taken
     */
    public boolean tryAcquire() {
        checkLoop(kind() + ".tryAcquire");
        if (permits > 0) {
            permits--;
            return true;
        }
        return false;
    }

    /**
     * Gives a permit back: to the first waiter if there is one, else to the count. Never
     * suspends.
     *
     * @throws IllegalStateException if this is a {@link BoundedSemaphore} already at its initial
     *                               count, or the count would overflow
     */
    public void release() {
        checkLoop(kind() + ".release");
        if (waiters.wakeFirst(null)) {
            return;
        }
        if (permits >= bound) {
            throw new IllegalStateException(kind() + " released too many times (more releases than acquisitions)");
        }
        if (permits == Integer.MAX_VALUE) {
            throw new IllegalStateException(kind() + ": the number of permits would overflow");
        }
        permits++;
    }

    /**
     * Runs {@code body} holding a permit, released afterwards also when the body throws.
     *
     * @param <T> the type of the body's value
     * @param <E> the checked exception the body may throw
     * @param body the code to run holding a permit
     * @return the body's value
     * @throws E the body's exception, as thrown, after the permit is released
     */
    public <T, E extends Exception> T withPermit(ThrowingSupplier<? extends T, E> body) throws E {
        Permit p = acquire();
        try {
            return body.get();
        } finally {
            p.close();
        }
    }

    /**
     * True if {@link #acquire()} would suspend now: no permit is available (asyncio's {@code locked()}).
     *
     * @return whether no permit is available
     */
    public boolean isLocked() {
        checkLoop(kind() + ".isLocked");
        return permits == 0;
    }

    /**
     * The number of permits available now.
     *
     * @return the number of available permits
     */
    public int availablePermits() {
        checkLoop(kind() + ".availablePermits");
        return permits;
    }

    /**
     * The number of tasks waiting for a permit.
     *
     * @return the number of waiting tasks
     */
    public int queueLength() {
        checkLoop(kind() + ".queueLength");
        return waiters.size();
    }

    /** {@code Semaphore[unlocked, value:2]} or {@code Semaphore[locked, waiters:1]}. */
    @Override
    public String toString() {
        return kind() + "[" + (permits == 0 ? "locked" : "unlocked, value:" + permits)
                + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]";
    }

    /**
     * One permit taken by {@link Semaphore#acquire()}, given back by {@link #close()}: the
     * resource of a try-with-resources block. Loop thread only.
     */
    public static final class Permit implements AutoCloseable {
        private final Semaphore semaphore;
        private boolean released;

        Permit(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        /**
         * The semaphore this permit came from.
         *
         * @return the semaphore this permit releases to when closed
         */
        public Semaphore semaphore() {
            return semaphore;
        }

        /** Gives the permit back; closing again does nothing. */
        @Override
        public void close() {
            if (!released) {
                released = true;
                semaphore.release();
            }
        }
    }
}
