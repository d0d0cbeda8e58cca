package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.internal.engine.EngineSelection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;

/** Helpers shared by the core behaviour tests. */
final class TestSupport {

    /** Generous bound for anything that involves real threads: only a hang should ever hit it. */
    static final long REAL_TIMEOUT_SECONDS = 20;

    private TestSupport() {
    }

    /** {@code Async.run} on a fresh virtual clock: sleeps are instant, elapsed time is exact. */
    static <T> T runVirtual(Callable<? extends T> main) {
        return Async.run(VirtualTestClock.loopOn(new VirtualTestClock()), main);
    }

    /** Like {@link #runVirtual(Callable)} with errors that reach the loop's exception handler collected into {@code reports}. */
    static <T> T runVirtual(List<ErrorReport> reports, Callable<? extends T> main) {
        return Async.run(VirtualTestClock.loopOn(new VirtualTestClock()).exceptionHandler((l, r) -> reports.add(r)), main);
    }

    /** A thread-safe list to collect error reports into. */
    static List<ErrorReport> reports() {
        return new CopyOnWriteArrayList<>();
    }

    /** Now on the current loop's clock, in nanoseconds. */
    static long now() {
        return Async.currentLoop().time();
    }

    /** Milliseconds elapsed on the current loop's clock since {@code t0} (a value of {@link #now()}). */
    static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(now() - t0);
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Asserts that {@code body} throws {@code type} with a message containing every fragment; returns it. */
    static <X extends Throwable> X assertThrowsWithMessage(Class<X> type, Executable body, String... fragments) {
        X x = assertThrows(type, body);
        for (String f : fragments) {
            assertTrue(x.getMessage() != null && x.getMessage().contains(f),
                    () -> "message of " + x + " should contain '" + f + "'");
        }
        return x;
    }

    /** Sleeps, in the current task, for {@code millis} on the loop's clock. */
    static void sleepMs(long millis) {
        Async.sleep(Duration.ofMillis(millis));
    }

    /** The loop's engine name, from inside a running loop. */
    static boolean portable() {
        return "portable".equals(Async.currentLoop().engineName());
    }

    /** The engine this JVM's loops use by default. */
    static String defaultEngineName() {
        return EngineSelection.defaultEngine().name();
    }
}
