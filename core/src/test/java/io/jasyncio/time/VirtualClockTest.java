package io.jasyncio.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.lowlevel.Readiness;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** VirtualClock on plain loops (no JUnit extension): when time jumps, and when it must not. */
class VirtualClockTest {

    private static <T> T runOn(VirtualClock clock, java.util.concurrent.Callable<T> main) {
        return Async.run(EventLoop.builder().clock(clock), main);
    }

    @Test
    void aProgramThatSleepsASimulatedHourFinishesInUnderASecond() {
        VirtualClock clock = new VirtualClock();
        long t0 = System.nanoTime();
        int ticks = runOn(clock, () -> {
            // A monitor that polls every second for an hour, beside workers that sleep in long stretches.
            Task<Integer> monitor;
            try (TaskGroup g = Async.taskGroup()) {
                for (int w = 0; w < 4; w++) {
                    g.spawn(() -> {
                        for (int i = 0; i < 4; i++) {
                            Async.sleep(Duration.ofMinutes(15));
                        }
                        return null;
                    });
                }
                monitor = g.spawn(() -> {
                    int n = 0;
                    for (int i = 0; i < 3600; i++) {
                        Async.sleep(Duration.ofSeconds(1));
                        n++;
                    }
                    return n;
                });
            }
            return monitor.resultNow();
        });
        long wallNanos = System.nanoTime() - t0;
        assertEquals(3600, ticks);
        assertEquals(Duration.ofHours(1), clock.elapsed(), "virtual time is exact");
        assertTrue(wallNanos < 1_000_000_000L, "took " + wallNanos / 1_000_000 + " ms of real time");
    }

    @Test
    void timeStandsStillWhileAnythingCanRun() {
        VirtualClock clock = new VirtualClock();
        runOn(clock, () -> {
            Task<Object> sleeper = Async.spawn(() -> {
                Async.sleep(Duration.ofSeconds(1));
                return null;
            });
            for (int i = 0; i < 1000; i++) {
                Async.yieldNow();
            }
            assertEquals(0, clock.nanoTime(), "a busy loop never lets time jump");
            assertFalse(sleeper.isDone());
            sleeper.await();
            assertEquals(Duration.ofSeconds(1), clock.elapsed());
            return null;
        });
    }

    @Test
    void advanceMovesTimeByHandAndDueTimersFire() {
        VirtualClock clock = new VirtualClock();
        List<Long> wokeAt = new ArrayList<>();
        runOn(clock, () -> {
            Task<Object> sleeper = Async.spawn(() -> {
                Async.sleep(Duration.ofSeconds(10));
                wokeAt.add(clock.nanoTime());
                return null;
            });
            Async.yieldNow(); // the sleeper starts and sets its timer
            clock.advance(Duration.ofSeconds(4));
            Async.yieldNow();
            assertFalse(sleeper.isDone(), "not due yet after 4 s");
            clock.advance(Duration.ofSeconds(6));
            Async.yieldNow(); // the timer fires in this iteration ...
            Async.yieldNow(); // ... and the sleeper runs in the next
            assertTrue(sleeper.isDone());
            return null;
        });
        assertEquals(List.of(10_000_000_000L), wokeAt, "woke exactly at the advanced time, with no jump of its own");
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofNanos(-1)));
        assertThrows(IllegalArgumentException.class, () -> clock.setAutojumpThreshold(Duration.ofMillis(-1)));
    }

    @Test
    void timeoutsFireAtTheirExactVirtualDeadline() {
        VirtualClock clock = new VirtualClock();
        runOn(clock, () -> {
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(Duration.ofSeconds(5), () -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            }));
            assertEquals(Duration.ofSeconds(5), clock.elapsed());
            return null;
        });
    }

    @Test
    void timeDoesNotJumpWhileATaskAwaitsAnotherThread() {
        VirtualClock clock = new VirtualClock();
        List<String> events = new ArrayList<>();
        runOn(clock, () -> {
            Task<Object> timer = Async.spawn(() -> {
                Async.sleep(Duration.ofSeconds(1));
                events.add("timer at " + clock.elapsed());
                return null;
            });
            String v = Async.withTimeout(Duration.ofMillis(500), () -> Async.toThread(() -> {
                Thread.sleep(30); // stands in for a blocking call that takes real time
                return "done";
            }));
            events.add("thread " + v + " at " + clock.elapsed());
            timer.await();
            return null;
        });
        assertEquals(List.of("thread done at PT0S", "timer at PT1S"), events,
                "a virtual timeout must not fire while the thread works");
    }

    @Test
    void timeDoesNotJumpWhileATaskWaitsForIo() throws IOException {
        VirtualClock clock = new VirtualClock();
        Pipe pipe = Pipe.open();
        List<String> events = new ArrayList<>();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            runOn(clock, () -> {
                Task<Object> timer = Async.spawn(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    events.add("timer at " + clock.elapsed());
                    return null;
                });
                Task<Object> reader = Async.spawn(() -> {
                    Readiness.waitReadable(source);
                    events.add("readable at " + clock.elapsed());
                    Readiness.closeChannel(Async.currentLoop(), source);
                    return null;
                });
                Async.yieldNow(); // both are waiting now: a timer, and I/O
                Thread.ofPlatform().start(() -> {
                    try {
                        sink.write(ByteBuffer.wrap(new byte[] {1}));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                Async.gather(timer, reader);
                return null;
            });
        }
        assertEquals(List.of("readable at PT0S", "timer at PT1S"), events);
        assertEquals(0, clock.thresholdJumps());
    }

    @Test
    void withAnAutojumpThresholdTimeJumpsAfterTheLoopIdlesThatLongWithIoPending() throws IOException {
        VirtualClock clock = new VirtualClock().setAutojumpThreshold(Duration.ofMillis(20));
        assertEquals(Optional.of(Duration.ofMillis(20)), clock.autojumpThreshold());
        Pipe pipe = Pipe.open();
        List<String> events = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            sink.configureBlocking(false);
            runOn(clock, () -> {
                Task<Object> reader = Async.spawn(() -> {
                    Readiness.waitReadable(source);
                    events.add("readable at " + clock.elapsed());
                    Readiness.closeChannel(Async.currentLoop(), source);
                    return null;
                });
                // Nobody else will write: only virtual time can get this timer to fire, and only the
                // threshold lets it move while the reader waits for I/O.
                Async.sleep(Duration.ofSeconds(30));
                events.add("writer at " + clock.elapsed());
                sink.write(ByteBuffer.wrap(new byte[] {1}));
                reader.await();
                return null;
            });
        }
        long realMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(List.of("writer at PT30S", "readable at PT30S"), events);
        assertEquals(1, clock.thresholdJumps());
        assertTrue(realMillis >= 20, "the loop idled for the threshold in real time first, took " + realMillis + " ms");
    }

    @Test
    void aLoopNothingCanWakeFailsWithDeadlockInsteadOfHanging() {
        VirtualClock clock = new VirtualClock();
        assertTrue(clock.deadlockDetection());
        DeadlockException e = assertThrows(DeadlockException.class, () -> runOn(clock, () -> {
            Promise<String> never = new Promise<>();
            return never.await();
        }));
        assertTrue(e.getMessage().contains("nothing can ever wake the loop"), e.getMessage());
    }

    @Test
    void aFutureCompletedByAnotherThreadIsAnOutsideWaitNotADeadlock() {
        VirtualClock clock = new VirtualClock();
        String v = runOn(clock, () -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> f.complete("from a thread"));
            return Async.await(f);
        });
        assertEquals("from a thread", v);
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndTimesOnBothEngines() {
        List<String> continuation = seededTrace(7, null);
        for (int i = 0; i < 3; i++) {
            assertEquals(continuation, seededTrace(7, null));
        }
        assertEquals(continuation, seededTrace(7, "portable"), "the schedule does not depend on the engine");
        assertFalse(continuation.equals(seededTrace(8, null)) && continuation.equals(seededTrace(9, null))
                && continuation.equals(seededTrace(10, null)), "other seeds give other schedules");
    }

    /** Tasks with equal deadlines, yields and a task group: a trace of who ran when. */
    private static List<String> seededTrace(long seed, String engine) {
        VirtualClock clock = new VirtualClock();
        EventLoop.Builder b = EventLoop.builder().clock(clock).scheduleSeed(seed);
        if (engine != null) {
            b.engine(engine);
        }
        List<String> trace = new ArrayList<>();
        Async.run(b, () -> {
            try (TaskGroup g = Async.taskGroup()) {
                for (int i = 0; i < 6; i++) {
                    int id = i;
                    g.spawn(() -> {
                        for (int step = 0; step < 3; step++) {
                            trace.add(id + "." + step + "@" + clock.nanoTime() / 1_000_000);
                            if (step % 2 == 0) {
                                Async.yieldNow();
                            } else {
                                Async.sleep(Duration.ofMillis(10));
                            }
                        }
                        return null;
                    });
                }
            }
            return null;
        });
        return trace;
    }
}
