package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.diagnostics.LoopMetrics;
import java.lang.management.ManagementFactory;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics, the JMX beans and the JFR events. */
class ObservabilityTest {

    private static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.REAL_TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void metricsCountWhatTheLoopDoesAndAreReadableFromAnotherThread() throws Exception {
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            Task<?> reader = Async.spawn("reader", () -> {
                io.jasyncio.lowlevel.Readiness.waitReadable(pipe.source());
                return null;
            });
            Task<?> sleeper = Async.spawn("sleeper", () -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            Async.yieldNow();
            LoopMetrics m = Async.await(CompletableFuture.supplyAsync(loop::metrics));
            assertEquals(3, m.liveTasks());
            assertEquals(1, m.registeredChannels());
            assertTrue(m.timers() >= 1, m.toString());
            assertTrue(m.steps() >= 3 && m.iterations() >= 2, m.toString());
            assertEquals(0, m.stalls());
            Async.sleep(Duration.ofMillis(20));
            LoopMetrics later = loop.metrics();
            assertTrue(later.waitingNanos() >= TimeUnit.MILLISECONDS.toNanos(15), later.toString());
            assertTrue(later.busyNanos() > 0, later.toString());
            reader.cancel();
            sleeper.cancel();
            Async.gatherSettled(List.of(reader, sleeper));
            io.jasyncio.lowlevel.Readiness.closeChannel(loop, pipe.source());
            pipe.sink().close();
            return null;
        });
    }

    @Test
    void eachLoopHasAJmxBeanAndTheProcessBeanDumps() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            ObjectName name = new ObjectName("io.jasyncio:type=EventLoop,id=" + loop.id());
            Task<?> sleeper = Async.spawn("sleeper", () -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            // The watchdog thread registers it within a tick; wait for it from another thread.
            Async.await(CompletableFuture.runAsync(() -> until("the loop's bean", () -> server.isRegistered(name))));
            assertEquals(2, ((Number) server.getAttribute(name, "LiveTasks")).intValue());
            String tree = (String) Async.await(CompletableFuture.supplyAsync(() -> {
                try {
                    return server.invoke(new ObjectName("io.jasyncio:type=Diagnostics"), "dumpTasks",
                            new Object[] {"tree"}, new String[] {String.class.getName()});
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
            assertTrue(tree.contains("'sleeper' PARKED"), tree);
            sleeper.cancel();
            return null;
        });
    }

    @Test
    void jfrEventsForStepsAndTasksWhenARecordingWantsThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loop.jfr");
        new EventLoop().close(); // the watchdog thread starts with the first loop of the process
        try (Recording r = new Recording()) {
            r.enable("io.jasyncio.SlowStep").withThreshold(Duration.ZERO);
            r.enable("io.jasyncio.TaskLife").withThreshold(Duration.ZERO);
            r.start();
            until("the watchdog to see the recording", () -> JfrEvents.stepEnabled && JfrEvents.taskEnabled);
            Async.run(() -> Async.spawn("short-lived", () -> 42).await());
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("io.jasyncio.TaskLife")
                && e.getString("taskName").equals("short-lived") && e.getString("outcome").equals("SUCCESS")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("io.jasyncio.SlowStep")
                && e.getString("step").contains("'main'")), events.toString());
        until("the watchdog to see the recording stopped", () -> !JfrEvents.stepEnabled);
        assertFalse(JfrEvents.taskEnabled);
        assertTrue(Files.size(file) > 0);
    }
}
