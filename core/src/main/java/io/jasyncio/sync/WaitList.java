package io.jasyncio.sync;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.diagnostics.TaskRef;
import io.jasyncio.diagnostics.Wait;
import io.jasyncio.diagnostics.WaitSource;
import java.util.function.Supplier;

/**
 * A FIFO list of suspended tasks: the one waiting structure of every primitive here, built on the
 * core's one suspension primitive, {@link Async#suspend(Runnable)} with {@link Task#wakeUp(Object)}.
 *
 * <h2>The protocol (every primitive follows it)</h2>
 * <ol>
 *   <li>The waiting task adds a {@link Waiter} and calls {@link Waiter#park()}.</li>
 *   <li>The waker {@linkplain #poll() removes} the waiter first, changes the primitive's state on
 *       the waiter's behalf (hands it the lock, the permit, the item), then wakes it with the
 *       value {@code park()} returns. The hand-off is complete at that moment: the woken task
 *       owns what it was given even if it is cancelled before it runs again (it then returns
 *       normally and the cancellation fires at its next suspension point).</li>
 *   <li>If the waiting task is cancelled while still in the list, the core runs the waiter as
 *       its cancel hook, which unlinks it: it was given nothing, so there is nothing to give back,
 *       and the next waiter is first in line.</li>
 * </ol>
 * A waiter is therefore either in the list (owed nothing) or out of it (woken and paid, or
 * cancelled and gone), never both: a cancelled waiter cannot swallow a wake-up.
 *
 * <p>Intrusive and doubly linked, so that a cancellation unlinks in O(1). Loop thread only.
 */
final class WaitList {

    private Waiter head, tail;
    private int size;
    /** What a task waiting here waits for, for dumps; called on the dumping thread (racy reads only). */
    private final Supplier<Wait> description;

    WaitList(Supplier<Wait> description) {
        this.description = description;
    }

    /** A task as a dump names it; null for null. */
    static TaskRef ref(Task<?> t) {
        return t == null ? null : new TaskRef(t.id(), t.getName());
    }

    /** Appends a waiter for {@code task}. */
    Waiter add(Task<?> task) {
        return add(task, null);
    }

    /** Appends a waiter for {@code task} carrying {@code item} (a putter's item). */
    Waiter add(Task<?> task, Object item) {
        Waiter w = new Waiter(this, task, item);
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
            w.prev = tail;
        }
        tail = w;
        size++;
        return w;
    }

    /** Removes and returns the first waiter, or null. */
    Waiter poll() {
        Waiter w = head;
        if (w != null) {
            unlink(w);
        }
        return w;
    }

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    /** Removes the first waiter and wakes it with {@code value}; false if there was none. */
    boolean wakeFirst(Object value) {
        Waiter w = poll();
        if (w == null) {
            return false;
        }
        w.task.wakeUp(value);
        return true;
    }

    /** Removes every waiter and wakes each with {@code value}, in FIFO order. */
    void wakeAll(Object value) {
        Waiter w = head;
        head = tail = null;
        size = 0;
        while (w != null) {
            Waiter n = w.next;
            w.prev = w.next = null;
            w.list = null;
            w.task.wakeUp(value); // only schedules the task: nothing runs during this loop
            w = n;
        }
    }

    void unlink(Waiter w) {
        Waiter p = w.prev, n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = w.next = null;
        w.list = null;
        size--;
    }

    /** One suspended task in a {@link WaitList}; also its cancel hook. */
    static final class Waiter implements Runnable, WaitSource {
        final Task<?> task;
        /** What a putter brings; null for other waiters. */
        final Object item;
        /** The list it is in, or null once removed. */
        WaitList list;
        Waiter prev, next;

        Waiter(WaitList list, Task<?> task, Object item) {
            this.list = list;
            this.task = task;
            this.item = item;
        }

        /**
         * Suspends the task until a waker removes and wakes it, and returns the wake value.
         *
         * <p>If the task is cancelled meanwhile, the core runs {@link #run()} (unlinking this
         * waiter) and the cancellation is thrown from here. If it was cancelled before it could
         * suspend, {@code Async.suspend} throws at once without running the hook, so the waiter is
         * unlinked here instead: it must not stay in the list to be handed something later. (When
         * the engine cannot suspend, the core has run the hook already; unlinking twice is harmless.)
         */
        Object park() {
            try {
                return Async.suspend(this);
            } catch (Throwable e) {
                run();
                throw e;
            }
        }

        /** For dumps: what the primitive says about this wait. */
        @Override
        public Wait describeWait() {
            WaitList l = list;
            return l != null ? l.description.get() : new Wait.Other("being woken");
        }

        /** The cancel hook: leave the list, if still in it. */
        @Override
        public void run() {
            WaitList l = list;
            if (l != null) {
                l.unlink(this);
            }
        }
    }
}
