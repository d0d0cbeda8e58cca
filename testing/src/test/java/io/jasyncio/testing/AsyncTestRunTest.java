package io.jasyncio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.Loops;
import io.jasyncio.time.DeadlockException;
import io.jasyncio.time.LoopClock;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.time.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The programmatic run: results, failures, leftovers, misuse; and the core's thread-defaults hook. */
class AsyncTestRunTest {

    @Test
    void returnsMainsValueAndLeavesTheLoopClosed() throws Exception {
        AsyncTestRun run = AsyncTestRun.seeded(3);
        assertEquals(OptionalLong.of(3), run.seed());
        String v = run.run(() -> {
            Async.sleep(Duration.ofMinutes(5));
            return "done at " + run.clock().elapsed();
        });
        assertEquals("done at PT5M", v);
        assertTrue(run.loop().isClosed());
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> run.run(() -> null));
        assertTrue(again.getMessage().contains("runs once"), again.getMessage());
    }

    @Test
    void mainsFailureIsThrownAsItIsWithLeftoversAttached() {
        AsyncTestRun run = AsyncTestRun.fifo();
        Task<?>[] sleeper = new Task<?>[1];
        IOException e = assertThrows(IOException.class, () -> run.run(() -> {
            sleeper[0] = Async.spawn("sleeper", () -> {
                Async.sleep(Duration.ofDays(1));
                return null;
            });
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", e.getMessage());
        LeftoverWorkError l = assertInstanceOf(LeftoverWorkError.class, e.getSuppressed()[0]);
        assertEquals(1, l.problems().size());
        assertTrue(l.problems().get(0).contains("sleeper"), l.problems().get(0));
        assertTrue(sleeper[0].isCancelled(), "the leftover was cancelled and run to its end");
        assertEquals(Duration.ZERO, run.clock().elapsed(), "cancelling did not wait for the day to pass");
    }

    @Test
    void aLeftoverThatFailsWhileBeingCancelledIsReportedOnce() {
        LeftoverWorkError l = assertThrows(LeftoverWorkError.class, () -> AsyncTestRun.fifo().run(() -> {
            Async.spawn("stubborn", () -> {
                try {
                    Async.sleep(Duration.ofDays(1));
                    return null;
                } catch (CancelledException e) {
                    throw new IllegalStateException("cleanup failed", e);
                }
            });
            Async.yieldNow();
            return null;
        }));
        assertEquals(2, l.problems().size(), l.getMessage());
        assertTrue(l.problems().get(1).startsWith("1 error reached"), l.getMessage());
        assertTrue(l.getMessage().contains("leftover task 'stubborn' failed while being cancelled"), l.getMessage());
    }

    @Test
    void aDeadlockNamesTheSeedAndTheStuckTasks() {
        DeadlockException d = assertThrows(DeadlockException.class, () -> AsyncTestRun.seeded(12).run(() -> {
            Async.spawn("waiter", () -> new Promise<String>().await());
            return new Promise<String>().await();
        }));
        assertTrue(d.getMessage().contains("(schedule seed 12)"), d.getMessage());
        assertTrue(d.getMessage().contains("'main' PARKED") && d.getMessage().contains("'waiter' PARKED"), d.getMessage());
    }

    @Test
    void findFailingSeedReportsNothingForACorrectProgramAndRejectsANegativeCount() {
        assertTrue(AsyncTestRun.findFailingSeed(0, 20, () -> BankRace.scenario(true)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> AsyncTestRun.findFailingSeed(0, -1, () -> null));
    }

    @Test
    void threadDefaultsApplyToLoopsBuiltOnThisThreadAndTheBuildersOwnSettingsWin() throws Exception {
        VirtualClock shared = new VirtualClock();
        Loops.setThreadDefaults(b -> b.clock(shared));
        try {
            EventLoop defaulted = new EventLoop();
            assertSame(shared, defaulted.clock());
            defaulted.close();
            EventLoop own = EventLoop.builder().clock(LoopClock.system()).build();
            assertSame(LoopClock.system(), own.clock());
            own.close();
            LoopClock[] there = new LoopClock[1];
            Thread other = Thread.ofPlatform().start(() -> {
                EventLoop loop = new EventLoop();
                there[0] = loop.clock();
                loop.close();
            });
            other.join();
            assertSame(LoopClock.system(), there[0], "other threads are not affected");
        } finally {
            Loops.setThreadDefaults(null);
        }
        EventLoop after = new EventLoop();
        assertSame(LoopClock.system(), after.clock());
        after.close();
    }
}
