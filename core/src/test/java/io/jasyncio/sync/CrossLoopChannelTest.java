package io.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopGroup;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CrossLoopChannelTest {

    private final List<ErrorReport> reports = new CopyOnWriteArrayList<>();

    private LoopGroup group(int n) {
        return LoopGroup.builder().loops(n).exceptionHandler((loop, r) -> reports.add(r)).build();
    }

    @Test
    void itemsArriveInOrderAcrossTwoThreads() {
        LoopGroup g = group(2);
        List<Integer> got = g.run(() -> {
            CrossLoopChannel<Integer> ch = CrossLoopChannel.create(g.loop(0), g.loop(1), 16);
            Task<List<Integer>> receiver = Async.spawn(() -> Async.awaitOn(g.loop(1), () -> {
                List<Integer> out = new ArrayList<>();
                try {
                    while (true) {
                        out.add(ch.receive());
                    }
                } catch (CrossLoopChannelClosedException end) {
                    return out;
                }
            }));
            for (int i = 0; i < 10_000; i++) {
                ch.send(i);
            }
            ch.close();
            return receiver.await();
        });
        assertEquals(10_000, got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i));
        }
        assertEquals(List.of(), reports);
    }

    @Test
    void sendWaitsWhileCapacityItemsAreInFlight() {
        LoopGroup g = group(2);
        g.run(() -> {
            CrossLoopChannel<String> ch = CrossLoopChannel.create(g.loop(0), g.loop(1), 3);
            assertTrue(ch.trySend("a"));
            assertTrue(ch.trySend("b"));
            assertTrue(ch.trySend("c"));
            assertFalse(ch.trySend("d"), "three in flight: no room");
            Task<Void> blocked = Async.spawn(() -> {
                ch.send("d");
                return null;
            });
            Async.sleep(Duration.ofMillis(20));
            assertFalse(blocked.isDone(), "send suspends while the channel is full");
            assertEquals("a", Async.awaitOn(g.loop(1), ch::receive));
            blocked.await(Duration.ofSeconds(10)); // one receive frees one credit
            assertEquals(List.of("b", "c", "d"), Async.awaitOn(g.loop(1),
                    () -> List.of(ch.receive(), ch.receive(), ch.receive())));
            return null;
        });
    }

    @Test
    void closingEitherSideIsTyped() {
        LoopGroup g = group(2);
        g.run(() -> {
            CrossLoopChannel<String> ch = CrossLoopChannel.create(g.loop(0), g.loop(1), 8);
            ch.send("last");
            ch.close();
            assertThrows(CrossLoopChannelClosedException.class, () -> ch.send("more"));
            String outcome = Async.awaitOn(g.loop(1), () -> {
                String item = ch.receive();
                CrossLoopChannelClosedException e = assertThrows(CrossLoopChannelClosedException.class, ch::receive);
                return item + " / " + e.getMessage();
            });
            assertTrue(outcome.startsWith("last / "), outcome);

            CrossLoopChannel<String> back = CrossLoopChannel.create(g.loop(0), g.loop(1), 1);
            back.send("x");
            Task<Void> waiting = Async.spawn(() -> {
                back.send("y"); // no room: waits, then the receiver closes
                return null;
            });
            Async.yieldNow();
            Async.awaitOn(g.loop(1), () -> {
                back.closeReceiver();
                return null;
            });
            CrossLoopChannelClosedException e = assertThrows(CrossLoopChannelClosedException.class, waiting::await);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            return null;
        });
    }

    @Test
    void eachSideRefusesCallsFromTheOtherLoop() {
        LoopGroup g = group(2);
        g.run(() -> {
            CrossLoopChannel<String> ch = CrossLoopChannel.create(g.loop(0), g.loop(1), 8);
            WrongThreadException e = assertThrows(WrongThreadException.class, ch::receive);
            assertTrue(e.getMessage().contains("Async.awaitOn"), e.getMessage());
            Async.awaitOn(g.loop(1), () -> assertThrows(WrongThreadException.class, () -> ch.send("no")));
            return null;
        });
    }

    @Test
    void everyItemIsReceivedExactlyOnceWhileBothSidesAreCancelledAtRandom() {
        for (int round = 0; round < 3; round++) {
            ExactlyOnce.Result r = ExactlyOnce.run(group(2), round);
            assertTrue(r.cancelledSends() > 0 && r.cancelledReceives() > 0,
                    "both sides were cancelled (sends " + r.cancelledSends() + ", receives " + r.cancelledReceives() + ")");
            assertEquals(r.sent(), new HashSet<>(r.received()), "what was sent is what was received");
            assertEquals(r.received().size(), new HashSet<>(r.received()).size(), "nothing received twice");
        }
        assertEquals(List.of(), reports);
    }

    /**
     * Senders on loop 0 and receivers on loop 1, each send and receive under a random short
     * timeout, so tasks of both sides are cancelled while waiting and just after being handed
     * their credit or item. Shared by the threaded test here and the interleaved, seeded one in
     * the testing module.
     */
    public static final class ExactlyOnce {
        /** What a run saw. */
        public record Result(Set<Integer> sent, List<Integer> received, int cancelledSends, int cancelledReceives) {
        }

        public static Result run(LoopGroup g, long seed) {
            return g.run(() -> {
                EventLoop sending = g.loop(0);
                EventLoop receiving = g.loop(g.size() - 1);
                CrossLoopChannel<Integer> ch = CrossLoopChannel.create(sending, receiving, 4);
                Set<Integer> sent = new HashSet<>();
                int[] cancelled = new int[2];
                Task<List<Integer>> receivers = Async.spawn(() -> Async.awaitOn(receiving, () -> receiveAll(ch, seed, cancelled)));
                SplittableRandom rnd = new SplittableRandom(seed);
                List<Task<Void>> senders = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    int base = s * 1000;
                    long senderSeed = rnd.nextLong();
                    senders.add(Async.spawn(() -> {
                        SplittableRandom r = new SplittableRandom(senderSeed);
                        for (int i = 0; i < 300; i++) {
                            int item = base + i;
                            boolean[] ok = {false};
                            Async.moveOnAfter(Duration.ofNanos(r.nextLong(200_000)), () -> {
                                ch.send(item);
                                ok[0] = true; // no suspension between the send returning and this
                                return null;
                            });
                            if (ok[0]) {
                                sent.add(item);
                            } else {
                                cancelled[0]++;
                            }
                        }
                        return null;
                    }));
                }
                Async.gather(senders);
                ch.close();
                List<Integer> received = receivers.await();
                return new Result(sent, received, cancelled[0], cancelled[1]);
            });
        }

        private static List<Integer> receiveAll(CrossLoopChannel<Integer> ch, long seed, int[] cancelled) {
            List<Integer> received = new ArrayList<>();
            SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
            List<Task<Void>> tasks = new ArrayList<>();
            int[] cancelledHere = {0};
            for (int k = 0; k < 3; k++) {
                long rs = rnd.nextLong();
                tasks.add(Async.spawn(() -> {
                    SplittableRandom r = new SplittableRandom(rs);
                    while (true) {
                        boolean[] ended = {false};
                        boolean[] got = {false};
                        Async.moveOnAfter(Duration.ofNanos(r.nextLong(300_000)), () -> {
                            try {
                                received.add(ch.receive());
                                got[0] = true;
                            } catch (CrossLoopChannelClosedException end) {
                                ended[0] = true;
                            }
                            return null;
                        });
                        if (ended[0]) {
                            return null;
                        }
                        if (!got[0]) {
                            cancelledHere[0]++;
                        }
                    }
                }));
            }
            Async.gather(tasks);
            // Counted on this loop, read on the other once this task has finished: a message boundary.
            synchronized (cancelled) {
                cancelled[1] = cancelledHere[0];
            }
            return received;
        }
    }
}
