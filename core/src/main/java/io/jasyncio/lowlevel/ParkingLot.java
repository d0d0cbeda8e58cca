package io.jasyncio.lowlevel;

import io.jasyncio.Task;
import io.jasyncio.diagnostics.Wait;
import io.jasyncio.diagnostics.WaitSource;
import io.jasyncio.internal.access.AbortHook;
import java.util.function.Supplier;

/**
 * A FIFO of parked tasks (Trio's {@code ParkingLot}): the one waiting structure of every
 * primitive in {@code io.jasyncio.sync}, and of anything else that makes tasks wait their turn,
 * built on {@link Suspension#park}.
 *
 * <h2>The protocol (every user follows it)</h2>
 * <ol>
 *   <li>The waiting task {@linkplain #add adds} a {@link Ticket} and calls {@link Ticket#park()},
 *       or does both with {@link #park(Task, Object)}, which reuses the lot's tickets rather than
 *       making one per wait.</li>
 *   <li>The waker {@linkplain #poll() removes} the ticket first, changes its own state on the
 *       waiter's behalf (hands it the lock, the permit, the item), then wakes it with the value
 *       {@code park()} returns. The hand-off is complete at that moment: the woken task owns what
 *       it was given even if it is cancelled before it runs again (it then returns normally and
 *       the cancellation fires at its next suspension point).</li>
 *   <li>If the waiting task is cancelled while still in the lot, the kernel runs the ticket's
 *       abort, which unlinks it: it was given nothing, so there is nothing to give back, and the
 *       next ticket is first in line.</li>
 * </ol>
 * A ticket is therefore either in the lot (owed nothing) or out of it (woken and paid, or
 * cancelled and gone), never both: a cancelled waiter cannot swallow a wake-up.
 *
 * <p>Intrusive and doubly linked, so that a cancellation unlinks in O(1). Loop thread only.
 */
public final class ParkingLot {

    private Ticket head, tail;
    private int size;
    /**
     * The ticket of the last {@link #park(Task, Object)} whose task has resumed, for the next one
     * to reuse; in use again while its task field is set.
     */
    private Ticket spare;
    /** What a task parked here waits for, for task dumps; null: "parked in a ParkingLot". */
    private final Supplier<Wait> description;

    /** An empty lot. */
    public ParkingLot() {
        this(null);
    }

    /**
     * An empty lot whose parked tasks task dumps describe with {@code description}: for example
     * {@code () -> new Wait.OnLock(toString(), holderRef, size())}. It is called on the thread
     * taking the dump while the loop runs, so it may only read (see {@link WaitSource}).
     *
     * @param description what a task parked here waits for, or null
     */
    public ParkingLot(Supplier<Wait> description) {
        this.description = description;
    }

    /**
     * Appends a ticket for {@code task}, which then calls {@link Ticket#park()}.
     *
     * @param task the task that will park (the running one)
     * @return its ticket
     */
    public Ticket add(Task<?> task) {
        return add(task, null);
    }

    /**
     * Appends a ticket for {@code task} carrying {@code item} (a putter's item, for example).
     *
     * @param task the task that will park (the running one)
     * @param item what the waker may take from the ticket, or null
     * @return its ticket
     */
    public Ticket add(Task<?> task, Object item) {
        Ticket w = new Ticket(this, task, item);
        link(w);
        return w;
    }

    /**
     * {@code add(task).park()}, usually without allocating: see {@link #park(Task, Object)}.
     *
     * @param task the task that parks (the running one)
     * @return the value the waker passed
     */
    public Object park(Task<?> task) {
        return park(task, null);
    }

    /**
     * {@code add(task, item).park()}, usually without allocating: the lot reuses the ticket of an
     * earlier park here whose task has resumed, rather than making one per park (issue 14: a
     * million tasks passing items through one-slot queues pay for every object a park makes). The
     * protocol is the same; the one difference is that the ticket a waker {@linkplain #poll()
     * polls} belongs to the lot again once its task has resumed: read it and wake its task, but do
     * not keep it across a suspension point. (A ticket from {@link #add} is the caller's to keep.)
     *
     * @param task the task that parks (the running one)
     * @param item what the waker may take from the ticket, or null
     * @return the value the waker passed
     */
    public Object park(Task<?> task, Object item) {
        Ticket w = spare;
        if (w != null && w.task == null) {
            w.task = task;
            w.item = item;
            w.lot = this;
        } else {
            w = new Ticket(this, task, item);
        }
        link(w);
        Object v;
        try {
            v = Suspension.park(task, w);
        } catch (Throwable e) {
            w.leave();
            w.release(this);
            throw e;
        }
        w.release(this);
        return v;
    }

    private void link(Ticket w) {
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
            w.prev = tail;
        }
        tail = w;
        size++;
    }

    /**
     * Removes and returns the first ticket, or null; wake its task with {@link Ticket#wake}.
     *
     * @return the first ticket, or null if the lot is empty
     */
    public Ticket poll() {
        Ticket w = head;
        if (w != null) {
            unlink(w);
        }
        return w;
    }

    /**
     * True if no task waits here.
     *
     * @return whether the lot is empty
     */
    public boolean isEmpty() {
        return head == null;
    }

    /**
     * How many tasks wait here.
     *
     * @return the number of tickets
     */
    public int size() {
        return size;
    }

    /**
     * Removes the first ticket and wakes its task with {@code value}.
     *
     * @param value what the woken task's {@code park()} returns
     * @return false if there was none
     */
    public boolean wakeFirst(Object value) {
        Ticket w = poll();
        if (w == null) {
            return false;
        }
        w.wake(value);
        return true;
    }

    /**
     * Removes every ticket and wakes each task with {@code value}, in FIFO order.
     *
     * @param value what each woken task's {@code park()} returns
     */
    public void wakeAll(Object value) {
        Ticket w = head;
        head = tail = null;
        size = 0;
        while (w != null) {
            Ticket n = w.next;
            w.prev = w.next = null;
            w.lot = null;
            w.wake(value); // only schedules the task: nothing runs during this loop
            w = n;
        }
    }

    private void unlink(Ticket w) {
        Ticket p = w.prev, n = w.next;
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
        w.lot = null;
        size--;
    }

    @Override
    public String toString() {
        return "ParkingLot[" + size + " waiting]";
    }

    /**
     * One parked task's place in a {@link ParkingLot}; also its abort, and what a task dump asks
     * what the task waits for. The ticket is all a park here allocates: it is itself what the
     * kernel holds while the task is parked (issue 14: a million parked tasks, and the ping-pong
     * round trip, pay for every object a park makes).
     */
    public static final class Ticket implements Abort, AbortHook, WaitSource {
        /** Null only while it is its lot's spare (see {@link ParkingLot#park(Task, Object)}). */
        private Task<?> task;
        private Object item;
        /** The lot it is in, or null once removed. */
        private ParkingLot lot;
        private Ticket prev, next;

        private Ticket(ParkingLot lot, Task<?> task, Object item) {
            this.lot = lot;
            this.task = task;
            this.item = item;
        }

        /**
         * The task waiting with this ticket.
         *
         * @return the task
         */
        public Task<?> task() {
            return task;
        }

        /**
         * What the waiting task brought (see {@link ParkingLot#add(Task, Object)}), or null.
         *
         * @return the item
         */
        public Object item() {
            return item;
        }

        /**
         * True while the ticket is in its lot (not yet polled, woken or cancelled).
         *
         * @return whether it is waiting in the lot
         */
        public boolean isInLot() {
            return lot != null;
        }

        /**
         * Suspends the ticket's task (the running one) until a waker removes and wakes it, and
         * returns the wake value.
         *
         * <p>If the task is cancelled meanwhile, the kernel runs {@link #abort()} (unlinking this
         * ticket) and the cancellation is thrown from here. If it was cancelled before it could
         * suspend, {@code park} throws at once without the abort, so the ticket is unlinked here
         * instead: it must not stay in the lot to be handed something later. (When the engine
         * cannot suspend, the kernel has run the abort already; unlinking twice is harmless.)
         *
         * @return the value the waker passed
         */
        public Object park() {
            try {
                return Suspension.park(task, this);
            } catch (Throwable e) {
                leave();
                throw e;
            }
        }

        /**
         * Wakes the ticket's task with {@code value}; take the ticket out of its lot first
         * ({@link ParkingLot#poll()}).
         *
         * @param value what the task's {@link #park()} returns
         * @throws IllegalStateException if the task is not parked
         */
        public void wake(Object value) {
            Kernel.K.wake(task, value);
        }

        /**
         * The abort: leave the lot, if still in it. Always in time, since a ticket is woken only
         * after it has left the lot.
         *
         * @return {@link Abort.Result#SUCCEEDED}
         */
        @Override
        public Abort.Result abort() {
            leave();
            return Abort.Result.SUCCEEDED;
        }

        /**
         * The kernel's view of {@link #abort()}, which it calls on a cancellation: the same thing,
         * leaving the lot if still in it; never too late.
         *
         * @return true
         */
        @Override
        public boolean tryAbort() {
            return leave();
        }

        /**
         * What the ticket's task waits for, for a task dump: its lot's description, or "being
         * woken" once it has left the lot. Any thread, racy (see {@link WaitSource}).
         *
         * @return the description
         */
        @Override
        public Wait describeWait() {
            ParkingLot l = lot;
            if (l == null) {
                return new Wait.Other("being woken");
            }
            return l.description != null ? l.description.get() : new Wait.Other("parked in a ParkingLot");
        }

        /** Its task resumed from {@link ParkingLot#park(Task, Object)}: the ticket is {@code home}'s spare. */
        private void release(ParkingLot home) {
            if (lot != null) {
                return; // woken without being polled (a protocol error): it must not be reused while linked
            }
            task = null;
            item = null;
            if (home.spare != this) {
                home.spare = this;
            }
        }

        private boolean leave() {
            ParkingLot l = lot;
            if (l != null) {
                l.unlink(this);
            }
            return true;
        }
    }
}
