package io.jasyncio.internal.access;

/**
 * What the kernel asks when a cancellation reaches a task parked by the low-level API: undo the
 * wait if it can still be undone. The low-level room adapts its public {@code Abort} to this, so
 * that the kernel never names a room above it.
 */
@FunctionalInterface
public interface AbortHook {

    /**
     * Undoes the parked task's registration, if the wait has not been satisfied yet.
     *
     * @return true if the wait is undone (the task then resumes with the cancellation), false if
     *     it is too late (someone is already waking the task, which then stays parked until woken)
     */
    boolean tryAbort();
}
