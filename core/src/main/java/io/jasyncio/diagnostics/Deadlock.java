package io.jasyncio.diagnostics;

import java.util.List;

/**
 * A cycle of tasks each waiting for the next (awaiting it, or queued for a lock it holds): none
 * of them can ever go on.
 *
 * @param tasks the tasks of the cycle, in order: each waits for the next, the last for the first
 * @param edges one line per task saying what it waits for, for example
 *              {@code #2 'a' acquiring lock Lock[locked, owner=b] held by #3 'b'}
 */
public record Deadlock(List<TaskRef> tasks, List<String> edges) {
}
