package io.jasyncio;

import io.jasyncio.diagnostics.Deadlock;
import io.jasyncio.diagnostics.LoopDump;
import io.jasyncio.diagnostics.TaskDump;
import io.jasyncio.diagnostics.TaskInfo;
import io.jasyncio.diagnostics.TaskRef;
import io.jasyncio.diagnostics.Wait;
import io.jasyncio.diagnostics.WaitSource;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes task dumps, on any thread, of loops that keep running meanwhile.
 *
 * <h2>How it stays safe</h2>
 * <ul>
 * <li>It only reads. Every field of the loop, its tasks and what they wait on is read once, as the
 *     loop last wrote it, and anything odd (a null, an exception from a collection the loop is
 *     changing) makes that one entry say so instead of failing the dump. The live-task list
 *     ({@code EventLoop.linkLive}) is written with plain stores (a VarHandle on the spawn path
 *     cost spawn+await measurably) and read the same way, a task's id being final; a walk that falls off a task the loop has
 *     just unlinked starts again (three tries, then a note).</li>
 * <li>Suspended stacks are read only behind the stack gate ({@link LoopWatch}), in slices of
 *     {@link #SLICE_NANOS}, so the loop is never held for longer than that at a time and goes on
 *     serving between slices. The portable engine's coroutines are threads, readable at any time.</li>
 * <li>It never schedules anything on the loop, so the loop's order is untouched (a seeded
 *     schedule replays the same with or without dumps).</li>
 * </ul>
 */
final class TaskDumper {

    /** Frames read per suspended stack: {@code jasyncio.dump.frames}, default 24; 0 reads none. */
    static final int MAX_FRAMES = Integer.getInteger("jasyncio.dump.frames", 24);
    /** The longest a dump holds a loop at its gate in one go. */
    static final long SLICE_NANOS = 2_000_000;
    /** How long a dump waits for a loop to reach its gate before giving up on stacks. */
    static final long GATE_WAIT_NANOS = 100_000_000;

    private TaskDumper() {
    }

    /** One task as first read, before stacks and edges. */
    private static final class Raw {
        Task<?> task;
        long id;
        String name;
        String state;
        int since; // a LoopWatch stamp
        Wait wait;
        io.jasyncio.internal.engine.CoroutineEngine.Coroutine coroutine;
        Throwable createdAt;
        TaskGroup group;
        boolean cancel;
        StackTraceElement[] stack;
        String stackNote;
    }

    static TaskDump dump(List<EventLoop> loops) {
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        List<LoopDump> out = new ArrayList<>(loops.size());
        for (EventLoop l : loops) {
            out.add(dumpLoop(l));
        }
        return new TaskDump(TaskDump.SCHEMA_VERSION, at, System.nanoTime() - t0, ProcessHandle.current().pid(), out);
    }

    static LoopDump dumpLoop(EventLoop loop) {
        LoopWatch w = loop.watch;
        synchronized (w) { // one dump of a loop at a time: they share its gate
            List<String> notes = new ArrayList<>();
            long now = System.nanoTime();
            String status;
            long stalledNanos = 0;
            if (loop.isClosed()) {
                status = "closed";
            } else if (!loop.isRunning()) {
                status = "idle";
            } else if (loop.mayBeBlockedInSelect()) {
                status = "waiting";
            } else {
                long since = w.stalledSince;
                long threshold = w.stallThresholdNanos > 0 ? w.stallThresholdNanos : 1_000_000_000L;
                if (since != 0 && (now - since >= threshold || w.stallReported)) {
                    status = "stalled";
                    stalledNanos = now - since;
                } else {
                    status = "running";
                }
            }
            List<StackTraceElement> loopStack = List.of();
            Task<?> running = loop.currentTask;
            if (status.equals("running") || status.equals("stalled")) {
                loopStack = List.of(w.liveStack());
            }

            List<Raw> raws = readTasks(loop, notes);
            readStacks(loop, raws, running, loopStack, notes);

            // Edges: who waits for whom.
            Map<Long, List<TaskRef>> awaitedBy = new HashMap<>();
            for (Raw r : raws) {
                if (r.wait != null) {
                    for (TaskRef target : r.wait.waitsFor()) {
                        awaitedBy.computeIfAbsent(target.id(), k -> new ArrayList<>()).add(new TaskRef(r.id, r.name));
                    }
                }
            }
            List<TaskInfo> tasks = new ArrayList<>(raws.size());
            int coarse = LoopWatch.coarseStamp;
            for (Raw r : raws) {
                long inState = coarse == 0 || r.since == 0 ? -1 : LoopWatch.stampAgeNanos(coarse, r.since);
                tasks.add(new TaskInfo(r.id, r.name, r.state, inState, r.wait, awaitedBy.getOrDefault(r.id, List.of()),
                        r.stack == null ? List.of() : List.of(r.stack), r.stackNote, spawnSite(r.createdAt),
                        groupName(r.group), r.cancel));
            }
            List<Deadlock> deadlocks = Cycles.find(tasks);
            return new LoopDump(loop.loopId, threadName(loop), status, stalledNanos, loop.engineName(), w.metrics(),
                    tasks, loopStack, deadlocks, notes);
        }
    }

    private static String threadName(EventLoop loop) {
        Thread t = loop.threadForDump();
        return t == null ? "?" : t.getName();
    }

    private static List<Raw> readTasks(EventLoop loop, List<String> notes) {
        for (int attempt = 0; attempt < 3; attempt++) {
            List<Raw> raws = new ArrayList<>(Math.max(16, loop.liveCountRacy() + 16));
            if (walk(loop, raws)) {
                return raws;
            }
            if (attempt == 2) {
                notes.add("the loop finished tasks while the dump read its task list; tasks after #"
                        + (raws.isEmpty() ? 0 : raws.get(raws.size() - 1).id) + " may be missing");
                return raws;
            }
        }
        throw new AssertionError();
    }

    /** Reads the live list; false if it fell off a task unlinked meanwhile. */
    private static boolean walk(EventLoop loop, List<Raw> out) {
        long limit = 2L * loop.liveCountRacy() + 1_000_000;
        Task<?> t = loop.liveHeadForDump();
        while (t != null && out.size() < limit) {
            Raw r = read(loop, t);
            if (r != null) {
                out.add(r);
            }
            Task<?> next = t.nextLiveRacy();
            if (next == null && loop.liveTailRacy() != t) {
                return false; // t was unlinked under us (or the tail moved on): read again
            }
            t = next;
        }
        return true;
    }

    private static Raw read(EventLoop loop, Task<?> t) {
        if (t.isDone()) {
            return null;
        }
        Raw r = new Raw();
        r.task = t;
        r.id = t.id();
        r.name = t.getName();
        r.since = t.stateSince;
        r.createdAt = t.createdAt();
        r.group = t.group;
        r.cancel = t.cancelRequestedRacy();
        r.coroutine = t.coroutineRacy();
        Object on = t.parkedOnRacy();
        if (on != null) {
            r.state = "PARKED";
            try {
                r.wait = describe(loop, t, on);
            } catch (RuntimeException | LinkageError e) {
                r.wait = new Wait.Other("unreadable while the loop changed it (" + e + ")");
            }
        } else {
            String s = t.runStateNameRacy();
            r.state = s.equals("PARKED") ? "SCHEDULED" : s; // parkedOn already cleared: being woken
        }
        return r;
    }

    static Wait describe(EventLoop loop, Task<?> t, Object on) {
        if (on instanceof WaitSource s) {
            return s.describeWait();
        }
        if (on instanceof Task<?> other) {
            return new Wait.OnTask(ref(other));
        }
        if (on instanceof Promise<?> p) {
            Object origin = p.origin;
            if (origin instanceof Promise.WorkerCall c) {
                Thread th = c.thread;
                return new Wait.OnWorker(String.valueOf(c.call), th == null ? null : th.getName());
            }
            if (origin != null) {
                return new Wait.OnFuture(String.valueOf(origin));
            }
            return new Wait.OnPromise(p.toString());
        }
        if (on instanceof Join j) {
            List<TaskRef> pending = new ArrayList<>();
            int n = 0;
            for (Awaitable<?> a : j.inputsForDump()) {
                if (!a.isDone()) {
                    n++;
                    if (a instanceof Task<?> task) {
                        pending.add(ref(task));
                    }
                }
            }
            WaitMode m = j.modeForDump();
            String mode = m == null ? "as-completed" : switch (m) {
                case ALL_COMPLETED -> "all";
                case FIRST_COMPLETED -> "first";
                case FIRST_EXCEPTION -> "all or first failure";
            };
            return new Wait.OnAll(mode, pending, n);
        }
        if (on instanceof TaskGroup g) {
            List<TaskRef> children = new ArrayList<>();
            for (Task<?> c : g.runningForDump()) {
                children.add(ref(c));
            }
            return new Wait.OnGroup(children);
        }
        if (on instanceof io.jasyncio.internal.io.ChannelWait a) {
            return socket(a.isWrite(), a.channel());
        }
        if (on instanceof Task.SleepMarker) {
            long deadline = t.sleepDeadline;
            return new Wait.Sleep(deadline, deadline - loop.time());
        }
        return new Wait.Other(on instanceof Runnable ? "suspended with abort hook " + on.getClass().getName()
                : "suspended on " + on);
    }

    private static Wait socket(boolean write, SelectableChannel ch) {
        String op;
        String kind;
        if (ch instanceof ServerSocketChannel) {
            op = "accept";
            kind = "tcp server";
        } else if (ch instanceof SocketChannel sc) {
            op = write ? (sc.isConnectionPending() ? "connect" : "write") : "read";
            kind = "tcp";
        } else if (ch instanceof DatagramChannel) {
            op = write ? "write" : "read";
            kind = "udp";
        } else {
            op = write ? "write" : "read";
            kind = ch.getClass().getSimpleName();
        }
        String local = null;
        String remote = null;
        try {
            if (ch instanceof NetworkChannel nc) {
                SocketAddress a = nc.getLocalAddress();
                local = a == null ? null : a.toString();
            }
            if (ch instanceof SocketChannel sc) {
                SocketAddress a = sc.getRemoteAddress();
                remote = a == null ? null : a.toString();
            } else if (ch instanceof DatagramChannel dc) {
                SocketAddress a = dc.getRemoteAddress();
                remote = a == null ? null : a.toString();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // closed meanwhile: say what we have
        }
        if (local != null && local.startsWith("/")) {
            local = local.substring(1);
        }
        if (remote != null && remote.startsWith("/")) {
            remote = remote.substring(1);
        }
        return new Wait.OnSocket(op, kind, local, remote);
    }

    static TaskRef ref(Task<?> t) {
        return new TaskRef(t.id(), t.getName());
    }

    private static String groupName(TaskGroup g) {
        if (g == null) {
            return null;
        }
        Task<?> owner = g.ownerForDump();
        return "group of " + ref(owner);
    }

    // ------------------------------------------------------------------ stacks

    private static void readStacks(EventLoop loop, List<Raw> raws, Task<?> running, List<StackTraceElement> loopStack,
                                   List<String> notes) {
        List<Raw> suspended = new ArrayList<>();
        for (Raw r : raws) {
            if (r.task == running && "RUNNING".equals(r.state)) {
                r.stack = taskPart(loopStack.toArray(StackTraceElement[]::new));
                if (!loop.coroutinesOnLoopThread) {
                    StackTraceElement[] own = r.task.coroutineThreadStack();
                    if (own != null) {
                        r.stack = trim(own);
                    }
                }
            } else if (r.coroutine != null) {
                suspended.add(r);
            }
        }
        if (suspended.isEmpty() || MAX_FRAMES <= 0) {
            return;
        }
        if (!loop.coroutinesOnLoopThread) {
            for (Raw r : suspended) {
                readOne(r);
            }
            return;
        }
        LoopWatch w = loop.watch;
        int i = 0;
        int slices = 0;
        while (i < suspended.size()) {
            if (!w.closeGate(GATE_WAIT_NANOS)) {
                notes.add("suspended stacks " + (i == 0 ? "not read" : "read for " + i + " of " + suspended.size()
                        + " tasks only") + ": the loop thread stayed inside one step (its stack is above)");
                for (; i < suspended.size(); i++) {
                    suspended.get(i).stackNote = "not read: the loop was inside a step";
                }
                return;
            }
            try {
                long end = System.nanoTime() + SLICE_NANOS;
                do {
                    readOne(suspended.get(i++));
                } while (i < suspended.size() && System.nanoTime() < end);
            } finally {
                w.openGate();
            }
            slices++;
            if (i < suspended.size()) {
                LockSupport.parkNanos(200_000); // let the loop run between slices
            }
        }
    }

    private static void readOne(Raw r) {
        io.jasyncio.internal.engine.CoroutineEngine.Coroutine c = r.coroutine;
        try {
            if (c.isDone()) {
                return;
            }
            r.stack = trim(c.suspendedStack(MAX_FRAMES + 8));
        } catch (RuntimeException | Error e) {
            r.stackNote = "not readable: " + e;
        }
    }

    /** A suspended stack without the engine's frames on top. */
    static StackTraceElement[] trim(StackTraceElement[] s) {
        int from = 0;
        while (from < s.length && isEngineFrame(s[from])) {
            from++;
        }
        int to = s.length;
        for (int i = from; i < s.length; i++) {
            if (s[i].getClassName().equals("io.jasyncio.Task") && s[i].getMethodName().equals("runBody")) {
                to = i;
                break;
            }
        }
        StackTraceElement[] out = Arrays.copyOfRange(s, from, Math.min(to, from + MAX_FRAMES));
        return out;
    }

    /** The running task's part of the loop thread's stack (continuation engine). */
    private static StackTraceElement[] taskPart(StackTraceElement[] s) {
        return trim(s);
    }

    private static boolean isEngineFrame(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.internal.vm.") || c.startsWith("io.jasyncio.internal.")
                || c.equals("io.jasyncio.KernelBridge") || c.startsWith("io.jasyncio.lowlevel.Kernel")
                || c.equals("io.jasyncio.Task")
                || c.startsWith("java.lang.VirtualThread") || c.startsWith("java.lang.System$") || c.equals("java.util.concurrent.locks.LockSupport")
                || c.startsWith("jdk.internal.misc.") || c.equals("java.lang.Thread") && f.getMethodName().equals("getStackTrace");
    }

    private static List<StackTraceElement> spawnSite(Throwable createdAt) {
        if (createdAt == null) {
            return List.of();
        }
        StackTraceElement[] s = createdAt.getStackTrace();
        int from = 0;
        while (from < s.length && (s[from].getClassName().equals("io.jasyncio.Task")
                || s[from].getClassName().equals("io.jasyncio.EventLoop") || s[from].getClassName().equals("io.jasyncio.Async")
                || s[from].getClassName().equals("io.jasyncio.TaskGroup"))) {
            from++;
        }
        return List.of(Arrays.copyOfRange(s, from, Math.min(s.length, from + 8)));
    }
}
