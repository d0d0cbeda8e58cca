package io.jasyncio.sync;

import io.jasyncio.Task;
import io.jasyncio.lowlevel.ParkingLot;

/**
 * A barrier for a fixed number of tasks (asyncio's {@code Barrier}): each party calls
 * {@link #await()}, which suspends until {@link #parties()} tasks have called it; then all of
 * them return, and the barrier can be used again.
 *
 * <pre>{@code
 * Barrier ready = new Barrier(3);
 * for (int i = 0; i < 3; i++) {
 *     Async.spawn(() -> { prepare(); ready.await(); return go(); });
 * }
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *   state      entered by                            await() by a new task
 *   FILLING    start; last party of a cycle leaves   joins the cycle (waits, or releases it)
 *   DRAINING   the last party arrives                waits until the cycle has left
 *   RESETTING  reset() while parties are inside      waits until they have left
 *   BROKEN     abort()                               throws BarrierBrokenException
 * </pre>
 * DRAINING and RESETTING turn back into FILLING once every party of the cycle has returned or
 * thrown. BROKEN stays until {@link #reset()}.
 *
 * <h2>Behaviour, as in asyncio</h2>
 * <ul>
 *   <li>{@code await()} returns the task's arrival index in its cycle, {@code 0} for the first to
 *       arrive and {@code parties() - 1} for the one that released the others.</li>
 *   <li>Woken tasks look at the state when they resume, as asyncio's (a condition variable
 *       underneath): a task released by the last party but reset or aborted before it got to run
 *       throws {@link BarrierBrokenException} like the tasks still waiting.</li>
 *   <li>A task cancelled while waiting for its cycle to fill leaves the barrier: the count goes
 *       down and the barrier is not broken (abort it yourself if a missing party should break
 *       it). A task cancelled after it was released returns its index normally; the
 *       cancellation fires at its next suspension point.</li>
 * </ul>
 * Unlike asyncio, {@link #reset()} and {@link #abort()} never suspend, so callbacks may call
 * them too.
 *
 * <p>Not thread-safe: use it on its event loop only (see the package documentation).
 */
public final class Barrier extends LoopBound {

    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final int parties;
    private State state = State.FILLING;
    /** Tasks inside await() past the entry wait: arrived in this cycle, or leaving it. */
    private int count;
    /** One list for every wait, like asyncio's single condition: woken tasks re-check their state. */
    private final ParkingLot waiters = new ParkingLot(() -> new io.jasyncio.diagnostics.Wait.OnBarrier(toString(), partiesRacy(), countRacy()));

    /**
     * A barrier for {@code parties} tasks.
     *
     * @param parties how many tasks pass the barrier together, at least 1
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("Barrier: parties must be at least 1: " + parties);
        }
        this.parties = parties;
    }

    private int partiesRacy() {
        return parties;
    }

    private int countRacy() {
        return count;
    }

    /**
     * Waits until {@link #parties()} tasks have called this, and returns this task's arrival index
     * (0 to parties - 1). Returns at once if this call completes the party.
     *
     * @return this task's arrival index in the cycle, from 0 to {@code parties() - 1}
     * @throws BarrierBrokenException         if the barrier is aborted, or reset while waiting
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting
     * @throws IllegalStateException          if not called from a task
     */
    public int await() {
        Task<?> me = taskFor("Barrier.await");
        // Wait while a finished cycle drains or a reset completes.
        while (state == State.DRAINING || state == State.RESETTING) {
            waiters.park(me);
        }
        if (state == State.BROKEN) {
            throw new BarrierBrokenException("the barrier was aborted");
        }
        int index = count++;
        try {
            if (index + 1 == parties) {
                state = State.DRAINING;
                waiters.wakeAll(null);
            } else {
                while (state == State.FILLING) {
                    waiters.park(me);
                }
                if (state == State.BROKEN) {
                    throw new BarrierBrokenException("the barrier was aborted");
                }
                if (state == State.RESETTING) {
                    throw new BarrierBrokenException("the barrier was reset");
                }
            }
            return index;
        } finally {
            count--;
            leave();
        }
    }

    /** The last task out of a drained or reset cycle turns the barrier back to FILLING. */
    private void leave() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            waiters.wakeAll(null);
        }
    }

    /**
     * Returns the barrier to its empty, filling state: tasks waiting in it throw
     * {@link BarrierBrokenException}, and a broken barrier becomes usable again. Never suspends.
     */
    public void reset() {
        checkLoop("Barrier.reset");
        state = count > 0 ? State.RESETTING : State.FILLING;
        waiters.wakeAll(null);
    }

    /**
     * Breaks the barrier: every waiting task, and every later {@link #await()} until
     * {@link #reset()}, throws {@link BarrierBrokenException}. Never suspends.
     */
    public void abort() {
        checkLoop("Barrier.abort");
        state = State.BROKEN;
        waiters.wakeAll(null);
    }

    /**
     * The number of tasks needed to pass the barrier.
     *
     * @return the number of parties
     */
    public int parties() {
        return parties;
    }

    /**
     * The number of tasks waiting for the current cycle to fill (0 while draining or resetting).
     *
     * @return the number of waiting tasks
     */
    public int numberWaiting() {
        checkLoop("Barrier.numberWaiting");
        return state == State.FILLING ? count : 0;
    }

    /**
     * True if the barrier has been aborted and not reset since.
     *
     * @return whether the barrier is broken
     */
    public boolean isBroken() {
        checkLoop("Barrier.isBroken");
        return state == State.BROKEN;
    }

    /** Tasks inside await() in the current cycle, arrived or leaving (asyncio's {@code _count}); for tests. */
    int inside() {
        return count;
    }

    /** {@code Barrier[filling, waiters:2/5]}, {@code Barrier[draining]}, ... */
    @Override
    public String toString() {
        String s = "Barrier[" + state.name().toLowerCase(java.util.Locale.ROOT);
        if (state == State.FILLING) {
            s += ", waiters:" + count + "/" + parties;
        }
        return s + "]";
    }
}
