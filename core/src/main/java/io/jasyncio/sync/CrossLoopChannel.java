package io.jasyncio.sync;

import io.jasyncio.EventLoop;
import io.jasyncio.LoopClosedException;
import io.jasyncio.Task;
import io.jasyncio.lowlevel.Loops;
import io.jasyncio.lowlevel.ParkingLot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;

/**
 * A bounded channel from tasks of one event loop (the sending loop) to tasks of another (the
 * receiving loop): Glommio's channel mesh and Seastar's {@code submit_to} queues, for a
 * {@link io.jasyncio.LoopGroup}. {@link #send} suspends while {@code capacity} items are in
 * flight (sent, not yet received), so a fast producer cannot outrun a slow consumer;
 * {@link #receive} suspends until an item arrives.
 *
 * <h2>Each side touches only its own loop's state</h2>
 * The fields below are split in two halves, each read and written only on its own loop's thread,
 * so neither side takes a lock or reads the other's memory. What crosses is messages through the
 * loops' thread-safe doors ({@link EventLoop#callSoonThreadsafe}), batched: items a sending loop
 * queues in one iteration travel as one message, and credits (room freed by receiving) return
 * the same way. A sender holds a credit per item in flight; it starts with {@code capacity}.
 *
 * <h2>Exactly once, under cancellation of either side</h2>
 * Waiting senders and receivers are served in FIFO order and follow the {@link ParkingLot} hand-off
 * protocol: a waiter is either still waiting (owed nothing) or has been handed its credit or item
 * (and then returns normally, even if cancelled meanwhile). So a {@code send} that returns has
 * put its item on the way, one that throws {@link io.jasyncio.CancelledException} has not, and
 * every item sent is received exactly once, unless the receiving side {@linkplain #closeReceiver
 * closes} first (then the items it held are dropped and {@link #droppedItems()} counts them).
 *
 * <h2>Closing</h2>
 * {@link #close()} (sending loop) ends the stream: receivers get the items already sent, then
 * {@link CrossLoopChannelClosedException}. {@link #closeReceiver()} (receiving loop) refuses further items:
 * senders get {@code CrossLoopChannelClosedException}. Either loop closing counts as its side closing.
 *
 * @param <T> the type of the items (not null)
 */
public final class CrossLoopChannel<T> {

    /** What a woken waiter is given instead of a credit or item: the channel has closed. */
    private static final Object CLOSED = new Object();
    /** What a woken sender is given: one credit. */
    private static final Object CREDIT = new Object();

    private final EventLoop sendingLoop;
    private final EventLoop receivingLoop;
    private final int capacity;

    // ---- the sending loop's half (touched only on sendingLoop's thread)
    private int credits;
    private final ParkingLot senders = new ParkingLot();
    private ArrayList<T> outbox = new ArrayList<>();
    private boolean flushScheduled;
    private boolean sendClosed;
    private boolean receiverGone;
    private long sent;
    private long batchesPosted;

    // ---- the receiving loop's half (touched only on receivingLoop's thread)
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private final ParkingLot receivers = new ParkingLot();
    private int creditsToReturn;
    private boolean creditFlushScheduled;
    private boolean senderDone;
    /** Items sent in all, once the sender's close message has said so; -1 before. */
    private long closedAfter = -1;
    /** Items that have arrived (delivered or dropped). */
    private long arrived;
    /** The sequence number of the next batch to deliver, and batches that came early. */
    private long nextBatch;
    private java.util.Map<Long, ArrayList<T>> early;
    private boolean receiveClosed;
    private long received;
    private long dropped;

    private CrossLoopChannel(EventLoop sendingLoop, EventLoop receivingLoop, int capacity) {
        this.sendingLoop = sendingLoop;
        this.receivingLoop = receivingLoop;
        this.capacity = capacity;
        this.credits = capacity;
    }

    /**
     * A channel from tasks of {@code sendingLoop} to tasks of {@code receivingLoop} with room for
     * {@code capacity} items in flight. Callable from any thread. The two loops may be the same
     * (then it is a bounded queue that pays for messages it does not need).
     *
     * @param <T> the item type
     * @param sendingLoop the loop whose tasks call {@link #send}
     * @param receivingLoop the loop whose tasks call {@link #receive}
     * @param capacity how many items may be in flight, at least 1
     * @return the channel
     */
    public static <T> CrossLoopChannel<T> create(EventLoop sendingLoop, EventLoop receivingLoop, int capacity) {
        Objects.requireNonNull(sendingLoop, "sendingLoop");
        Objects.requireNonNull(receivingLoop, "receivingLoop");
        if (capacity < 1) {
            throw new IllegalArgumentException("a cross-loop channel needs a capacity of at least 1, not " + capacity);
        }
        return new CrossLoopChannel<>(sendingLoop, receivingLoop, capacity);
    }

    /**
     * The loop whose tasks send.
     *
     * @return the sending loop
     */
    public EventLoop sendingLoop() {
        return sendingLoop;
    }

    /**
     * The loop whose tasks receive.
     *
     * @return the receiving loop
     */
    public EventLoop receivingLoop() {
        return receivingLoop;
    }

    /**
     * How many items may be in flight.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    // ------------------------------------------------------------------ sending side

    /**
     * Sends {@code item}, suspending while {@code capacity} items are in flight. Returns once the
     * item is on its way (it will be received exactly once, unless the receiving side closes).
     * Sending loop only, from a task.
     *
     * @param item the item, not null
     * @throws CrossLoopChannelClosedException if this side closed or the receiving side did, before the item could go
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting (the item was not sent)
     */
    public void send(T item) {
        Objects.requireNonNull(item, "item");
        Task<?> me = taskOn(sendingLoop, "send");
        checkSendable();
        if (credits > 0 && senders.isEmpty()) {
            credits--;
            enqueue(item);
            return;
        }
        Object given = senders.park(me);
        if (given == CLOSED) {
            checkSendable();
            throw new CrossLoopChannelClosedException("the channel closed while send waited for room");
        }
        enqueue(item); // we were handed a credit
    }

    /**
     * Sends {@code item} if there is room now; never suspends. Sending loop only.
     *
     * @param item the item, not null
     * @return true if sent, false if {@code capacity} items are in flight
     * @throws CrossLoopChannelClosedException if either side has closed
     */
    public boolean trySend(T item) {
        Objects.requireNonNull(item, "item");
        onLoop(sendingLoop, "trySend");
        checkSendable();
        if (credits > 0 && senders.isEmpty()) {
            credits--;
            enqueue(item);
            return true;
        }
        return false;
    }

    /**
     * Ends the stream from the sending side: no more sends; receivers get what was sent, then
     * {@link CrossLoopChannelClosedException}. Waiting senders get it at once. Sending loop only;
     * idempotent; does not suspend.
     */
    public void close() {
        onLoop(sendingLoop, "close");
        if (sendClosed) {
            return;
        }
        sendClosed = true;
        senders.wakeAll(CLOSED);
        flush();
        long total = sent;
        postToReceiver(() -> senderClosed(total));
    }

    /**
     * Items sent so far (sending loop only).
     *
     * @return the count of items sent
     */
    public long sentItems() {
        onLoop(sendingLoop, "sentItems");
        return sent;
    }

    private void checkSendable() {
        if (sendClosed) {
            throw new CrossLoopChannelClosedException("send on a closed channel: its sending side closed");
        }
        if (receiverGone) {
            throw new CrossLoopChannelClosedException("send on a channel whose receiving side (" + receivingLoop + ") closed");
        }
    }

    private void enqueue(T item) {
        sent++;
        outbox.add(item);
        if (!flushScheduled) {
            flushScheduled = true;
            sendingLoop.callSoon(this::flush); // after this iteration's other sends: one message for all
        }
    }

    private void flush() {
        flushScheduled = false;
        if (outbox.isEmpty()) {
            return;
        }
        ArrayList<T> batch = outbox;
        outbox = new ArrayList<>(Math.min(batch.size(), capacity));
        long seq = batchesPosted++;
        postToReceiver(() -> arrive(seq, batch));
    }

    private void postToReceiver(Runnable r) {
        try {
            receivingLoop.callSoonThreadsafe(r);
        } catch (LoopClosedException e) {
            receiverClosed(); // the receiving loop is gone: its side counts as closed
        }
    }

    /** On the sending loop: {@code n} items were received, so {@code n} more may go. */
    private void addCredits(int n) {
        credits += n;
        while (credits > 0) {
            ParkingLot.Ticket w = senders.poll();
            if (w == null) {
                break;
            }
            credits--;
            w.wake(CREDIT);
        }
    }

    /** On the sending loop: the receiving side has closed. */
    private void receiverClosed() {
        receiverGone = true;
        senders.wakeAll(CLOSED);
    }

    // ------------------------------------------------------------------ receiving side

    /**
     * The next item, suspending until one arrives. Receiving loop only, from a task.
     *
     * @return the item
     * @throws CrossLoopChannelClosedException once the sending side has closed and every item sent has been
     *     received, or if this side closed
     * @throws io.jasyncio.CancelledException if the task is cancelled while waiting (no item was taken)
     */
    public T receive() {
        Task<?> me = taskOn(receivingLoop, "receive");
        if (receiveClosed) {
            throw new CrossLoopChannelClosedException("receive on a channel whose receiving side closed");
        }
        if (!buffer.isEmpty() && receivers.isEmpty()) {
            return take();
        }
        if (senderDone && buffer.isEmpty()) {
            throw endOfStream();
        }
        Object given = receivers.park(me);
        if (given == CLOSED) {
            throw receiveClosed ? new CrossLoopChannelClosedException("the receiving side closed while receive waited")
                    : endOfStream();
        }
        @SuppressWarnings("unchecked")
        T item = (T) given;
        return item;
    }

    /**
     * The next item if one is here now, else null; never suspends. Receiving loop only.
     *
     * @return an item, or null
     * @throws CrossLoopChannelClosedException if the stream has ended (see {@link #receive()})
     */
    public T tryReceive() {
        onLoop(receivingLoop, "tryReceive");
        if (receiveClosed) {
            throw new CrossLoopChannelClosedException("tryReceive on a channel whose receiving side closed");
        }
        if (!buffer.isEmpty() && receivers.isEmpty()) {
            return take();
        }
        if (senderDone && buffer.isEmpty()) {
            throw endOfStream();
        }
        return null;
    }

    /**
     * Closes the receiving side: items held here are dropped (counted by {@link #droppedItems()}),
     * waiting receivers get {@link CrossLoopChannelClosedException}, and so will senders. Receiving loop
     * only; idempotent; does not suspend.
     */
    public void closeReceiver() {
        onLoop(receivingLoop, "closeReceiver");
        if (receiveClosed) {
            return;
        }
        receiveClosed = true;
        dropped += buffer.size();
        buffer.clear();
        receivers.wakeAll(CLOSED);
        try {
            sendingLoop.callSoonThreadsafe(this::receiverClosed);
        } catch (LoopClosedException ignored) {
            // the sending side is gone already
        }
    }

    /**
     * Items here, arrived and not yet received (receiving loop only).
     *
     * @return the number of buffered items
     */
    public int buffered() {
        onLoop(receivingLoop, "buffered");
        return buffer.size();
    }

    /**
     * Items received so far (receiving loop only).
     *
     * @return the count
     */
    public long receivedItems() {
        onLoop(receivingLoop, "receivedItems");
        return received;
    }

    /**
     * Items that arrived after, or were held when, the receiving side closed (receiving loop only).
     *
     * @return the count of dropped items
     */
    public long droppedItems() {
        onLoop(receivingLoop, "droppedItems");
        return dropped;
    }

    private CrossLoopChannelClosedException endOfStream() {
        return new CrossLoopChannelClosedException("the channel's sending side closed and every item sent has been received");
    }

    private T take() {
        T item = buffer.poll();
        received++;
        returnCredit();
        return item;
    }

    /**
     * On the receiving loop: batch {@code seq} arrives. Messages are numbered rather than trusted
     * to arrive in order: a loop runs what one iteration collected in any order it likes (a seeded
     * test loop shuffles it), so batch 7 and the close may come before batch 6.
     */
    private void arrive(long seq, ArrayList<T> batch) {
        if (seq != nextBatch) {
            if (early == null) {
                early = new java.util.HashMap<>();
            }
            early.put(seq, batch);
            return;
        }
        deliver(batch);
        nextBatch++;
        if (early != null) {
            ArrayList<T> next;
            while ((next = early.remove(nextBatch)) != null) {
                deliver(next);
                nextBatch++;
            }
        }
        checkEnd();
    }

    /** On the receiving loop: a batch of items, in order. */
    private void deliver(ArrayList<T> batch) {
        arrived += batch.size();
        if (receiveClosed) {
            dropped += batch.size();
            return;
        }
        buffer.addAll(batch);
        while (!buffer.isEmpty()) {
            ParkingLot.Ticket w = receivers.poll();
            if (w == null) {
                break;
            }
            T item = buffer.poll();
            received++;
            returnCredit();
            w.wake(item); // handed over: the woken receiver owns it even if cancelled now
        }
    }

    /** On the receiving loop: the sender closed after sending {@code total} items. */
    private void senderClosed(long total) {
        closedAfter = total;
        checkEnd();
    }

    /** The stream has ended once the close has come and every item sent before it has arrived. */
    private void checkEnd() {
        if (closedAfter < 0 || arrived != closedAfter || senderDone) {
            return;
        }
        senderDone = true;
        if (buffer.isEmpty()) {
            receivers.wakeAll(CLOSED);
        }
    }

    private void returnCredit() {
        creditsToReturn++;
        if (!creditFlushScheduled) {
            creditFlushScheduled = true;
            receivingLoop.callSoon(this::flushCredits);
        }
    }

    private void flushCredits() {
        creditFlushScheduled = false;
        int n = creditsToReturn;
        creditsToReturn = 0;
        if (n > 0) {
            try {
                sendingLoop.callSoonThreadsafe(() -> addCredits(n));
            } catch (LoopClosedException ignored) {
                // nobody is left to send
            }
        }
    }

    // ------------------------------------------------------------------ checks

    private void onLoop(EventLoop owner, String what) {
        EventLoop here = Loops.currentOrNull();
        if (here != owner) {
            throw new WrongThreadException("CrossLoopChannel." + what + " called "
                    + (here == null ? "from thread '" + Thread.currentThread().getName() + "', which runs no event loop"
                            : "on " + here)
                    + ", but that side of the channel belongs to " + owner + ". Send from the sending loop and receive"
                    + " on the receiving loop; to act on another loop use Async.awaitOn(loop, ...) or loop.submit(...).");
        }
    }

    private Task<?> taskOn(EventLoop owner, String what) {
        onLoop(owner, what);
        Task<?> t = owner.currentTask();
        if (t == null) {
            throw new IllegalStateException("CrossLoopChannel." + what + " may suspend, so it must be called from a task,"
                    + " not a plain callback; try" + Character.toUpperCase(what.charAt(0)) + what.substring(1)
                    + " never suspends");
        }
        return t;
    }

    @Override
    public String toString() {
        return "CrossLoopChannel[" + sendingLoop + " -> " + receivingLoop + ", capacity=" + capacity + "]";
    }
}
