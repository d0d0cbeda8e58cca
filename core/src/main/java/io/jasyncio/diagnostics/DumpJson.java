package io.jasyncio.diagnostics;

import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * The JSON form of a {@link TaskDump} (schema in {@code docs/observability.md}). Written by hand:
 * the runtime jar has no dependencies. Wait records are written with their components, plus
 * {@code kind} and {@code description}.
 */
final class DumpJson {

    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            RecordComponent[] cs = type.getRecordComponents();
            for (RecordComponent c : cs) {
                c.getAccessor().setAccessible(true); // the records are public, but a nested one may be in a closed package
            }
            return cs;
        }
    };

    private final StringBuilder b = new StringBuilder(1 << 16);

    private DumpJson() {
    }

    static String write(TaskDump d) {
        DumpJson j = new DumpJson();
        j.dump(d);
        return j.b.toString();
    }

    private void dump(TaskDump d) {
        b.append("{\"schema\":").append(d.schema());
        field("takenAt", d.takenAt().toString());
        b.append(",\"tookNanos\":").append(d.tookNanos()).append(",\"pid\":").append(d.pid()).append(",\"loops\":[");
        for (int i = 0; i < d.loops().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            loop(d.loops().get(i));
        }
        b.append("]}\n");
    }

    private void loop(LoopDump l) {
        b.append("{\"id\":").append(l.loopId());
        field("thread", l.thread());
        field("status", l.status());
        b.append(",\"stalledNanos\":").append(l.stalledNanos());
        field("engine", l.engine());
        b.append(",\"metrics\":");
        record(l.metrics());
        b.append(",\"loopThreadStack\":");
        frames(l.loopThreadStack());
        b.append(",\"notes\":[");
        for (int i = 0; i < l.notes().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(l.notes().get(i));
        }
        b.append("],\"deadlocks\":[");
        for (int i = 0; i < l.deadlocks().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            Deadlock dl = l.deadlocks().get(i);
            b.append("{\"tasks\":");
            refs(dl.tasks());
            b.append(",\"edges\":[");
            for (int k = 0; k < dl.edges().size(); k++) {
                if (k > 0) {
                    b.append(',');
                }
                string(dl.edges().get(k));
            }
            b.append("]}");
        }
        b.append("],\"tasks\":[");
        for (int i = 0; i < l.tasks().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            task(l.tasks().get(i));
        }
        b.append("]}");
    }

    private void task(TaskInfo t) {
        b.append("{\"id\":").append(t.id());
        field("name", t.name());
        field("state", t.state());
        b.append(",\"inStateNanos\":").append(t.inStateNanos()).append(",\"waitingOn\":");
        if (t.waitingOn() == null) {
            b.append("null");
        } else {
            wait(t.waitingOn());
        }
        b.append(",\"awaitedBy\":");
        refs(t.awaitedBy());
        b.append(",\"stack\":");
        frames(t.stack());
        b.append(",\"stackNote\":");
        string(t.stackNote());
        b.append(",\"spawnSite\":");
        frames(t.spawnSite());
        b.append(",\"group\":");
        string(t.group());
        b.append(",\"cancelRequested\":").append(t.cancelRequested()).append('}');
    }

    private void wait(Wait w) {
        b.append("{\"kind\":");
        string(w.kind());
        field("description", w.describe());
        for (RecordComponent c : COMPONENTS.get(w.getClass())) {
            b.append(",\"").append(c.getName()).append("\":");
            value(get(c, w));
        }
        b.append('}');
    }

    private void record(Record r) {
        b.append('{');
        boolean first = true;
        for (RecordComponent c : COMPONENTS.get(r.getClass())) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append('"').append(c.getName()).append("\":");
            value(get(c, r));
        }
        b.append('}');
    }

    private static Object get(RecordComponent c, Object r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }

    private void value(Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof TaskRef r) {
            ref(r);
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                value(list.get(i));
            }
            b.append(']');
        } else {
            string(v.toString());
        }
    }

    private void refs(List<TaskRef> refs) {
        b.append('[');
        for (int i = 0; i < refs.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            ref(refs.get(i));
        }
        b.append(']');
    }

    private void ref(TaskRef r) {
        b.append("{\"id\":").append(r.id());
        field("name", r.name());
        b.append('}');
    }

    /** Frames as strings in {@link StackTraceElement#toString()}'s form: {@code module/class.method(File.java:12)}. */
    private void frames(List<StackTraceElement> frames) {
        b.append('[');
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(frames.get(i).toString());
        }
        b.append(']');
    }

    private void field(String name, String value) {
        b.append(",\"").append(name).append("\":");
        string(value);
    }

    private void string(String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
