package io.jasyncio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.lowlevel.Readiness;
import io.jasyncio.time.VirtualClock;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test classes that {@link AsyncTestExtensionTest} runs through the JUnit launcher to check what
 * the extension reports. Surefire does not pick these up by itself (the name matches none of its
 * patterns, and nested classes are excluded), and several of them fail on purpose.
 */
final class ExtensionFixtures {

    private ExtensionFixtures() {
    }

    /** Filled by the fixtures, read by the tests after a launcher run. */
    static final List<String> SEEN = new ArrayList<>();

    static class Passing {
        private EventLoop fromBeforeEach;

        @BeforeEach
        void setUp(EventLoop loop) {
            fromBeforeEach = loop;
        }

        @AsyncTest
        void runsAsTheMainCoroutineOnVirtualTime(EventLoop loop, VirtualClock clock, AsyncTestRun run) {
            assertSame(loop, Async.currentLoop());
            assertSame(fromBeforeEach, loop, "@BeforeEach sees the invocation's loop");
            assertSame(clock, loop.clock());
            assertEquals(OptionalLong.empty(), run.seed());
            assertEquals("main", Async.currentTask().getName());
            Async.sleep(Duration.ofHours(1));
            assertEquals(Duration.ofHours(1), clock.elapsed());
        }

        @AsyncTest
        @Schedules(seeds = 5, firstSeed = 10)
        void runsOncePerSchedule(AsyncTestRun run) {
            SEEN.add(run.seed().isPresent() ? "seed " + run.seed().getAsLong() : "fifo");
        }
    }

    static class LeftoverTask {
        @AsyncTest
        void leavesATaskRunning() {
            Async.spawn("forgotten", () -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
        }
    }

    static class UnretrievedError {
        @AsyncTest
        void leavesAFailureNobodyAwaits() {
            Async.spawn("doomed", () -> {
                throw new IllegalStateException("boom");
            });
            Async.yieldNow();
        }
    }

    static class OpenChannel {
        static Pipe pipe;

        @AsyncTest
        void leavesARegisteredChannelOpen(EventLoop loop) throws IOException {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            Readiness.addReader(loop, pipe.source(), () -> { });
        }
    }

    static class Deadlocked {
        @AsyncTest
        void waitsForAPromiseNobodyCompletes() {
            Async.spawn("helper", () -> new Promise<String>().await());
            new Promise<String>().await();
        }
    }

    /** Real I/O that never comes: the virtual clock cannot move, only the real-time limit ends it. */
    static class HangsOnRealIo {
        @AsyncTest(timeoutMillis = 300)
        void acceptsAConnectionNobodyMakes() throws IOException {
            try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
                server.bind(new java.net.InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
                try {
                    io.jasyncio.lowlevel.Readiness.waitReadable(server);
                } finally {
                    io.jasyncio.lowlevel.Readiness.closeChannel(Async.currentLoop(), server);
                }
            }
        }
    }

    /** A blocking call on the loop thread: the limit interrupts it. */
    static class BlocksTheLoop {
        @AsyncTest(timeoutMillis = 300)
        void sleepsOnTheLoopThread() throws InterruptedException {
            Thread.sleep(60_000);
        }
    }

    static class Race {
        @AsyncTest
        @Schedules(seeds = 100)
        void neverOverdraws() {
            BankRace.scenario();
        }
    }

    static class NoSchedules {
        @AsyncTest
        @Schedules(seeds = 0, fifo = false)
        void hasNothingToRun() {
        }
    }

    /** Plain @Test methods that start their own loops, seeded by one class annotation. */
    @Schedules(seeds = 20)
    static class PlainTests {
        @Test
        void recordsItsSchedule() {
            List<String> order = new ArrayList<>();
            Async.run(() -> {
                for (int i = 0; i < 4; i++) {
                    int id = i;
                    Async.spawn(() -> {
                        Async.yieldNow();
                        order.add("" + id);
                        return null;
                    });
                }
                Async.sleep(Duration.ofDays(1)); // virtual time: instant
                return null;
            });
            SEEN.add(String.join("", order));
        }

        @Test
        void raceShowsUnderSomeSeed() {
            Async.run(BankRace::scenario);
        }

        @Test
        void leavesAFailureNobodyAwaits() {
            EventLoop loop = EventLoop.builder().build();
            assertTrue(loop.clock() instanceof VirtualClock, "loops made in the test get a virtual clock");
            loop.runUntilComplete(() -> {
                Async.spawn("doomed", () -> {
                    throw new IllegalStateException("boom");
                });
                Async.yieldNow();
                return null;
            });
            loop.close();
        }
    }

    /** Parameterized and repeated tests under a class annotation: each invocation runs every schedule. */
    @Schedules(seeds = 3)
    static class TemplateTests {
        @ParameterizedTest
        @ValueSource(strings = {"a", "b"})
        void parameterized(String p) {
            SEEN.add(p + " " + Async.run(() -> seedOf(Async.currentLoop())));
        }

        @RepeatedTest(2)
        void repeated() {
            SEEN.add("r " + Async.run(() -> seedOf(Async.currentLoop())));
        }

        /** Which schedule the loop runs: the order of 16 callbacks scheduled together. */
        private static String seedOf(EventLoop loop) {
            List<Integer> ran = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int k = i;
                loop.callSoon(() -> ran.add(k));
            }
            while (ran.size() < 16) {
                Async.yieldNow();
            }
            return ran.equals(ran.stream().sorted().toList()) ? "fifo" : "shuffled";
        }
    }
}
