package io.jasyncio;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The runtime's JDK Flight Recorder events (jdk.jfr, part of the JDK: no dependency), under the
 * category "jasyncio". Each is cheap when off: the loop tests one static boolean that the
 * watchdog thread refreshes every tick from JFR's own enabled flags, and nothing of JFR is even
 * initialised unless a recording runs. Recipes in {@code docs/observability.md}.
 *
 * <pre>
 *   io.jasyncio.LoopStall   a step held the loop past the watchdog threshold (at its end)
 *   io.jasyncio.SlowStep    a task step or callback longer than the event's threshold (20 ms)
 *   io.jasyncio.TaskLife    a task, from spawn to end, if it lived longer than its threshold (20 ms)
 *   io.jasyncio.IoWait      the loop blocked in select longer than its threshold (10 ms)
 * </pre>
 */
final class JfrEvents {

    /** True while a recording has SlowStep on: the loop then times each step. */
    static volatile boolean stepEnabled;
    /** True while a recording has TaskLife on: spawns then begin an event. */
    static volatile boolean taskEnabled;
    /** True while a recording has IoWait on. */
    static volatile boolean ioWaitEnabled;
    private static boolean unavailable;

    private JfrEvents() {
    }

    @Name("io.jasyncio.LoopStall")
    @Label("Event Loop Stall")
    @Category("jasyncio")
    @Description("One task step or callback held the event loop thread longer than the watchdog's threshold")
    @StackTrace(false)
    static final class LoopStall extends Event {
        @Label("Loop")
        long loop;
        @Label("Held by")
        String heldBy;
        @Label("Stalled")
        @Timespan(Timespan.NANOSECONDS)
        long stalled;
    }

    @Name("io.jasyncio.SlowStep")
    @Label("Slow Step")
    @Category("jasyncio")
    @Description("A task step or callback that ran longer than the threshold")
    @Threshold("20 ms")
    @StackTrace(false)
    static final class SlowStep extends Event {
        @Label("Loop")
        long loop;
        @Label("Step")
        String step;
    }

    @Name("io.jasyncio.TaskLife")
    @Label("Task")
    @Category("jasyncio")
    @Description("A task from its spawn to its end (duration: its lifetime)")
    @Threshold("20 ms")
    @StackTrace(false)
    static final class TaskLife extends Event {
        @Label("Loop")
        long loop;
        @Label("Task id")
        long taskId;
        @Label("Task name")
        String taskName;
        @Label("Outcome")
        String outcome;
    }

    @Name("io.jasyncio.IoWait")
    @Label("I/O Wait")
    @Category("jasyncio")
    @Description("The event loop blocked in select, waiting for I/O or a timer")
    @Threshold("10 ms")
    @StackTrace(false)
    static final class IoWait extends Event {
        @Label("Loop")
        long loop;
        @Label("Timeout")
        @Timespan(Timespan.NANOSECONDS)
        long timeout;
    }

    /** Watchdog thread: re-reads which of our events the running recordings want. */
    static void refresh() {
        if (unavailable) {
            return;
        }
        try {
            if (!FlightRecorder.isInitialized()) {
                stepEnabled = taskEnabled = ioWaitEnabled = false;
                return;
            }
            stepEnabled = EventType.getEventType(SlowStep.class).isEnabled();
            taskEnabled = EventType.getEventType(TaskLife.class).isEnabled();
            ioWaitEnabled = EventType.getEventType(IoWait.class).isEnabled();
            EventType.getEventType(LoopStall.class);
        } catch (LinkageError | RuntimeException e) {
            unavailable = true; // a runtime image without jdk.jfr
            stepEnabled = taskEnabled = ioWaitEnabled = false;
        }
    }

    /** Runs one ready-queue item inside a SlowStep event. */
    static void timedStep(EventLoop loop, Object item, Runnable run) {
        SlowStep e = new SlowStep();
        e.begin();
        run.run();
        e.end();
        if (e.shouldCommit()) {
            e.loop = loop.loopId;
            e.step = item instanceof Task<?> t ? "task #" + t.id() + " '" + t.getName() + "'" : String.valueOf(item);
            e.commit();
        }
    }

    static Object taskBegin() {
        TaskLife e = new TaskLife();
        e.begin();
        return e;
    }

    static void taskEnd(Object event, Task<?> t) {
        TaskLife e = (TaskLife) event;
        e.end();
        if (e.shouldCommit()) {
            e.loop = t.loop.loopId;
            e.taskId = t.id();
            e.taskName = t.getName();
            e.outcome = t.state().name();
            e.commit();
        }
    }

    static Object ioWaitBegin() {
        IoWait e = new IoWait();
        e.begin();
        return e;
    }

    static void ioWaitEnd(Object event, EventLoop loop, long timeoutNanos) {
        IoWait e = (IoWait) event;
        e.end();
        if (e.shouldCommit()) {
            e.loop = loop.loopId;
            e.timeout = timeoutNanos;
            e.commit();
        }
    }

    /** Watchdog thread: a stall has ended. */
    static void stall(EventLoop loop, String who, long startNanos, long nanos) {
        if (unavailable || !FlightRecorder.isInitialized()) {
            return;
        }
        try {
            LoopStall e = new LoopStall();
            if (e.isEnabled()) {
                e.loop = loop.loopId;
                e.heldBy = who;
                e.stalled = nanos;
                e.commit();
            }
        } catch (LinkageError | RuntimeException e) {
            unavailable = true;
        }
    }
}
