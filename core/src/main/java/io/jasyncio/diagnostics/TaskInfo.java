package io.jasyncio.diagnostics;

import java.util.List;

/**
 * One task in a dump.
 *
 * @param id              the task's id, unique within its loop
 * @param name            the task's name
 * @param state           {@code NEW} (spawned, not started), {@code SCHEDULED} (ready to run),
 *                        {@code RUNNING} (holding the loop thread now) or {@code PARKED} (waiting)
 * @param inStateNanos    how long it has been in that state, to about the watchdog's tick
 *                        (50 ms); -1 if unknown (the watchdog thread is off)
 * @param waitingOn       what a parked task waits for; null in the other states
 * @param awaitedBy       the tasks waiting for this one (awaiting it, joining it, closing its group,
 *                        or queued for a lock it holds)
 * @param stack           the task's own suspended stack, innermost frame first, without the
 *                        kernel's frames; for the running task, the loop thread's live stack; empty
 *                        when it could not be read (see {@code stackNote})
 * @param stackNote       why the stack is missing or partial, or null
 * @param spawnSite       where it was spawned, in debug mode; empty otherwise
 * @param group           the task group it belongs to, as {@code group of #id 'name'}, or null
 * @param cancelRequested whether it has been asked to cancel
 */
public record TaskInfo(long id, String name, String state, long inStateNanos, Wait waitingOn, List<TaskRef> awaitedBy,
                       List<StackTraceElement> stack, String stackNote, List<StackTraceElement> spawnSite, String group,
                       boolean cancelRequested) {

    /**
     * This task as a reference.
     *
     * @return its id and name
     */
    public TaskRef ref() {
        return new TaskRef(id, name);
    }
}
