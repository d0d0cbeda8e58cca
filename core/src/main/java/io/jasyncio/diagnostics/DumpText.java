package io.jasyncio.diagnostics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The two text forms of a {@link TaskDump}. */
final class DumpText {

    /** Frames shown per task in the tree. */
    private static final int TREE_FRAMES = 3;

    private DumpText() {
    }

    static String tree(TaskDump d) {
        StringBuilder b = new StringBuilder();
        header(b, d);
        for (LoopDump l : d.loops()) {
            loopHeader(b, l);
            Map<Long, TaskInfo> byId = new HashMap<>();
            for (TaskInfo t : l.tasks()) {
                byId.put(t.id(), t);
            }
            Set<Long> shown = new HashSet<>();
            for (TaskInfo t : l.tasks()) {
                if (t.awaitedBy().isEmpty()) {
                    node(b, t, byId, shown, "", true, true);
                }
            }
            for (TaskInfo t : l.tasks()) {
                if (!shown.contains(t.id())) { // only reachable from a cycle
                    node(b, t, byId, shown, "", true, true);
                }
            }
            deadlocks(b, l);
        }
        return b.toString();
    }

    private static void node(StringBuilder b, TaskInfo t, Map<Long, TaskInfo> byId, Set<Long> shown, String indent,
                             boolean last, boolean root) {
        String branch = root ? "" : last ? "└── " : "├── ";
        String childIndent = root ? indent : indent + (last ? "    " : "│   ");
        b.append(indent).append(branch).append(line(t));
        if (!shown.add(t.id())) {
            b.append("  (shown above)\n");
            return;
        }
        b.append('\n');
        List<TaskRef> children = t.waitingOn() == null ? List.of()
                : t.waitingOn().waitsFor().stream().filter(r -> byId.containsKey(r.id())).toList();
        String frameIndent = childIndent + (children.isEmpty() ? "    " : "│   ");
        List<StackTraceElement> st = t.stack();
        int user = firstUserFrame(st);
        int from = Math.max(0, user - 1); // the library call the task is in, then its own frames
        int to = Math.min(st.size(), Math.max(from, user) + (t.state().equals("RUNNING") ? 2 * TREE_FRAMES : TREE_FRAMES));
        for (int i = from; i < to; i++) {
            b.append(frameIndent).append("at ").append(st.get(i)).append('\n');
        }
        if (st.size() > to) {
            b.append(frameIndent).append("... ").append(st.size() - to).append(" more\n");
        }
        if (t.stackNote() != null) {
            b.append(frameIndent).append("(").append(t.stackNote()).append(")\n");
        }
        for (int i = 0; i < children.size(); i++) {
            node(b, byId.get(children.get(i).id()), byId, shown, childIndent, i == children.size() - 1, false);
        }
    }

    private static String line(TaskInfo t) {
        StringBuilder b = new StringBuilder().append(t.ref()).append(' ').append(t.state());
        if (t.inStateNanos() >= 0) {
            b.append(" for ").append(Durations.format(t.inStateNanos()));
        }
        if (t.waitingOn() != null) {
            b.append(": ").append(t.waitingOn().describe());
        }
        if (t.group() != null) {
            b.append(" [").append(t.group()).append(']');
        }
        if (t.cancelRequested()) {
            b.append(" [cancel requested]");
        }
        return b.toString();
    }

    static String table(TaskDump d) {
        StringBuilder b = new StringBuilder();
        header(b, d);
        for (LoopDump l : d.loops()) {
            loopHeader(b, l);
            row(b, "ID", "NAME", "STATE", "FOR", "WAITING ON", "AWAITED BY", "AT");
            for (TaskInfo t : l.tasks()) {
                row(b, Long.toString(t.id()), clip(t.name(), 20), t.state(),
                        t.inStateNanos() >= 0 ? Durations.format(t.inStateNanos()) : "?",
                        t.waitingOn() == null ? "-" : clip(t.waitingOn().describe(), 60),
                        t.awaitedBy().isEmpty() ? "-" : clip(ids(t.awaitedBy()), 16),
                        t.stack().isEmpty() ? "-"
                                : t.stack().get(Math.min(firstUserFrame(t.stack()), t.stack().size() - 1)).toString());
            }
            deadlocks(b, l);
        }
        return b.toString();
    }

    /** The first frame outside jasyncio's runtime (the kernel, sync, net, diagnostics); 0 if none is. */
    static int firstUserFrame(List<StackTraceElement> stack) {
        for (int i = 0; i < stack.size(); i++) {
            if (!isRuntime(stack.get(i).getClassName())) {
                return i;
            }
        }
        return 0;
    }

    private static boolean isRuntime(String c) {
        if (!c.startsWith("io.jasyncio.")) {
            return false;
        }
        String rest = c.substring("io.jasyncio.".length());
        return Character.isUpperCase(rest.charAt(0)) || rest.startsWith("sync.") || rest.startsWith("net.")
                || rest.startsWith("diagnostics.") || rest.startsWith("lowlevel.") || rest.startsWith("internal.");
    }

    private static final int[] WIDTHS = {8, 20, 9, 9, 60, 16};

    private static void row(StringBuilder b, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < WIDTHS.length) {
                for (int pad = WIDTHS[i] + 1 - cells[i].length(); pad > 0; pad--) {
                    b.append(' ');
                }
            }
        }
        b.append('\n');
    }

    private static String ids(List<TaskRef> refs) {
        StringBuilder b = new StringBuilder();
        for (TaskRef r : refs) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append('#').append(r.id());
        }
        return b.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static void header(StringBuilder b, TaskDump d) {
        b.append("jasyncio task dump of process ").append(d.pid()).append(", ").append(d.takenAt()).append(": ")
                .append(d.loops().size()).append(d.loops().size() == 1 ? " loop, " : " loops, ").append(d.taskCount())
                .append(" tasks, read in ").append(Durations.format(d.tookNanos())).append('\n');
    }

    private static void loopHeader(StringBuilder b, LoopDump l) {
        b.append("\nloop ").append(l.loopId()).append(" on thread '").append(l.thread()).append("': ").append(l.status());
        if (l.stalledNanos() > 0) {
            b.append(" for ").append(Durations.format(l.stalledNanos()));
        }
        LoopMetrics m = l.metrics();
        b.append(", ").append(l.engine()).append(" engine, ").append(l.tasks().size()).append(" tasks, ")
                .append(m.readyQueue()).append(" ready, ").append(m.steps()).append(" steps, ")
                .append(m.registeredChannels()).append(" channels, ").append(m.timers()).append(" timers\n");
        if (!l.loopThreadStack().isEmpty()) {
            b.append("  loop thread stack:\n");
            int n = Math.min(12, l.loopThreadStack().size());
            for (int i = 0; i < n; i++) {
                b.append("    at ").append(l.loopThreadStack().get(i)).append('\n');
            }
            if (l.loopThreadStack().size() > n) {
                b.append("    ... ").append(l.loopThreadStack().size() - n).append(" more\n");
            }
        }
        for (String note : l.notes()) {
            b.append("  note: ").append(note).append('\n');
        }
    }

    private static void deadlocks(StringBuilder b, LoopDump l) {
        for (Deadlock dl : l.deadlocks()) {
            b.append("DEADLOCK: ").append(dl.tasks().size()).append(" tasks wait for each other in a cycle:\n");
            for (String e : dl.edges()) {
                b.append("  ").append(e).append('\n');
            }
        }
    }
}
