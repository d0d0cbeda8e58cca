package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstrumentTest {

    /** Records the task hooks for tasks named "t", and counts the loop's. */
    static final class Recorder implements Instrument {
        final List<String> events = new ArrayList<>();
        int iterations, ioWaitsBegun, ioWaitsEnded;

        private void add(String what, Task<?> task) {
            if (task.getName().equals("t")) {
                events.add(what);
            }
        }

        @Override
        public void taskSpawned(Task<?> task) {
            add("spawned", task);
        }

        @Override
        public void beforeTaskStep(Task<?> task) {
            add("step", task);
        }

        @Override
        public void afterTaskStep(Task<?> task) {
            add("/step", task);
        }

        @Override
        public void taskParked(Task<?> task) {
            add("parked", task);
        }

        @Override
        public void taskWoken(Task<?> task) {
            add("woken", task);
        }

        @Override
        public void taskExited(Task<?> task) {
            add("exited", task);
        }

        @Override
        public void iterationStarted(EventLoop loop) {
            iterations++;
        }

        @Override
        public void beforeIoWait(EventLoop loop, long timeoutNanos) {
            ioWaitsBegun++;
        }

        @Override
        public void afterIoWait(EventLoop loop) {
            ioWaitsEnded++;
        }
    }

    @Test
    void theHooksFollowATaskThroughSpawnStepsParksWakesAndExit() {
        Recorder r = new Recorder();
        Async.run(EventLoop.builder().instrument(r), () -> {
            Task<String> t = Async.spawn("t", () -> {
                Async.sleep(Duration.ofMillis(1));
                return "done";
            });
            Async.sleep(Duration.ofMillis(5)); // not awaited at once: t runs from the queue
            return t.await();
        });
        assertEquals(List.of("spawned", "step", "parked", "/step", "woken", "step", "exited", "/step"), r.events);
        assertTrue(r.iterations >= 3, "iterations: " + r.iterations);
        assertTrue(r.ioWaitsBegun >= 1 && r.ioWaitsBegun == r.ioWaitsEnded, r.ioWaitsBegun + " / " + r.ioWaitsEnded);
    }

    @Test
    void anInstrumentThatThrowsIsReportedAndRemoved() {
        List<ErrorReport> reports = new ArrayList<>();
        int[] calls = {0};
        Instrument broken = new Instrument() {
            @Override
            public void beforeTaskStep(Task<?> task) {
                calls[0]++;
                throw new IllegalStateException("broken instrument");
            }
        };
        String v = Async.run(EventLoop.builder().instrument(broken).exceptionHandler((l, rep) -> reports.add(rep)), () -> {
            Async.yieldNow();
            Async.yieldNow();
            return "still runs";
        });
        assertEquals("still runs", v);
        assertEquals(1, calls[0], "removed after it threw");
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).message().contains("it is removed from the loop"), reports.get(0).message());
        assertEquals("broken instrument", reports.get(0).exception().getMessage());
    }
}
