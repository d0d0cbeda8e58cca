package io.jasyncio.sync;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.lowlevel.ParkingLot;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable over a {@link Lock} (asyncio's {@code Condition}): tasks holding the lock
 * wait for a {@link #signal()} from another task holding it.
 *
 * <pre>{@code
 * Condition changed = new Condition();
 * // consumer
 * try (var held = changed.acquire()) {
 *     changed.awaitUntil(() -> !items.isEmpty());
 *     use(items.remove());
 * }
 * // producer
 * try (var held = changed.acquire()) {
 *     items.add(x);
 *     changed.signal();
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>{@link #await()} releases the lock, suspends until signalled, then re-acquires the lock
 *       before returning or throwing: whatever happens, the task holds the lock again when
 *       {@code await()} ends. Signalled waiters wake in FIFO order.</li>
 *   <li>Re-acquiring is shielded from cancellation (as in asyncio, which retries it until it
 *       succeeds): a cancelled or timed-out waiter first waits for the lock, then throws.</li>
 *   <li>A waiter cancelled before it is signalled leaves the queue; the signal goes to the next
 *       waiter. A waiter signalled and cancelled before it resumes returns normally (the signal
 *       is not lost) and the cancellation fires at its next suspension point.</li>
 *   <li>{@code await()}, {@code signal} and {@code signalAll} require the calling task to hold
 *       the lock; they throw {@link IllegalStateException} otherwise.</li>
 * </ul>
 * Method names follow {@code java.util.concurrent.locks.Condition}: {@code Object} already owns
 * {@code wait()} and {@code notify()}.
 *
 * <p>Not thread-safe: use it on its event loop only (see the package documentation).
 */
public final class Condition extends LoopBound {

    private final Lock lock;
    private final ParkingLot waiters = new ParkingLot(() -> new io.jasyncio.diagnostics.Wait.OnCondition(toString()));

    /** A condition with a new lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * A condition over {@code lock}, which other code may also acquire directly.
     *
     * @param lock the lock the condition waits over
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * The underlying lock.
     *
     * @return the lock given at construction
     */
    public Lock lock() {
        return lock;
    }

    /**
     * Acquires the underlying lock; same as {@code lock().acquire()}.
     *
     * @return a guard that releases the lock when closed
     */
    public Lock.Guard acquire() {
        return lock.acquire();
    }

    /**
     * Same as {@code lock().tryAcquire()}.
     *
     * @return true if the lock was free and is now held, false if it is held already
     */
    public boolean tryAcquire() {
        return lock.tryAcquire();
    }

    /** Same as {@code lock().release()}. */
    public void release() {
        lock.release();
    }

    /**
     * Same as {@code lock().isLocked()}.
     *
     * @return whether the lock is held
     */
    public boolean isLocked() {
        return lock.isLocked();
    }

    /**
     * Releases the lock, suspends until {@linkplain #signal() signalled}, and re-acquires the
     * lock. May return without a matching signal being meaningful to the caller's state, as with
     * every condition variable: re-check the state, or use {@link #awaitUntil}.
     *
     * @throws IllegalStateException          if the current task does not hold the lock
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting (after the
     *                                        lock has been re-acquired)
     */
    public void await() {
        Task<?> me = taskFor("Condition.await");
        if (!lock.heldBy(me)) {
            throw new IllegalStateException("Condition.await: the current task must hold the condition's lock");
        }
        long acquisition = lock.holdId();
        ParkingLot.Ticket w = waiters.add(me);
        lock.release();
        try {
            w.park();
        } finally {
            reacquire(acquisition);
        }
    }

    /**
     * Takes the lock back, shielded from cancellation, and continues the caller's acquisition so
     * that the guard of its try-with-resources block still releases it.
     */
    private void reacquire(long acquisition) {
        Async.shield(() -> {
            lock.acquire();
            return null;
        });
        lock.continueAcquisition(acquisition);
    }

    /**
     * Waits until {@code predicate} is true: evaluates it, and while it is false calls
     * {@link #await()} and evaluates it again. A predicate true at the start returns at once,
     * without suspending and without needing the lock (asyncio's {@code wait_for}).
     *
     * @param predicate the condition to wait for, evaluated holding the lock
     * @throws IllegalStateException if the predicate is false and the task does not hold the lock
     */
    public void awaitUntil(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        checkLoop("Condition.awaitUntil");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /** Wakes the first waiting task, if any. Never suspends. */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes the first {@code n} waiting tasks (fewer if fewer wait), in FIFO order. Each resumes
     * once it can re-acquire the lock, so not before the caller releases it.
     *
     * @param n the most tasks to wake, at least 0
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException    if the current task does not hold the lock
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Condition.signal: n must not be negative: " + n);
        }
        checkHeld("Condition.signal");
        for (int i = 0; i < n && waiters.wakeFirst(null); i++) {
            // each iteration wakes one
        }
    }

    /** Wakes every waiting task. */
    public void signalAll() {
        checkHeld("Condition.signalAll");
        waiters.wakeAll(null);
    }

    private void checkHeld(String what) {
        checkLoop(what);
        if (!lock.isHeldByCurrentTask()) {
            throw new IllegalStateException(what + ": the caller must hold the condition's lock");
        }
    }

    /**
     * The number of tasks waiting to be signalled.
     *
     * @return the number of waiting tasks
     */
    public int queueLength() {
        checkLoop("Condition.queueLength");
        return waiters.size();
    }

    /** {@code Condition[locked, waiters:2]}. */
    @Override
    public String toString() {
        return "Condition[" + (lock.lockedUnchecked() ? "locked" : "unlocked")
                + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]";
    }
}
