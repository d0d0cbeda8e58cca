package io.jasyncio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopGroup;
import io.jasyncio.Task;
import io.jasyncio.sync.CrossLoopChannel;
import io.jasyncio.time.DeadlockException;
import io.jasyncio.sync.CrossLoopChannelClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bank race of docs/testing.md across loops: the account lives on loop 0, Alice's cash
 * machine on loop 1 and Bob's app on loop 2. Each checks the balance with one cross-loop call and
 * withdraws with another: a check-then-act across two messages.
 */
class CrossLoopRaceTest {

    /** Loop 0's state; touched only by tasks of loop 0 (the calls come in through Async.awaitOn). */
    static final class Account {
        long balance = 100;
        final List<String> log = new ArrayList<>();
    }

    static List<String> scenario(LoopGroup group) {
        Account account = new Account();
        EventLoop bank = group.loop(0);
        Task<Boolean> alice = Async.spawn(() -> Async.awaitOn(group.loop(1), () -> withdraw(bank, account, "alice", 80)));
        Task<Boolean> bob = Async.spawn(() -> Async.awaitOn(group.loop(2), () -> {
            Async.sleep(Duration.ofMillis(20)); // logging in
            return withdraw(bank, account, "bob", 50);
        }));
        Async.gather(alice, bob);
        if (account.balance < 0) {
            throw new AssertionError("account overdrawn: balance " + account.balance + " after " + account.log);
        }
        return account.log;
    }

    /** Runs on the customer's loop: check on the bank's loop, then act there in a second call. */
    private static boolean withdraw(EventLoop bank, Account account, String who, long amount) {
        long seen = Async.awaitOn(bank, () -> account.balance);
        Async.sleep(Duration.ofMillis(20)); // the fraud check: any other loop may act meanwhile
        if (seen < amount) {
            Async.awaitOn(bank, () -> account.log.add(who + " is refused " + amount));
            return false;
        }
        Async.awaitOn(bank, () -> {
            account.balance -= amount; // acts on a balance that may have changed since the check
            return account.log.add(who + " withdraws " + amount + ": balance " + account.balance);
        });
        return true;
    }

    @Test
    void theRoundRobinScheduleHidesTheRace() throws Exception {
        assertEquals(List.of("alice withdraws 80: balance 20", "bob is refused 50"),
                GroupTestRun.fifo(3).run(CrossLoopRaceTest::scenario));
    }

    @Test
    void aSeedFindsTheRaceAndReplaysItTenTimesOutOfTen() {
        Optional<AsyncTestRun.SeedFailure> found = GroupTestRun.findFailingSeed(3, 0, 200, CrossLoopRaceTest::scenario);
        assertTrue(found.isPresent(), "200 seeds should expose the race");
        AssertionError first = assertInstanceOf(AssertionError.class, found.get().failure());
        assertTrue(first.getMessage().startsWith("account overdrawn: balance -30"), first.getMessage());
        long seed = found.get().seed();
        for (int i = 0; i < 10; i++) {
            AssertionError again = assertThrows(AssertionError.class,
                    () -> GroupTestRun.seeded(3, seed).run(CrossLoopRaceTest::scenario));
            assertEquals(first.getMessage(), again.getMessage(), "seed " + seed + ", replay " + (i + 1));
        }
    }

    @Test
    void theSameSeedGivesTheSameInterleavingAndVirtualTime() throws Exception {
        GroupTestRun a = GroupTestRun.seeded(3, 5);
        GroupTestRun b = GroupTestRun.seeded(3, 5);
        assertEquals(channelTrace(a), channelTrace(b));
        assertEquals(a.clock().elapsed(), b.clock().elapsed());
    }

    private static List<String> channelTrace(GroupTestRun run) throws Exception {
        return run.run(group -> {
            List<String> trace = new ArrayList<>();
            CrossLoopChannel<Integer> ch = CrossLoopChannel.create(group.loop(1), group.loop(2), 2);
            Task<Void> consumer = Async.spawn(() -> Async.awaitOn(group.loop(2), () -> {
                try {
                    while (true) {
                        trace.add("got " + ch.receive() + " at " + Async.currentLoop().time());
                        Async.sleep(Duration.ofMillis(3));
                    }
                } catch (CrossLoopChannelClosedException end) {
                    return null;
                }
            }));
            Async.awaitOn(group.loop(1), () -> {
                for (int i = 0; i < 6; i++) {
                    ch.send(i);
                    trace.add("sent " + i + " at " + Async.currentLoop().time());
                }
                ch.close();
                return null;
            });
            consumer.await();
            return trace;
        });
    }

    @Test
    void theChannelDeliversExactlyOnceUnderCancellationOfEitherSideInEverySeed() throws Exception {
        for (long seed = 0; seed < 30; seed++) {
            long s = seed;
            GroupTestRun.seeded(2, seed).run(group -> {
                CrossLoopChannel<Integer> ch = CrossLoopChannel.create(group.loop(0), group.loop(1), 3);
                Set<Integer> sent = new HashSet<>();
                Task<List<Integer>> receiving = Async.spawn(() -> Async.awaitOn(group.loop(1), () -> {
                    List<Integer> got = new ArrayList<>();
                    SplittableRandom r = new SplittableRandom(s);
                    while (true) {
                        boolean[] ended = {false};
                        Async.moveOnAfter(Duration.ofMillis(r.nextInt(1, 4)), () -> {
                            try {
                                got.add(ch.receive());
                            } catch (CrossLoopChannelClosedException e) {
                                ended[0] = true;
                            }
                            return null;
                        });
                        if (ended[0]) {
                            return got;
                        }
                    }
                }));
                SplittableRandom r = new SplittableRandom(~s);
                int cancelledSends = 0;
                for (int i = 0; i < 200; i++) {
                    int item = i;
                    boolean[] ok = {false};
                    if (r.nextInt(4) == 0) {
                        Async.sleep(Duration.ofMillis(r.nextInt(1, 5))); // let the receiver fall behind, or catch up
                    }
                    Async.moveOnAfter(Duration.ofMillis(r.nextInt(0, 3)), () -> {
                        ch.send(item);
                        ok[0] = true;
                        return null;
                    });
                    if (ok[0]) {
                        sent.add(item);
                    } else {
                        cancelledSends++;
                    }
                }
                ch.close();
                List<Integer> got = receiving.await();
                assertTrue(cancelledSends > 0, "seed " + s + ": some sends were cancelled");
                assertEquals(got.size(), new HashSet<>(got).size(), "seed " + s + ": nothing received twice");
                assertEquals(sent, new HashSet<>(got), "seed " + s + ": every item sent was received");
                return null;
            });
        }
    }

    @Test
    void aGroupThatNothingCanWakeIsADeadlockNotAHang() {
        assertThrows(DeadlockException.class, () -> GroupTestRun.seeded(2, 1).run(group ->
                Async.awaitOn(group.loop(1), () -> new io.jasyncio.Promise<String>(Async.currentLoop()).await())));
    }

    @Test
    void anErrorNobodyReceivedOnAnyLoopFailsTheRun() {
        LeftoverWorkError e = assertThrows(LeftoverWorkError.class, () -> GroupTestRun.fifo(2).run(group -> {
            group.loop(1).callSoonThreadsafe(() -> {
                throw new IllegalStateException("a callback on loop 1 threw");
            });
            Async.sleep(Duration.ofMillis(1));
            return null;
        }));
        assertTrue(e.getMessage().contains("a callback on loop 1 threw") || e.problems().toString().contains("callback"),
                e.getMessage());
    }
}
