package io.jasyncio;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Failed tasks whose exception nobody has retrieved yet, so that no failure is lost silently: each
 * is reported through the loop's exception handler when its task is garbage-collected (asyncio
 * reports from {@code __del__}) or, at the latest, when the loop closes. Retrieving the exception
 * (await, {@code resultNow}, {@code exceptionNow}, a task group, a CompletableFuture) forgets it.
 *
 * <p>Weak references, so that tracking never keeps a finished task alive. Loop thread only.
 */
final class UnretrievedFailures {

    /** A failed task, weakly; the failure and the task's name are kept for the report. */
    static final class Entry extends WeakReference<Task<?>> {
        final Throwable error;
        final String taskName;
        final Throwable createdAt;

        Entry(Task<?> task, Throwable error, ReferenceQueue<Task<?>> q) {
            super(task, q);
            this.error = error;
            this.taskName = task.getName();
            this.createdAt = task.createdAt();
        }
    }

    private final EventLoop loop;
    private final ReferenceQueue<Task<?>> collected = new ReferenceQueue<>();
    // Insertion-ordered, so reports at close come in the order the tasks failed.
    private final Set<Entry> pending = new LinkedHashSet<>();

    UnretrievedFailures(EventLoop loop) {
        this.loop = loop;
    }

    Entry track(Task<?> task, Throwable error) {
        Entry e = new Entry(task, error, collected);
        pending.add(e);
        return e;
    }

    void forget(Entry e) {
        pending.remove(e);
        e.clear();
    }

    /** Reports the failures of tasks the GC has collected since the last call. Cheap when none. */
    void reportCollected() {
        if (pending.isEmpty()) {
            return;
        }
        Object r;
        while ((r = collected.poll()) != null) {
            Entry e = (Entry) r;
            if (pending.remove(e)) {
                report(e, "was garbage-collected");
            }
        }
    }

    /** Reports every failure still unretrieved (the loop is closing) and forgets them. */
    void reportAll() {
        for (Entry e : new ArrayList<>(pending)) {
            report(e, "reported when the loop closed");
        }
        pending.clear();
    }

    private void report(Entry e, String when) {
        Throwable error = e.error;
        if (e.createdAt != null) {
            error.addSuppressed(e.createdAt);
        }
        loop.callExceptionHandler(new ErrorReport("task '" + e.taskName + "' failed and its exception was never retrieved ("
                + when + ")", error, e.get(), null));
    }
}
