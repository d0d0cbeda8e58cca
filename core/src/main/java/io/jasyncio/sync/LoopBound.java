package io.jasyncio.sync;

import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.lowlevel.Loops;

/**
 * The loop affinity every primitive of this package shares (asyncio's {@code _LoopBoundMixin}):
 * a primitive belongs to the event loop running where it is created or, if it was created outside
 * any loop, to the first loop that uses it; from then on every call must come from that loop (its
 * thread, or one of its tasks). Before any loop has it, it may be set up from anywhere (an
 * {@link Event} set, a {@link Semaphore} acquired with {@code tryAcquire}).
 *
 * <p>Why a check on every call rather than only when waiting: a primitive touched from a second
 * thread is a data race whether or not anyone waits, and the race shows up much later as a lost
 * wake-up. The check is the kernel's current-loop lookup ({@link Loops#currentOrNull()}) and a
 * compare.
 */
abstract class LoopBound {

    /** Volatile so that a foreign thread sees the binding and fails, rather than racing. */
    private volatile EventLoop loop;

    LoopBound() {
        loop = Loops.currentOrNull();
    }

    /**
     * Checks that the caller may use this primitive and returns the running loop (binding the
     * primitive to it on first use), or null if nothing has bound it yet and no loop is running.
     *
     * @throws WrongThreadException  if it is bound and called from a thread that runs no loop
     * @throws IllegalStateException if it is bound to another loop than the running one
     */
    final EventLoop checkLoop(String what) {
        EventLoop here = Loops.currentOrNull();
        if (here == null || here != loop) {
            return bind(what, here);
        }
        return here;
    }

    private EventLoop bind(String what, EventLoop here) {
        EventLoop bound = loop;
        if (bound == null) {
            loop = here; // stays null when used before any loop runs
            return here;
        }
        if (here == null) {
            throw new WrongThreadException(what + " called from thread '" + Thread.currentThread().getName()
                    + "', which runs no event loop, but this " + kind() + " belongs to " + bound
                    + ". Its methods are not thread-safe: from another thread hand the call to the loop with"
                    + " loop.callSoonThreadsafe(...) or loop.submit(...).");
        }
        throw new IllegalStateException(what + ": this " + kind() + " is bound to a different event loop (" + bound
                + ") than the running one (" + here + "); a primitive serves one loop for its whole life");
    }

    /**
     * The task calling a method that may suspend, after the loop check.
     *
     * @throws IllegalStateException if the caller is a plain callback or outside any loop
     */
    final Task<?> taskFor(String what) {
        EventLoop here = checkLoop(what);
        Task<?> t = here == null ? null : here.currentTask();
        if (t == null) {
            throw new IllegalStateException(what + " may suspend, so it must be called from a task (inside Async.run"
                    + " or a spawned task), not " + (here == null ? "outside any event loop" : "from a plain callback")
                    + "; the non-suspending variants (tryAcquire, offer, poll, putNow, getNow) work anywhere on the loop");
        }
        return t;
    }

    /** A task as a dump names it; null for null. */
    static io.jasyncio.diagnostics.TaskRef ref(Task<?> t) {
        return t == null ? null : new io.jasyncio.diagnostics.TaskRef(t.id(), t.getName());
    }

    static Task<?> currentTaskOrNull(EventLoop here) {
        return here == null ? null : here.currentTask();
    }

    /** "Lock", "Semaphore", ...: for messages. */
    String kind() {
        return getClass().getSimpleName();
    }
}
