package io.jasyncio.sync;

import io.jasyncio.Async;
import io.jasyncio.ErrorReport;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Shared helpers: run on a virtual clock, let tasks settle, and fail on unreported errors. */
final class SyncTesting {
    private SyncTesting() {
    }

    /** Runs {@code main} on a new loop with virtual time; errors sent to the loop's handler fail the test. */
    static <T> T run(Callable<T> main) {
        return run(new VirtualTestClock(), main);
    }

    static <T> T run(VirtualTestClock clock, Callable<T> main) {
        List<ErrorReport> reports = new ArrayList<>();
        T result = Async.run(clock.loop().exceptionHandler((loop, report) -> reports.add(report)), main);
        if (!reports.isEmpty()) {
            AssertionError e = new AssertionError("the loop reported errors: " + reports);
            reports.forEach(r -> {
                if (r.exception() != null) {
                    e.addSuppressed(r.exception());
                }
            });
            throw e;
        }
        return result;
    }

    /** asyncio's {@code await asyncio.sleep(0)}: every other ready task runs once. */
    static void tick() {
        Async.yieldNow();
    }

    /** {@code n} ticks. */
    static void ticks(int n) {
        for (int i = 0; i < n; i++) {
            Async.yieldNow();
        }
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Spawns {@code body} as a task returning null. */
    static Task<Object> go(ThrowingRunnable body) {
        return Async.spawn(() -> {
            body.run();
            return null;
        });
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
