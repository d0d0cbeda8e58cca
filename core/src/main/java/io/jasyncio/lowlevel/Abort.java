package io.jasyncio.lowlevel;

import java.util.Objects;

/**
 * What a parked task's wait does when a cancellation reaches it (Trio's {@code abort_fn}): it
 * undoes the registration the waiting code made, such as taking the task out of a waiter list,
 * and answers {@link Result#SUCCEEDED}; or, if the wait has already been satisfied and a
 * {@link Waker} call is on its way, answers {@link Result#TOO_LATE}.
 *
 * <p>Called at most once per park, on the loop's thread. An abort must not wake the task itself
 * (a {@link Waker} called from inside it fails): it answers, and the kernel resumes the task. After
 * {@code SUCCEEDED} the task resumes and {@link Suspension#park} throws the cancellation; a later
 * wake is an error. After {@code TOO_LATE} the task stays parked until it is woken, its park then
 * returns (or throws) what the waker gave, and the cancellation is thrown from its next suspension
 * point, as cancellation is level-triggered.
 *
 * <p>If the coroutine engine cannot suspend the task at all, the abort is called too, to undo the
 * registration before the engine's error is thrown; its answer is then ignored, since the task
 * never parked.
 */
@FunctionalInterface
public interface Abort {

    /** An abort's answer. */
    enum Result {
        /** The registration is undone: the task may resume with the cancellation. */
        SUCCEEDED,
        /** The wait is satisfied already and a wake-up is on its way: the task stays parked until it comes. */
        TOO_LATE
    }

    /**
     * Undoes the wait, if it still can.
     *
     * @return {@link Result#SUCCEEDED} if undone, {@link Result#TOO_LATE} if a wake-up is on its way
     */
    Result abort();

    /**
     * An abort that runs {@code undo} and answers {@link Result#SUCCEEDED}: for waits that are
     * either registered (and can be undone) or already woken (and then never aborted).
     *
     * @param undo what takes the task's registration back
     * @return the abort
     */
    static Abort undo(Runnable undo) {
        Objects.requireNonNull(undo, "undo");
        return () -> {
            undo.run();
            return Result.SUCCEEDED;
        };
    }
}
