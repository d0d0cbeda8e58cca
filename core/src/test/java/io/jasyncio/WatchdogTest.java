package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.diagnostics.LoopDump;
import io.jasyncio.diagnostics.LoopMetrics;
import io.jasyncio.diagnostics.TaskInfo;
import io.jasyncio.diagnostics.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * A task that blocks the loop thread (here on a latch, as JDBC or Thread.sleep would): the
 * watchdog logs it once with the task's name and the blocking frame, then once with the total;
 * a dump taken meanwhile from another thread says the loop is stalled, shows the loop thread's
 * live stack, and still describes the other tasks' waits.
 */
class WatchdogTest {

    private static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.REAL_TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    static void blockOn(CountDownLatch latch) throws InterruptedException {
        latch.await(); // a blocking call on the loop thread
    }

    @Test
    void aBlockingStepIsLoggedOnceWithItsStackAndAgainWhenItEnds(LogCapture.Records records) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<EventLoop> loopRef = new AtomicReference<>();
        Thread runner = Thread.ofPlatform().name("stall-test-loop").start(() ->
                Async.run(EventLoop.builder().stallThreshold(Duration.ofMillis(200)), () -> {
                    loopRef.set(Async.currentLoop());
                    Async.spawn("sleeper", () -> {
                        Async.sleep(Duration.ofHours(1));
                        return null;
                    });
                    Async.yieldNow(); // the sleeper starts sleeping
                    Async.spawn("blocker", () -> {
                        blockOn(release);
                        return null;
                    }).await();
                    return null;
                }));
        until("the loop to start", () -> loopRef.get() != null);
        EventLoop loop = loopRef.get();
        until("the watchdog to report the stall", () -> loop.metrics().stalls() == 1);

        LoopDump d = loop.dumpTasks().loops().get(0);
        assertEquals("stalled", d.status());
        assertTrue(d.stalledNanos() >= TimeUnit.MILLISECONDS.toNanos(200), d.toString());
        TaskInfo blocker = d.tasks().stream().filter(t -> t.name().equals("blocker")).findFirst().orElseThrow();
        assertEquals("RUNNING", blocker.state());
        assertTrue(blocker.stack().stream().anyMatch(f -> f.getMethodName().equals("blockOn")), blocker.stack().toString());
        TaskInfo sleeper = d.tasks().stream().filter(t -> t.name().equals("sleeper")).findFirst().orElseThrow();
        assertTrue(sleeper.waitingOn() instanceof Wait.Sleep, sleeper.toString());
        if (loop.engineName().equals("continuation")) {
            // Its stack is behind the gate, which a loop inside a step never reaches.
            assertEquals("not read: the loop was inside a step", sleeper.stackNote());
        }
        String tree = loop.dumpTasks().toTree();
        assertTrue(tree.contains("stalled for"), tree);

        release.countDown();
        runner.join(TimeUnit.SECONDS.toMillis(TestSupport.REAL_TIMEOUT_SECONDS));
        List<LogRecord> seen = new ArrayList<>();
        until("the end of the stall to be logged", () -> {
            seen.addAll(records.take());
            return seen.size() >= 2;
        });
        assertEquals(2, seen.size(), seen.toString());
        String first = seen.get(0).getMessage();
        assertTrue(first.contains("event loop " + loop.id() + " (thread 'stall-test-loop') is stalled: task #"), first);
        assertTrue(first.contains("'blocker' has held it for"), first);
        assertTrue(first.contains("at io.jasyncio.WatchdogTest.blockOn(WatchdogTest.java:"), first);
        assertTrue(first.contains("java.util.concurrent.CountDownLatch.await"), first);
        String second = seen.get(1).getMessage();
        assertTrue(second.matches("(?s).*the stall in task #\\d+ 'blocker' ended after about \\d+ ms"), second);
        LoopMetrics m = loop.metrics();
        assertEquals(1, m.stalls());
    }

    @Test
    void aLoopThatKeepsSuspendingIsNeverReported() {
        // 300 ms of many short steps: the counter moves every tick, so nothing is reported. (The
        // threshold is generous because the watchdog cannot tell a blocked loop thread from one the
        // OS has descheduled, and this machine may be loaded: 100 ms was seen to be exceeded.)
        Async.run(EventLoop.builder().stallThreshold(Duration.ofSeconds(2)), () -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < end) {
                Async.yieldNow();
            }
            assertEquals(0, Async.currentLoop().metrics().stalls());
            assertTrue(Async.currentLoop().metrics().steps() > 100);
            return null;
        });
    }

    @Test
    void zeroSwitchesTheWatchdogOffForALoop() throws Exception {
        Async.run(EventLoop.builder().stallThreshold(Duration.ZERO), () -> {
            blockOn(new CountDownLatch(0));
            Thread.sleep(250); // a real blocking call: with the watchdog off, nothing is logged
            assertEquals(0, Async.currentLoop().metrics().stalls());
            return null;
        });
    }

    @Test
    void parsesTheProperty() {
        assertEquals(Duration.ZERO, Watchdog.parse("off"));
        assertEquals(Duration.ofMillis(500), Watchdog.parse("500ms"));
        assertEquals(Duration.ofMillis(1500), Watchdog.parse("1.5s"));
        assertEquals(Duration.ofSeconds(2), Watchdog.parse("PT2S"));
        TestSupport.assertThrowsWithMessage(IllegalArgumentException.class, () -> Watchdog.parse("soon"),
                "jasyncio.watchdog must be 'off' or a duration");
    }
}
