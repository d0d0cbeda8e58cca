package io.jasyncio.diagnostics;

import java.time.Instant;
import java.util.List;

/**
 * The tasks of every event loop of a process (or of one loop), as read by one dump: {@code
 * EventLoop.dumpTasks()} for one loop, {@code EventLoop.dumpAllLoops()} for all, the JMX
 * operation {@code io.jasyncio:type=Diagnostics#dumpTasks}, or {@code ./jasyncio ps PID} from
 * outside. Three renderings: {@link #toTree()} (each task under the task waiting for it, like
 * {@code pstree}), {@link #toTable()} (one line per task, like {@code ps}) and {@link #toJson()}
 * (schema {@value #SCHEMA_VERSION}, documented in {@code docs/observability.md}).
 *
 * <p>A dump is taken while the loops run and never stops or reorders them, so it is not one
 * atomic picture: each task is read as it is when the dump reaches it.
 *
 * @param schema    the JSON schema version, {@value #SCHEMA_VERSION}
 * @param takenAt   when the dump began
 * @param tookNanos how long it took
 * @param pid       the process id
 * @param loops     the loops, oldest first
 */
public record TaskDump(int schema, Instant takenAt, long tookNanos, long pid, List<LoopDump> loops) {

    /** The version of the JSON form; it changes only when a field changes meaning or goes away. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * How many tasks, over all loops.
     *
     * @return the number of tasks
     */
    public int taskCount() {
        int n = 0;
        for (LoopDump l : loops) {
            n += l.tasks().size();
        }
        return n;
    }

    /**
     * Every deadlock found, over all loops.
     *
     * @return the deadlocks
     */
    public List<Deadlock> deadlocks() {
        return loops.stream().flatMap(l -> l.deadlocks().stream()).toList();
    }

    /**
     * The dump as a tree per loop: each task under the task that waits for it, with what it waits
     * on, how long, and its innermost frames; deadlocks at the end.
     *
     * @return the text
     */
    public String toTree() {
        return DumpText.tree(this);
    }

    /**
     * The dump as a table, one line per task: id, name, state, for how long, what it waits on, who
     * waits for it, and its innermost frame of your code.
     *
     * @return the text
     */
    public String toTable() {
        return DumpText.table(this);
    }

    /**
     * The dump as JSON, schema {@value #SCHEMA_VERSION}.
     *
     * @return the JSON text
     */
    public String toJson() {
        return DumpJson.write(this);
    }

    /**
     * The dump in a named format: {@code tree} (also {@code pstree}), {@code table} (also
     * {@code ps}) or {@code json}.
     *
     * @param format the format's name
     * @return the text
     * @throws IllegalArgumentException for another name
     */
    public String format(String format) {
        return switch (format == null ? "tree" : format) {
            case "tree", "pstree", "text" -> toTree();
            case "table", "ps" -> toTable();
            case "json" -> toJson();
            default -> throw new IllegalArgumentException("unknown dump format '" + format + "': use tree, table or json");
        };
    }

    /** The tree form. */
    @Override
    public String toString() {
        return toTree();
    }
}
