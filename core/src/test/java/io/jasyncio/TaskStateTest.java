package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jasyncio.lowlevel.Suspension;
import io.jasyncio.lowlevel.Waker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Task's run state: one field, under the table in Task's Javadoc, its transitions asserted. */
class TaskStateTest {

    @Test
    void aTaskGoesThroughTheTablesStates() {
        Async.run(() -> {
            Task<?> me = Task.current();
            assertEquals("RUNNING", me.runState());
            Task<Object> t = Async.spawn(() -> Suspension.park(null));
            assertEquals("NEW", t.runState());
            Async.yieldNow();
            assertEquals("PARKED", t.runState());
            Waker.of(t).wake("v");
            assertEquals("SCHEDULED", t.runState());
            assertEquals("v", t.await());
            assertEquals("DONE", t.runState());

            Task<Object> sleeper = Async.spawn(() -> {
                Async.sleep(Duration.ofMillis(1));
                return null;
            });
            Async.yieldNow();
            assertEquals("PARKED", sleeper.runState());
            sleeper.cancel();
            assertEquals("SCHEDULED", sleeper.runState(), "a cancellation that aborts the wait schedules it");
            assertThrows(CancelledException.class, sleeper::await);
            assertEquals("DONE", sleeper.runState());
            return null;
        });
    }

    @Test
    void aTransitionTheTableDoesNotHaveFailsTheAssertion() {
        Async.run(() -> {
            Task<?> me = Task.current();
            // A running task is not asleep: waking it from a sleep is no transition of the table.
            AssertionError e = assertThrows(AssertionError.class, () -> me.wakeFromSleep());
            assertEquals(true, e.getMessage().contains("RUNNING -> SCHEDULED is not a transition"), e.getMessage());
            return null;
        });
    }
}
