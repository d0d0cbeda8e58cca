package io.jasyncio.sync;

import io.jasyncio.Task;
import io.jasyncio.lowlevel.ParkingLot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A queue for producer and consumer tasks on one event loop (asyncio's {@code Queue},
 * {@code LifoQueue} and {@code PriorityQueue}): FIFO, LIFO or priority order, unbounded or with
 * a capacity; {@link #put} suspends while it is full and {@link #get} while it is empty.
 * Named {@code AsyncQueue} so as not to clash with {@link java.util.Queue}.
 *
 * <pre>{@code
 * AsyncQueue<Job> jobs = AsyncQueue.fifo(100);
 * Async.spawn(() -> { for (Job j : source) jobs.put(j); jobs.shutdown(); return null; });
 * Async.spawn(() -> {
 *     try {
 *         while (true) { handle(jobs.get()); jobs.taskDone(); }
 *     } catch (QueueShutdownException end) { return null; }   // drained and shut down
 * });
 * }</pre>
 *
 * <h2>Operations</h2>
 * <pre>
 *                 suspends      fails at once                   returns a sentinel
 *   insert        put(e)        putNow(e): QueueFullException    offer(e): false
 *   remove        get()         getNow(): QueueEmptyException    poll(): null
 * </pre>
 * Every insert throws {@link QueueShutdownException} once the queue is shut down; every remove
 * does once it is shut down <em>and</em> empty. Null items are refused, so that {@code poll()}'s
 * null is unambiguous. For a wait with a time limit:
 * {@code Async.moveOnAfter(timeout, queue::get)} returns null if nothing came in time.
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Operations suspend only when they must, and waiting getters and putters are served in
 *       FIFO order: a put with getters waiting hands its item straight to the first of them; a
 *       get that frees a slot moves the first waiting putter's item into the queue.</li>
 *   <li>Cancellation and timeouts lose nothing: a getter or putter cancelled while waiting
 *       leaves with no item taken or given, and the next one is served instead. One that was
 *       already handed its item (or had its item accepted) and is cancelled before it resumes
 *       returns normally; the cancellation fires at its next suspension point.</li>
 *   <li>{@link #taskDone()} and {@link #join()} count unfinished items as in asyncio: each item
 *       put adds one, each {@code taskDone()} removes one, {@code join()} waits for zero.</li>
 *   <li>{@link #shutdown()} (Python 3.13's {@code shutdown()}): puts fail from then on, waiting
 *       putters wake with {@link QueueShutdownException} (their items are not added), gets drain
 *       what is left and then fail, waiting getters wake with the exception.
 *       {@link #shutdownNow()} ({@code shutdown(immediate=True)}) also removes every queued item,
 *       counts each as done for {@code join()}, and returns them, so nothing vanishes unseen.</li>
 *   <li>In a priority queue, items of equal priority come out in the order they were put.</li>
 * </ul>
 *
 * <p>Not thread-safe: use it on its event loop only (see the package documentation). To feed it
 * from another thread: {@code loop.callSoonThreadsafe(() -> queue.putNow(item))}.
 *
 * @param <E> the type of the items
 */
public final class AsyncQueue<E> extends LoopBound {

    /** The wake value that tells a waiting getter or putter the queue was shut down. */
    private static final Object SHUT_DOWN = new Object() {
        @Override
        public String toString() {
            return "SHUT_DOWN";
        }
    };

    private final String order;
    /**
     * The items of a FIFO or LIFO queue, a ring of {@link #count} from {@link #head}; grown (to at
     * most the capacity) when full. Kept in the queue itself rather than in an {@code ArrayDeque}
     * behind a wrapper: two objects fewer per queue, and two fewer cache misses per hand-off when
     * there are a million queues (issue 14). Null for a priority queue.
     */
    private Object[] ring;
    private int head, count;
    private final boolean lifo;
    /** The items of a priority queue; null for the others. */
    private final Priority<E> heap;
    private final int capacity;
    /**
     * The waiting getters, or the waiting putters (each ticket carrying its item): never both,
     * since getters wait only while the queue is empty and putters only while it is full, and the
     * capacity is at least 1. So the queue's contents say which: when it is empty, these are
     * getters. One lot instead of two, because a queue is a thing there may be a million of (a
     * one-slot channel between two tasks, issue 14), and every object of it is one more cache
     * miss on each hand-off.
     */
    private final ParkingLot waiters = new ParkingLot(this::describeWaiters);
    /** Tasks in {@link #join()}; made on first use, as few queues are joined. */
    private ParkingLot joiners;

    /** For dumps (any thread, racy). */
    private io.jasyncio.diagnostics.Wait describeWaiters() {
        int size = racySize();
        return describeWait(size == 0 ? "get" : "put", size);
    }

    /** For dumps (any thread, racy). */
    private io.jasyncio.diagnostics.Wait describeJoiners() {
        return describeWait("join", racySize());
    }

    private io.jasyncio.diagnostics.Wait describeWait(String operation, int size) {
        return new io.jasyncio.diagnostics.Wait.OnQueue(toString(), operation, size, capacity);
    }

    /** The number of items, read from another thread (-1 if the read failed). */
    private int racySize() {
        try {
            return itemCount();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The waiting getters' count: the waiters are getters while the queue is empty. */
    private int getterCount() {
        return itemCount() == 0 ? waiters.size() : 0;
    }

    /** The waiting putters' count: the waiters are putters while the queue holds items. */
    private int putterCount() {
        return itemCount() == 0 ? 0 : waiters.size();
    }
    private int unfinished;
    private boolean shutdown, shutdownImmediate;

    private AsyncQueue(String order, boolean lifo, Priority<E> heap, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("AsyncQueue: capacity must be at least 1 (or use the unbounded factory): "
                    + capacity);
        }
        this.order = order;
        this.lifo = lifo;
        this.heap = heap;
        this.capacity = capacity;
        if (heap == null) {
            // Sized for the capacity when that is small: a one-slot queue (a channel between two
            // tasks, of which there may be a million) keeps a 1-slot array.
            ring = new Object[Math.min(capacity, 16)];
        }
    }

    // ------------------------------------------------------------------ factories

    /**
     * An unbounded first-in first-out queue (asyncio's {@code Queue()}).
     *
     * @param <E> the type of the items
     * @return a new, empty queue
     */
    public static <E> AsyncQueue<E> fifo() {
        return fifo(Integer.MAX_VALUE);
    }

    /**
     * A first-in first-out queue holding at most {@code capacity} items.
     *
     * @param <E> the type of the items
     * @param capacity the most items the queue holds, at least 1
     * @return a new, empty queue
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> AsyncQueue<E> fifo(int capacity) {
        return new AsyncQueue<>("fifo", false, null, capacity);
    }

    /**
     * An unbounded last-in first-out queue, a stack (asyncio's {@code LifoQueue()}).
     *
     * @param <E> the type of the items
     * @return a new, empty queue
     */
    public static <E> AsyncQueue<E> lifo() {
        return lifo(Integer.MAX_VALUE);
    }

    /**
     * A last-in first-out queue holding at most {@code capacity} items.
     *
     * @param <E> the type of the items
     * @param capacity the most items the queue holds, at least 1
     * @return a new, empty queue
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> AsyncQueue<E> lifo(int capacity) {
        return new AsyncQueue<>("lifo", true, null, capacity);
    }

    /**
     * An unbounded queue that gives out the least item first, by natural order (asyncio's
     * {@code PriorityQueue()}).
     *
     * @param <E> the type of the items, compared by their natural order
     * @return a new, empty queue
     */
    public static <E extends Comparable<? super E>> AsyncQueue<E> priority() {
        return priority(Integer.MAX_VALUE, Comparator.naturalOrder());
    }

    /**
     * An unbounded queue that gives out the least item first by {@code comparator}.
     *
     * @param <E> the type of the items
     * @param comparator the order in which items come out, least first
     * @return a new, empty queue
     */
    public static <E> AsyncQueue<E> priority(Comparator<? super E> comparator) {
        return priority(Integer.MAX_VALUE, comparator);
    }

    /**
     * A priority queue (least item first by {@code comparator}; equal items in the order they
     * were put) holding at most {@code capacity} items.
     *
     * @param <E> the type of the items
     * @param capacity the most items the queue holds, at least 1
     * @param comparator the order in which items come out, least first
     * @return a new, empty queue
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> AsyncQueue<E> priority(int capacity, Comparator<? super E> comparator) {
        return new AsyncQueue<>("priority", false, new Priority<>(Objects.requireNonNull(comparator, "comparator")), capacity);
    }

    // ------------------------------------------------------------------ insert

    /**
     * Puts {@code item} into the queue, suspending the current task while the queue is full.
     *
     * @param item the item to add, not null
     * @throws QueueShutdownException         if the queue is shut down, now or while waiting
     *                                        (the item was then not added)
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting (the item was
     *                                        not added)
     * @throws NullPointerException           if {@code item} is null
     */
    public void put(E item) {
        Objects.requireNonNull(item, "item");
        Task<?> me = taskFor("AsyncQueue.put");
        if (shutdown) {
            throw shutDown("put");
        }
        if (insert(item)) {
            return;
        }
        if (waiters.park(me, item) == SHUT_DOWN) { // full: the waiters are putters
            throw new QueueShutdownException("the queue was shut down while put() waited; the item was not added");
        }
    }

    /**
     * Puts {@code item} into the queue without suspending (asyncio's {@code put_nowait}).
     *
     * @param item the item to add, not null
     * @throws QueueFullException     if the queue is full
     * @throws QueueShutdownException if the queue is shut down
     */
    public void putNow(E item) {
        Objects.requireNonNull(item, "item");
        checkLoop("AsyncQueue.putNow");
        if (shutdown) {
            throw shutDown("putNow");
        }
        if (!insert(item)) {
            throw new QueueFullException("the queue is full (capacity " + capacity + ")");
        }
    }

    /**
     * Puts {@code item} into the queue if there is room, without suspending.
     *
     * @param item the item to add, not null
     * @return false if the queue is full
     * @throws QueueShutdownException if the queue is shut down (a shut-down queue will never have
     *                                room, so this is an error rather than false)
     */
    public boolean offer(E item) {
        Objects.requireNonNull(item, "item");
        checkLoop("AsyncQueue.offer");
        if (shutdown) {
            throw shutDown("offer");
        }
        return insert(item);
    }

    /** Hands the item to the first waiting getter, or stores it if there is room. */
    private boolean insert(E item) {
        int size = itemCount();
        if (size == 0) {
            ParkingLot.Ticket getter = waiters.poll(); // empty: the waiters are getters
            if (getter != null) {
                unfinished++;
                getter.wake(item);
                return true;
            }
        }
        if (size < capacity) {
            unfinished++;
            addItem(item);
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ remove

    /**
     * Removes and returns the next item, suspending the current task while the queue is empty.
     *
     * @return the item removed
     * @throws QueueShutdownException         if the queue is shut down and empty, now or while
     *                                        waiting
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting (no item was
     *                                        taken)
     */
    @SuppressWarnings("unchecked")
    public E get() {
        Task<?> me = taskFor("AsyncQueue.get");
        if (itemCount() > 0) {
            return take();
        }
        if (shutdown) {
            throw shutDown("get");
        }
        Object v = waiters.park(me); // empty: the waiters are getters
        if (v == SHUT_DOWN) {
            throw new QueueShutdownException("the queue was shut down while get() waited");
        }
        return (E) v;
    }

    /**
     * Removes and returns the next item without suspending (asyncio's {@code get_nowait}).
     *
     * @return the item removed
     * @throws QueueEmptyException    if the queue is empty
     * @throws QueueShutdownException if the queue is shut down and empty
     */
    public E getNow() {
        checkLoop("AsyncQueue.getNow");
        if (itemCount() > 0) {
            return take();
        }
        if (shutdown) {
            throw shutDown("getNow");
        }
        throw new QueueEmptyException("the queue is empty");
    }

    /**
     * Removes and returns the next item if there is one, without suspending.
     *
     * @return the item, or null if the queue is empty
     * @throws QueueShutdownException if the queue is shut down and empty (it will stay empty, so
     *                                this is an error rather than null)
     */
    public E poll() {
        checkLoop("AsyncQueue.poll");
        if (itemCount() > 0) {
            return take();
        }
        if (shutdown) {
            throw shutDown("poll");
        }
        return null;
    }

    /** Takes the next item and lets the first waiting putter's item into the freed slot. */
    @SuppressWarnings("unchecked")
    private E take() {
        E item = pollItem();
        ParkingLot.Ticket putter = waiters.poll(); // it held an item: the waiters are putters
        if (putter != null) {
            unfinished++;
            addItem((E) putter.item());
            putter.wake(null);
        }
        return item;
    }

    // ------------------------------------------------------------------ join

    /**
     * Marks one item taken from the queue as fully processed; when every item put has been
     * marked, tasks in {@link #join()} resume.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        checkLoop("AsyncQueue.taskDone");
        if (unfinished <= 0) {
            throw new IllegalStateException("AsyncQueue.taskDone() called more times than items were put");
        }
        if (--unfinished == 0 && joiners != null) {
            joiners.wakeAll(null);
        }
    }

    /**
     * Suspends the current task until every item put has been marked with {@link #taskDone()};
     * returns at once if none is unfinished.
     *
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting
     */
    public void join() {
        Task<?> me = taskFor("AsyncQueue.join");
        if (unfinished == 0) {
            return;
        }
        if (joiners == null) {
            joiners = new ParkingLot(this::describeJoiners);
        }
        joiners.park(me);
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Shuts the queue down gracefully: puts fail from now on and waiting putters wake with
     * {@link QueueShutdownException}; gets still return the items left, then fail, and waiting
     * getters (the queue is empty if there are any) wake with the exception. Idempotent.
     */
    public void shutdown() {
        checkLoop("AsyncQueue.shutdown");
        shutdown = true;
        waiters.wakeAll(SHUT_DOWN);
    }

    /**
     * Shuts the queue down at once: like {@link #shutdown()}, and also removes every queued item,
     * counting each as done for {@link #join()} (which may resume), and returns them in the order
     * they would have been got. Callable after {@code shutdown()}, to drop what is left.
     *
     * @return the items removed, possibly empty
     */
    public List<E> shutdownNow() {
        checkLoop("AsyncQueue.shutdownNow");
        shutdown = true;
        shutdownImmediate = true;
        List<E> dropped = new ArrayList<>(itemCount());
        E item;
        while ((item = pollItem()) != null) {
            dropped.add(item);
        }
        unfinished = Math.max(0, unfinished - dropped.size());
        if (unfinished == 0 && joiners != null) {
            joiners.wakeAll(null);
        }
        waiters.wakeAll(SHUT_DOWN);
        return dropped;
    }

    /**
     * True once {@link #shutdown()} or {@link #shutdownNow()} has been called.
     *
     * @return whether the queue is shut down
     */
    public boolean isShutdown() {
        checkLoop("AsyncQueue.isShutdown");
        return shutdown;
    }

    private QueueShutdownException shutDown(String what) {
        return new QueueShutdownException(what + "() on a shut-down queue" + (what.startsWith("put") || what.equals("offer")
                ? "" : " with no items left"));
    }

    // ------------------------------------------------------------------ state

    /**
     * The number of items in the queue (asyncio's {@code qsize()}).
     *
     * @return the number of items held now
     */
    public int size() {
        checkLoop("AsyncQueue.size");
        return itemCount();
    }

    /**
     * True if the queue holds no item.
     *
     * @return whether the queue is empty
     */
    public boolean isEmpty() {
        checkLoop("AsyncQueue.isEmpty");
        return itemCount() == 0;
    }

    /**
     * True if the queue holds {@link #capacity()} items; never for an unbounded queue.
     *
     * @return whether the queue is full
     */
    public boolean isFull() {
        checkLoop("AsyncQueue.isFull");
        return itemCount() >= capacity;
    }

    /**
     * The most items the queue holds; {@link Integer#MAX_VALUE} for an unbounded queue.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The number of items put and not yet marked with {@link #taskDone()}.
     *
     * @return the number of unfinished items; {@link #join()} returns when it reaches 0
     */
    public int unfinishedTasks() {
        checkLoop("AsyncQueue.unfinishedTasks");
        return unfinished;
    }

    /**
     * The number of tasks suspended in {@link #get()}.
     *
     * @return the number of waiting getters
     */
    public int waitingGetters() {
        checkLoop("AsyncQueue.waitingGetters");
        return getterCount();
    }

    /**
     * The number of tasks suspended in {@link #put}.
     *
     * @return the number of waiting putters
     */
    public int waitingPutters() {
        checkLoop("AsyncQueue.waitingPutters");
        return putterCount();
    }

    /** {@code AsyncQueue[fifo, size=1, capacity=2, getters=0, putters=0, unfinished=1]} and a shutdown mark. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("AsyncQueue[").append(order).append(", size=").append(itemCount());
        if (capacity != Integer.MAX_VALUE) {
            b.append(", capacity=").append(capacity);
        }
        if (!waiters.isEmpty()) {
            b.append(itemCount() == 0 ? ", getters=" : ", putters=").append(waiters.size());
        }
        if (unfinished > 0) {
            b.append(", unfinished=").append(unfinished);
        }
        if (shutdown) {
            b.append(shutdownImmediate ? ", shutdown-immediate" : ", shutdown");
        }
        return b.append(']').toString();
    }

    // ------------------------------------------------------------------ storage

    /** The number of items held (also read racily by dumps on another thread). */
    private int itemCount() {
        Priority<E> h = heap;
        return h == null ? count : h.size();
    }

    private void addItem(E item) {
        if (heap != null) {
            heap.add(item);
            return;
        }
        Object[] r = ring;
        if (count == r.length) {
            r = grow();
        }
        int i = head + count;
        r[i >= r.length ? i - r.length : i] = item;
        count++;
    }

    /** The next item in the queue's order (the oldest, or the newest for LIFO), or null if empty. */
    @SuppressWarnings("unchecked")
    private E pollItem() {
        if (heap != null) {
            return heap.poll();
        }
        if (count == 0) {
            return null;
        }
        Object[] r = ring;
        int i;
        if (lifo) {
            i = head + count - 1;
            if (i >= r.length) {
                i -= r.length;
            }
        } else {
            i = head;
            head = i + 1 == r.length ? 0 : i + 1;
        }
        count--;
        E item = (E) r[i];
        r[i] = null;
        return item;
    }

    /** A larger ring, the items moved to its start in order; only below the capacity. */
    private Object[] grow() {
        Object[] r = ring;
        int n = (int) Math.min((long) capacity, Math.max(16L, 2L * r.length));
        if (n <= r.length) {
            throw new OutOfMemoryError("AsyncQueue: cannot hold more than " + r.length + " items");
        }
        Object[] g = new Object[n];
        int first = Math.min(count, r.length - head);
        System.arraycopy(r, head, g, 0, first);
        System.arraycopy(r, 0, g, first, count - first);
        head = 0;
        return ring = g;
    }

    /** A heap of (item, arrival number) pairs: equal items keep their arrival order. */
    private static final class Priority<E> {
        private record Entry<E>(E item, long seq) {
        }

        private final PriorityQueue<Entry<E>> heap;
        private long seq;

        Priority(Comparator<? super E> order) {
            Comparator<Entry<E>> byItem = (a, b) -> order.compare(a.item(), b.item());
            this.heap = new PriorityQueue<>(byItem.thenComparingLong(Entry::seq));
        }

        void add(E item) {
            heap.add(new Entry<>(item, seq++));
        }

        E poll() {
            Entry<E> e = heap.poll();
            return e == null ? null : e.item();
        }

        int size() {
            return heap.size();
        }
    }
}
