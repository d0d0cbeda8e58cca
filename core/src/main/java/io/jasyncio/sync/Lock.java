package io.jasyncio.sync;

import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.ThrowingSupplier;
import io.jasyncio.lowlevel.ParkingLot;

/**
 * A mutual-exclusion lock for tasks on one event loop (asyncio's {@code Lock}): at most one
 * holder at a time; the others wait, suspended, in FIFO order.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.acquire()) {   // suspends only if another task holds it
 *     ... // critical section; may itself suspend
 * }                                   // released here, also on exceptions and cancellation
 *
 * String reply = lock.withLock(() -> exchange(request));
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>{@link #acquire()} returns at once, without suspending, when the lock is free; a free lock
 *       has no waiters, so this never jumps the queue.</li>
 *   <li>{@link #release()} hands the lock directly to the first waiter: it stays locked, now
 *       held by that task, which resumes soon. Newcomers queue behind it.</li>
 *   <li>A waiter cancelled (or timed out, with {@code Async.withTimeout}/{@code moveOnAfter})
 *       while waiting leaves the queue holding nothing. A waiter that was already handed the lock
 *       and is cancelled before it resumes returns from {@code acquire()} normally, holding the
 *       lock; the cancellation fires at its next suspension point, and try-with-resources
 *       releases the lock on the way out. Either way the lock is never lost.</li>
 *   <li>Not reentrant. The lock remembers the task that acquired it (null for a plain callback),
 *       and {@code acquire()} by that same task throws rather than waiting for ever.
 *       {@code release()} may be called by any task or callback of the loop, as in asyncio (to
 *       hand a held lock over, for example); for pure signalling prefer a {@link Semaphore} or an
 *       {@link Event}.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Not thread-safe: no method may be called from outside its event loop (see the package
 * documentation). Suspending methods must be called from a task.
 */
public final class Lock extends LoopBound {

    private boolean locked;
    /** The holder's task; null when free or taken by a plain callback. */
    private Task<?> owner;
    /**
     * Identifies the current acquisition (0 when free), so that a {@link Guard} releases only the
     * acquisition it stands for. Ids come from {@link #lastId} and are never reused, except that
     * {@link Condition#await()} restores its caller's id after re-acquiring the lock: the caller's
     * guard still stands for the lock it holds.
     */
    private long holdId;
    private long lastId;
    private final ParkingLot waiters = new ParkingLot(() -> new io.jasyncio.diagnostics.Wait.OnLock(toString(), LoopBound.ref(owner), queueLengthRacy()));

    /**
     * A new, unlocked lock, bound to the running event loop (or, if made outside any loop, to the first
     * loop that uses it).
     */
    public Lock() {
    }

    /**
     * Acquires the lock, suspending the current task until it is free if it is held, and returns
     * a guard that releases it when closed (for try-with-resources).
     *
     * @return a guard whose {@code close()} releases the lock
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting (it then does
     *                                        not hold the lock)
     * @throws IllegalStateException          if the current task already holds this lock, or the
     *                                        caller is not a task
     */
    public Guard acquire() {
        Task<?> me = taskFor("Lock.acquire");
        if (!locked) {
            take(me);
            return new Guard(this, holdId);
        }
        return acquireSlow(me);
    }

    private Guard acquireSlow(Task<?> me) {
        if (owner == me) {
            throw new IllegalStateException("Lock.acquire: the current task (" + me.getName()
                    + ") already holds this lock; Lock is not reentrant, so waiting would never end");
        }
        waiters.park(me);
        // release() made this task the owner before waking it.
        return new Guard(this, holdId);
    }

    /**
     * Acquires the lock if it is free, without suspending. Callable from tasks and plain callbacks
     * of the loop. Release it with {@link #release()}.
     *
     * @return true if the lock was acquired
     */
    public boolean tryAcquire() {
        EventLoop here = checkLoop("Lock.tryAcquire");
        if (locked) {
            return false;
        }
        take(currentTaskOrNull(here));
        return true;
    }

    private void take(Task<?> task) {
        locked = true;
        owner = task;
        holdId = ++lastId;
    }

    /**
     * Releases the lock: the first waiter, if any, gets it at once; otherwise it becomes free.
     * Never suspends.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        checkLoop("Lock.release");
        if (!locked) {
            throw new IllegalStateException("Lock.release: the lock is not acquired");
        }
        ParkingLot.Ticket next = waiters.poll();
        if (next == null) {
            locked = false;
            owner = null;
            holdId = 0;
        } else {
            take(next.task());
            next.wake(null);
        }
    }

    void releaseAcquisition(long id) {
        checkLoop("Lock.Guard.close");
        if (locked && holdId == id) {
            release();
        }
    }

    /** For {@link Condition#await()}: the id of the current acquisition. */
    long holdId() {
        return holdId;
    }

    /** For {@link Condition#await()}: after re-acquiring, continue the caller's acquisition. */
    void continueAcquisition(long id) {
        holdId = id;
    }

    /**
     * Runs {@code body} holding the lock: acquires (suspending if needed), runs, releases, also
     * when the body throws. Returns the body's value.
     *
     * @param <T> the type of the body's value
     * @param <E> the checked exception the body may throw
     * @param body the code to run holding the lock
     * @return the body's value
     * @throws E the body's exception, as thrown, after the lock is released
     */
    public <T, E extends Exception> T withLock(ThrowingSupplier<? extends T, E> body) throws E {
        Guard g = acquire();
        try {
            return body.get();
        } finally {
            g.close();
        }
    }

    /**
     * True if some task or callback holds the lock.
     *
     * @return whether the lock is held
     */
    public boolean isLocked() {
        checkLoop("Lock.isLocked");
        return locked;
    }

    /**
     * True if the lock is held by the calling task (in a plain callback: taken by a plain
     * callback with {@link #tryAcquire()}).
     *
     * @return whether the current task holds the lock
     */
    public boolean isHeldByCurrentTask() {
        EventLoop here = checkLoop("Lock.isHeldByCurrentTask");
        return locked && owner == currentTaskOrNull(here);
    }

    /**
     * The number of tasks waiting to acquire the lock.
     *
     * @return the number of waiting tasks
     */
    public int queueLength() {
        checkLoop("Lock.queueLength");
        return waiters.size();
    }

    private int queueLengthRacy() {
        return waiters.size();
    }

    /** For toString of a {@link Condition}: no thread check. */
    boolean lockedUnchecked() {
        return locked;
    }

    /** For {@link Condition}: the lock is held by {@code task}. */
    boolean heldBy(Task<?> task) {
        return locked && owner == task;
    }

    /** State for debugging, like asyncio's repr: {@code Lock[locked, owner=worker-1, waiters:2]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Lock[").append(locked ? "locked" : "unlocked");
        if (locked && owner != null) {
            b.append(", owner=").append(owner.getName());
        }
        if (!waiters.isEmpty()) {
            b.append(", waiters:").append(waiters.size());
        }
        return b.append(']').toString();
    }

    /**
     * One acquisition of a {@link Lock}, released by {@link #close()}: the resource of a
     * try-with-resources block. Loop thread only, like the lock.
     */
    public static final class Guard implements AutoCloseable {
        private final Lock lock;
        private final long id;

        Guard(Lock lock, long id) {
            this.lock = lock;
            this.id = id;
        }

        /**
         * The lock this guard holds.
         *
         * @return the lock this guard releases when closed
         */
        public Lock lock() {
            return lock;
        }

        /**
         * Releases the lock if this acquisition still holds it. Closing again, or after the lock
         * was released another way, does nothing: a guard never releases someone else's
         * acquisition.
         */
        @Override
        public void close() {
            lock.releaseAcquisition(id);
        }
    }
}
