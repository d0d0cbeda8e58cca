package io.jasyncio.sync;

import static io.jasyncio.sync.SyncTesting.go;
import static io.jasyncio.sync.SyncTesting.ms;
import static io.jasyncio.sync.SyncTesting.run;
import static io.jasyncio.sync.SyncTesting.tick;
import static io.jasyncio.sync.SyncTesting.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncQueueTest {

    private static <E> List<E> drain(AsyncQueue<E> q) {
        List<E> out = new ArrayList<>();
        E e;
        while ((e = q.poll()) != null) {
            out.add(e);
        }
        return out;
    }

    // ------------------------------------------------------------------ order

    @Test
    void fifoLifoAndPriorityOrders() {
        run(() -> {
            AsyncQueue<Integer> fifo = AsyncQueue.fifo();
            AsyncQueue<Integer> lifo = AsyncQueue.lifo();
            AsyncQueue<Integer> prio = AsyncQueue.priority();
            AsyncQueue<Integer> reversed = AsyncQueue.priority(Comparator.reverseOrder());
            for (int i : new int[] {1, 3, 2}) {
                fifo.put(i);
                lifo.put(i);
                prio.put(i);
                reversed.put(i);
            }
            assertEquals(List.of(1, 3, 2), drain(fifo));
            assertEquals(List.of(2, 3, 1), drain(lifo));
            assertEquals(List.of(1, 2, 3), drain(prio));
            assertEquals(List.of(3, 2, 1), drain(reversed));
            return null;
        });
    }

    record Job(int priority, String name) {
    }

    @Test
    void equalPrioritiesComeOutInTheOrderTheyWerePut() {
        run(() -> {
            AsyncQueue<Job> q = AsyncQueue.priority(10, Comparator.comparingInt(Job::priority));
            for (String n : List.of("a", "b", "c")) {
                q.put(new Job(1, n));
                q.put(new Job(0, n.toUpperCase()));
            }
            List<String> names = drain(q).stream().map(Job::name).toList();
            assertEquals(List.of("A", "B", "C", "a", "b", "c"), names);
            return null;
        });
    }

    // ------------------------------------------------------------------ suspending only when needed

    @Test
    void putAndGetSuspendOnlyWhenFullOrEmpty() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo(2);
            List<String> log = new ArrayList<>();
            Task<?> other = go(() -> log.add("other ran"));
            q.put("a");
            q.put("b");
            assertEquals("a", q.get());
            assertEquals("b", q.get());
            assertTrue(log.isEmpty(), "nothing suspended, so the other task has not run");
            other.await();
            return null;
        });
    }

    @Test
    void boundedPutWaitsForRoomAndWaitingPuttersEnterInFifoOrder() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo(1);
            q.put("first");
            List<Task<?>> putters = new ArrayList<>();
            for (String s : List.of("p1", "p2", "p3")) {
                putters.add(go(() -> q.put(s)));
                int waiting = putters.size();
                until(s + " waits", () -> q.waitingPutters() == waiting); // they wait in order p1, p2, p3
            }
            assertEquals(3, q.waitingPutters());
            assertEquals(0, q.waitingGetters());
            assertEquals("AsyncQueue[fifo, size=1, capacity=1, putters=3, unfinished=1]", q.toString());
            assertTrue(q.isFull());
            assertFalse(q.offer("jumper"), "a newcomer cannot overtake waiting putters");
            assertEquals("first", q.get());
            // The freed slot was filled by p1's item at once.
            assertEquals(1, q.size());
            assertEquals(2, q.waitingPutters());
            assertEquals(List.of("p1", "p2", "p3"), List.of(q.get(), q.get(), q.get()));
            for (Task<?> t : putters) {
                t.await();
            }
            assertEquals(4, q.unfinishedTasks());
            return null;
        });
    }

    @Test
    void putHandsItemsToWaitingGettersInFifoOrder() {
        run(() -> {
            AsyncQueue<Integer> q = AsyncQueue.lifo();
            List<Task<Integer>> getters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                getters.add(Async.spawn(q::get));
                int waiting = i + 1;
                until("getter " + i + " waits", () -> q.waitingGetters() == waiting); // in order 0, 1, 2
            }
            assertEquals(3, q.waitingGetters());
            assertEquals(0, q.waitingPutters());
            assertEquals("AsyncQueue[lifo, size=0, getters=3]", q.toString());
            q.put(10);
            q.putNow(20);
            assertTrue(q.offer(30));
            assertEquals(0, q.size(), "each item went straight to a getter");
            assertEquals(List.of(10, 20, 30), List.of(getters.get(0).await(), getters.get(1).await(), getters.get(2).await()));
            return null;
        });
    }

    @Test
    void nonSuspendingVariantsFailClearly() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo(1);
            assertNull(q.poll());
            QueueEmptyException empty = assertThrows(QueueEmptyException.class, q::getNow);
            assertInstanceOf(NoSuchElementException.class, empty);
            q.putNow("x");
            QueueFullException full = assertThrows(QueueFullException.class, () -> q.putNow("y"));
            assertInstanceOf(IllegalStateException.class, full);
            assertTrue(full.getMessage().contains("capacity 1"));
            assertFalse(q.offer("y"));
            assertEquals("x", q.getNow());
            assertThrows(NullPointerException.class, () -> q.offer(null));
            assertThrows(NullPointerException.class, () -> q.putNow(null));
            assertThrows(NullPointerException.class, () -> q.put(null));
            return null;
        });
    }

    @Test
    void capacityMustBePositiveAndUnboundedIsMaxValue() {
        assertThrows(IllegalArgumentException.class, () -> AsyncQueue.fifo(0));
        assertThrows(IllegalArgumentException.class, () -> AsyncQueue.lifo(-1));
        assertThrows(IllegalArgumentException.class, () -> AsyncQueue.priority(0, Comparator.<Integer>naturalOrder()));
        assertEquals(Integer.MAX_VALUE, AsyncQueue.fifo().capacity());
        assertEquals(5, AsyncQueue.lifo(5).capacity());
        run(() -> {
            AsyncQueue<Integer> q = AsyncQueue.fifo();
            for (int i = 0; i < 10_000; i++) {
                q.putNow(i);
            }
            assertFalse(q.isFull());
            assertEquals(10_000, q.size());
            return null;
        });
    }

    // ------------------------------------------------------------------ cancellation and timeouts

    @Test
    void cancelledGetterTakesNothingAndTheNextGetterGetsTheItem() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo();
            Task<String> a = Async.spawn(q::get);
            Task<String> b = Async.spawn(q::get);
            until("a and b wait", () -> q.waitingGetters() == 2);
            a.cancel();
            assertEquals(1, q.waitingGetters());
            q.put("item");
            assertEquals("item", b.await());
            assertThrows(CancelledException.class, a::await);
            assertTrue(q.isEmpty());
            return null;
        });
    }

    @Test
    void getterHandedAnItemAndCancelledBeforeResumingStillReturnsIt() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo();
            List<String> got = new ArrayList<>();
            Task<Object> reader = go(() -> {
                got.add(q.get());
                tick();
                got.add("unreachable");
            });
            until("the reader waits", () -> q.waitingGetters() == 1);
            q.putNow("one");
            q.putNow("two");
            reader.cancel();
            assertThrows(CancelledException.class, reader::await);
            assertEquals(List.of("one"), got);
            assertEquals(List.of("two"), drain(q), "nothing dropped, nothing duplicated");
            return null;
        });
    }

    @Test
    void cancelledPutterAddsNothingAndAcceptedPutterCancelledLaterKeepsItsItemIn() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo(1);
            q.putNow("full");
            Task<Object> dropped = go(() -> q.put("cancelled put"));
            Task<Object> kept = go(() -> {
                q.put("accepted put");
                tick();
            });
            until("both putters wait", () -> q.waitingPutters() == 2);
            dropped.cancel();
            assertEquals(1, q.waitingPutters());
            assertEquals("full", q.getNow()); // lets "accepted put" in and wakes its task
            kept.cancel();                    // after the hand-off: its item stays
            assertThrows(CancelledException.class, dropped::await);
            assertThrows(CancelledException.class, kept::await);
            assertEquals(List.of("accepted put"), drain(q));
            assertEquals(2, q.unfinishedTasks(), "the cancelled put was never counted");
            return null;
        });
    }

    @Test
    void timeoutsLeaveNoWaiters() {
        VirtualTestClock clock = new VirtualTestClock();
        run(clock, () -> {
            AsyncQueue<String> q = AsyncQueue.fifo(1);
            long t0 = clock.nanoTime();
            assertNull(Async.moveOnAfter(ms(100), q::get));
            assertEquals(ms(100).toNanos(), clock.nanoTime() - t0);
            assertEquals(0, q.waitingGetters());
            q.put("a");
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(100), () -> {
                q.put("b");
                return null;
            }));
            assertEquals(0, q.waitingPutters());
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(100), () -> {
                q.join();
                return null;
            }));
            assertEquals(List.of("a"), drain(q));
            return null;
        });
    }

    @Test
    void tasksAlreadyCancelledDoNotRegisterAsWaiters() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo(1);
            q.put("x");
            CancelScope s = CancelScope.create();
            s.cancel();
            s.run(() -> {
                try {
                    q.put("y");
                } catch (CancelledException e) {
                    // level-triggered: the next suspension point throws again
                }
                try {
                    q.join();
                } catch (CancelledException e) {
                    // same
                }
                return q.get(); // not a suspension point: an item is there
            });
            assertEquals(0, q.waitingPutters());
            s = CancelScope.create();
            s.cancel();
            s.run(q::get);
            assertEquals(0, q.waitingGetters());
            q.put("z");
            assertEquals("z", q.get());
            return null;
        });
    }

    // ------------------------------------------------------------------ taskDone and join

    @Test
    void joinWaitsUntilEveryItemIsMarkedDone() {
        run(() -> {
            AsyncQueue<Integer> q = AsyncQueue.fifo();
            q.join(); // nothing unfinished: returns at once
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            int[] sum = {0};
            Task<Object> worker = go(() -> {
                while (true) {
                    int item = q.get();
                    Async.sleep(ms(1));
                    sum[0] += item;
                    q.taskDone();
                }
            });
            q.join();
            assertEquals(10, sum[0]);
            assertEquals(0, q.unfinishedTasks());
            worker.cancel();
            assertThrows(CancelledException.class, worker::await);
            return null;
        });
    }

    @Test
    void taskDoneMoreOftenThanPutsThrows() {
        run(() -> {
            AsyncQueue<Integer> q = AsyncQueue.fifo();
            assertThrows(IllegalStateException.class, q::taskDone);
            q.put(1);
            q.get();
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);
            return null;
        });
    }

    // ------------------------------------------------------------------ shutdown

    @Test
    void gracefulShutdownFailsPutsDrainsGetsThenFailsThem() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo(2);
            q.put("a");
            q.put("b");
            Task<Object> waitingPutter = go(() -> q.put("c"));
            until("the putter waits", () -> q.waitingPutters() == 1);
            q.shutdown();
            assertTrue(q.isShutdown());
            QueueShutdownException e = assertThrows(QueueShutdownException.class, waitingPutter::await);
            assertTrue(e.getMessage().contains("not added"), e.getMessage());
            assertThrows(QueueShutdownException.class, () -> q.put("d"));
            assertThrows(QueueShutdownException.class, () -> q.putNow("d"));
            assertThrows(QueueShutdownException.class, () -> q.offer("d"));
            assertEquals("a", q.get());
            assertEquals("b", q.poll());
            assertThrows(QueueShutdownException.class, q::get);
            assertThrows(QueueShutdownException.class, q::getNow);
            assertThrows(QueueShutdownException.class, q::poll);
            q.shutdown(); // idempotent
            return null;
        });
    }

    @Test
    void shutdownWakesWaitingGettersWithTheError() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.lifo();
            Task<String> g1 = Async.spawn(q::get);
            Task<String> g2 = Async.spawn(q::get);
            until("both getters wait", () -> q.waitingGetters() == 2);
            q.shutdown();
            assertThrows(QueueShutdownException.class, g1::await);
            assertThrows(QueueShutdownException.class, g2::await);
            assertEquals(0, q.waitingGetters());
            return null;
        });
    }

    @Test
    void shutdownNowDropsAndReturnsTheItemsAndReleasesJoin() {
        run(() -> {
            AsyncQueue<Integer> q = AsyncQueue.priority(3, Comparator.naturalOrder());
            q.put(3);
            q.put(1);
            q.put(2);
            assertEquals(1, q.get()); // taken but not done: still unfinished after the shutdown
            Task<Object> joiner = go(q::join);
            Task<Object> putter = go(() -> {
                q.put(0);
                q.put(9);
            });
            until("the putter waits with 9", () -> q.waitingPutters() == 1);
            List<Integer> dropped = q.shutdownNow();
            assertEquals(List.of(0, 2, 3), dropped, "in the order they would have been got");
            assertTrue(q.isEmpty());
            assertEquals(1, q.unfinishedTasks());
            assertThrows(QueueShutdownException.class, putter::await);
            tick();
            assertFalse(joiner.isDone());
            q.taskDone();
            joiner.await();
            assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals(List.of(), q.shutdownNow());
            assertEquals("AsyncQueue[priority, size=0, capacity=3, shutdown-immediate]", q.toString());
            return null;
        });
    }

    @Test
    void shutdownNowAfterShutdownDropsWhatIsLeft() {
        run(() -> {
            AsyncQueue<String> q = AsyncQueue.fifo();
            q.put("x");
            q.put("y");
            Task<Object> joiner = go(q::join);
            q.shutdown();
            assertEquals("x", q.get());
            q.taskDone();
            assertEquals(List.of("y"), q.shutdownNow());
            joiner.await();
            assertEquals(0, q.unfinishedTasks());
            return null;
        });
    }

    // ------------------------------------------------------------------ misc

    @Test
    void toStringShowsKindSizeWaitersAndState() {
        run(() -> {
            AsyncQueue<Integer> q = AsyncQueue.fifo(1);
            assertEquals("AsyncQueue[fifo, size=0, capacity=1]", q.toString());
            Task<Integer> g = Async.spawn(q::get);
            until("the getter waits", () -> q.waitingGetters() == 1);
            assertEquals("AsyncQueue[fifo, size=0, capacity=1, getters=1]", q.toString());
            q.put(1);
            q.put(2);
            Task<Object> p = go(() -> q.put(3));
            until("the putter waits", () -> q.waitingPutters() == 1);
            assertEquals("AsyncQueue[fifo, size=1, capacity=1, putters=1, unfinished=2]", q.toString());
            q.shutdown();
            assertEquals("AsyncQueue[fifo, size=1, capacity=1, unfinished=2, shutdown]", q.toString());
            assertEquals(1, g.await());
            assertThrows(QueueShutdownException.class, p::await);
            assertEquals("AsyncQueue[lifo, size=0]", AsyncQueue.lifo().toString());
            return null;
        });
    }

    @Test
    void feedingFromAnotherThreadGoesThroughTheLoop() {
        // The feeder thread wakes the loop on its own initiative: nothing the loop awaits.
        run(new VirtualTestClock().wokenFromOtherThreads(), () -> {
            AsyncQueue<String> q = AsyncQueue.fifo();
            var loop = Async.currentLoop();
            Throwable direct = Async.toThread(() -> {
                try {
                    q.putNow("direct");
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertInstanceOf(WrongThreadException.class, direct);
            assertTrue(direct.getMessage().startsWith("AsyncQueue.putNow called from thread"), direct.getMessage());
            Thread feeder = Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> q.putNow("via the loop")));
            assertEquals("via the loop", q.get());
            feeder.join();
            return null;
        });
    }

    @Test
    void fifoAndLifoKeepTheirOrderThroughWrapAroundAndGrowth() {
        // The queue's own ring buffer against java.util.ArrayDeque, under a fixed random mix of
        // offers and polls that wraps the ring around and grows it past its first size.
        run(() -> {
            for (boolean lifo : new boolean[] {false, true}) {
                for (int capacity : new int[] {1, 3, 16, 40, Integer.MAX_VALUE}) {
                    AsyncQueue<Integer> q = lifo ? AsyncQueue.lifo(capacity) : AsyncQueue.fifo(capacity);
                    java.util.ArrayDeque<Integer> model = new java.util.ArrayDeque<>();
                    java.util.Random random = new java.util.Random(capacity * 31L + (lifo ? 1 : 0));
                    int next = 0;
                    for (int step = 0; step < 5_000; step++) {
                        String where = (lifo ? "lifo(" : "fifo(") + capacity + ") step " + step;
                        if (random.nextInt(10) < 6) {
                            boolean room = model.size() < capacity;
                            assertEquals(room, q.offer(next), where);
                            if (room) {
                                model.addLast(next);
                            }
                            next++;
                        } else {
                            assertEquals(lifo ? model.pollLast() : model.pollFirst(), q.poll(), where);
                        }
                        assertEquals(model.size(), q.size(), where);
                    }
                    List<Integer> rest = new ArrayList<>();
                    while (!model.isEmpty()) {
                        rest.add(lifo ? model.pollLast() : model.pollFirst());
                    }
                    assertEquals(rest, q.shutdownNow());
                }
            }
            return null;
        });
    }
}
