package io.jasyncio.lowlevel;

import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import io.jasyncio.internal.access.AbortHook;

/**
 * The one suspension primitive behind every wait in jasyncio (Trio's
 * {@code wait_task_rescheduled}), for building new waitable things: locks, queues, streams. Sleep,
 * awaits, the {@code sync} primitives and the sockets all wait this way.
 *
 * <h2>The contract</h2>
 * <pre>{@code
 * Waker<Item> me = Suspension.waker();        // 1. who to wake
 * waiters.add(me);                            // 2. register where a producer finds it
 * Item item = Suspension.park(() -> {         // 3. suspend until woken
 *     waiters.remove(me);                     //    on cancellation: undo step 2
 *     return Abort.Result.SUCCEEDED;
 * });
 * // elsewhere, on the loop thread:  waiters.poll().wake(item);
 * }</pre>
 * <ul>
 *   <li>The task suspends until a {@link Waker} wakes it, exactly once, and {@code park} returns
 *       the value it passed (or throws the error).</li>
 *   <li>If the task is cancelled while parked, the {@link Abort} runs first, on the loop thread,
 *       and must undo the registration (answering {@code SUCCEEDED}); then {@code park} throws
 *       {@link CancelledException} and a later wake is an error. If the wait is already satisfied
 *       and a wake is on its way, it answers {@code TOO_LATE} and the park goes on until then.</li>
 *   <li>If the task is already cancelled when it calls {@code park}, it throws at once without
 *       suspending and without calling the abort: undo the registration in a {@code catch}.</li>
 *   <li>If the coroutine engine cannot suspend the task (a stack too deep to save, or pinned by a
 *       native frame), the abort runs as for a cancellation and the engine's error is thrown; the
 *       task goes on running, no longer parked.</li>
 * </ul>
 * {@link ParkingLot} packages this for the usual case, a FIFO of waiters.
 */
public final class Suspension {

    private Suspension() {
    }

    /**
     * A waker for the running task, to hand to whoever will end its next park.
     *
     * @param <V> the type of the value the park returns
     * @return a waker for the running task
     * @throws IllegalStateException if the caller is not a task
     */
    public static <V> Waker<V> waker() {
        return Waker.of(Kernel.K.currentTask("Suspension.waker()"));
    }

    /**
     * Suspends the running task until a {@link Waker} wakes it: see the class comment.
     *
     * @param <V>   the type of the value the waker passes
     * @param abort undoes the caller's registration on cancellation; null if there is nothing to undo
     * @return the value the waker passed
     * @throws CancelledException    if the task is cancelled, before or while suspended
     * @throws StackOverflowError    if the task's stack is too deep for the engine to suspend it
     * @throws IllegalStateException if the engine cannot suspend the task here (a pinned stack),
     *                               or the caller is not a task
     */
    @SuppressWarnings("unchecked")
    public static <V> V park(Abort abort) {
        Task<?> me = Kernel.K.currentTask("Suspension.park()");
        return (V) Kernel.K.park(me, abort == null ? null : new AbortCall(abort));
    }

    /**
     * {@link #park} for a wait that another thread ends: the {@link Waker} is called from a
     * callback another thread hands the loop with {@code callSoonThreadsafe} (a child process's
     * pipe pump, a library's I/O thread). Same contract as {@code park}; while the task waits here
     * the loop counts it as waiting for work from outside, as it counts {@code Async.toThread} and
     * socket waits, so a virtual clock ({@link io.jasyncio.time.WaitAwareClock}) lets real time
     * pass instead of jumping past the wait or reporting a deadlock.
     *
     * @param <V>   the type of the value the waker passes
     * @param abort undoes the caller's registration on cancellation; null if there is nothing to undo
     * @return the value the waker passed
     * @throws CancelledException    if the task is cancelled, before or while suspended
     * @throws IllegalStateException if the caller is not a task
     */
    @SuppressWarnings("unchecked")
    public static <V> V parkExternal(Abort abort) {
        Task<?> me = Kernel.K.currentTask("Suspension.parkExternal()");
        var loop = Kernel.K.loopOf(me);
        Kernel.K.countOutsideWait(loop, 1);
        try {
            return (V) Kernel.K.park(me, abort == null ? null : new AbortCall(abort));
        } finally {
            Kernel.K.countOutsideWait(loop, -1);
        }
    }

    /**
     * Parks the running task on behalf of this room's own structures, whose abort is already a
     * hook (no adapter to allocate).
     */
    static Object park(Task<?> me, AbortHook hook) {
        return Kernel.K.park(me, hook);
    }

    /** The kernel's view of a public {@link Abort}. */
    private record AbortCall(Abort abort) implements AbortHook, io.jasyncio.diagnostics.WaitSource {
        @Override
        public boolean tryAbort() {
            return abort.abort() != Abort.Result.TOO_LATE;
        }

        /** An abort that implements {@code WaitSource} describes the wait in task dumps. */
        @Override
        public io.jasyncio.diagnostics.Wait describeWait() {
            return abort instanceof io.jasyncio.diagnostics.WaitSource w ? w.describeWait()
                    : new io.jasyncio.diagnostics.Wait.Other("suspended (Suspension.park) with abort " + abort.getClass().getName());
        }
    }
}
