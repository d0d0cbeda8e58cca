package io.jasyncio.diagnostics;

import java.util.List;

/**
 * The tasks of one event loop, as a dump read them.
 *
 * @param loopId          the loop's id in this process (1, 2, ...)
 * @param thread          the name of the loop's thread
 * @param status          {@code waiting} (blocked for I/O or timers), {@code running} (between
 *                        steps or in a short one), {@code stalled} (one step has held the loop longer
 *                        than the watchdog's threshold), {@code idle} (not inside a run method) or
 *                        {@code closed}
 * @param stalledNanos    for a stalled loop, how long the current step has held it; else 0
 * @param engine          the coroutine engine, {@code continuation} or {@code portable}
 * @param metrics         the loop's counters
 * @param tasks           its live tasks, in spawn order
 * @param loopThreadStack the loop thread's live stack when a step holds it (running or stalled),
 *                        else empty
 * @param deadlocks       cycles of tasks waiting for each other
 * @param notes           anything the dump could not read exactly (a task that finished while it was
 *                        read, stacks skipped because the loop was stalled)
 */
public record LoopDump(long loopId, String thread, String status, long stalledNanos, String engine, LoopMetrics metrics,
                       List<TaskInfo> tasks, List<StackTraceElement> loopThreadStack, List<Deadlock> deadlocks,
                       List<String> notes) {
}
