package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jasyncio.lowlevel.Abort;
import io.jasyncio.lowlevel.Suspension;
import io.jasyncio.lowlevel.Waker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#atClose} and {@link Suspension#parkExternal}: the two doors io.jasyncio.process is built on. */
class CloseHooksTest {

    @Test
    void hooksRunAtCloseInOrderAFailingOneIsReportedAndACancelledOneDoesNot() {
        List<String> ran = new ArrayList<>();
        List<ErrorReport> reports = TestSupport.reports();
        EventLoop loop = EventLoop.builder().exceptionHandler((l, r) -> reports.add(r)).build();
        loop.runUntilComplete(() -> {
            loop.atClose(() -> ran.add("first"));
            loop.atClose(() -> {
                throw new IllegalStateException("hook failed");
            });
            Handle dropped = loop.atClose(() -> ran.add("cancelled"));
            loop.atClose(() -> ran.add("last"));
            dropped.cancel();
            return null;
        });
        assertEquals(List.of(), ran, "nothing before close");
        loop.close();
        assertEquals(List.of("first", "last"), ran);
        assertEquals(1, reports.size());
        assertEquals("hook failed", reports.get(0).exception().getMessage());
        assertThrows(LoopClosedException.class, () -> loop.atClose(() -> { }));
    }

    @Test
    void aRunsCloseRunsTheHooksAfterTheTasksHaveFinished() {
        List<String> ran = new ArrayList<>();
        Async.run(() -> {
            Async.spawn(() -> {
                try {
                    Async.sleep(java.time.Duration.ofHours(1));
                } finally {
                    ran.add("task unwound");
                }
                return null;
            });
            Async.currentLoop().atClose(() -> ran.add("hook"));
            return null;
        });
        assertEquals(List.of("task unwound", "hook"), ran);
    }

    @Test
    void parkExternalCountsAsAnOutsideWaitAndUndoesItOnCancel() {
        TestSupport.runVirtual(() -> {
            EventLoop loop = Async.currentLoop();
            List<String> log = new ArrayList<>();
            Task<Object> waiter = Async.spawn(() -> Suspension.parkExternal(() -> {
                log.add("onCancel");
                return Abort.Result.SUCCEEDED;
            }));
            Async.yieldNow();
            assertEquals(1, loop.outsideWaits, "a virtual clock must not jump past it");
            waiter.cancel();
            assertThrows(CancelledException.class, waiter::await);
            assertEquals(List.of("onCancel"), log);
            assertEquals(0, loop.outsideWaits);

            List<Waker<Object>> wakers = new ArrayList<>();
            Task<Object> woken = Async.spawn(() -> {
                wakers.add(Suspension.waker());
                return Suspension.parkExternal(null);
            });
            Async.yieldNow();
            Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> wakers.get(0).wake("from a thread")));
            assertEquals("from a thread", woken.await());
            assertEquals(0, loop.outsideWaits);
            return null;
        });
    }
}
