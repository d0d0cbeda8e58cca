package io.jasyncio.conformance;

import io.jasyncio.Async;
import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.VirtualTestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What the conformance suites share: the core tests' virtual clock ({@link VirtualTestClock}, which
 * also records each jump it made) and an exception handler that records what the loop reports
 * instead of logging it.
 *
 * <p>Times in these tests mirror the seconds of the CPython tests they port; on the virtual clock
 * they cost nothing and are exact.
 */
abstract class ConformanceSupport {

    final VirtualTestClock clock = new VirtualTestClock();
    /** What the loop handed to its exception handler, in order. */
    final List<ErrorReport> reports = new ArrayList<>();

    /** A loop builder on the virtual clock whose exception handler records into {@link #reports}. */
    EventLoop.Builder loop() {
        return EventLoop.builder().clock(clock).exceptionHandler((l, r) -> reports.add(r));
    }

    /** {@code Async.run} on {@link #loop()}. */
    <T> T run(Callable<T> main) {
        return Async.run(loop(), main);
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    static Duration sec(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** True if {@code t}, its causes or their suppressed exceptions were thrown through a method named {@code method}. */
    static boolean traceMentions(Throwable t, String method) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(t);
        while (!todo.isEmpty()) {
            Throwable x = todo.poll();
            if (!seen.add(x)) {
                continue;
            }
            for (StackTraceElement e : x.getStackTrace()) {
                if (e.getMethodName().equals(method)) {
                    return true;
                }
            }
            if (x.getCause() != null) {
                todo.add(x.getCause());
            }
            todo.addAll(java.util.Arrays.asList(x.getSuppressed()));
        }
        return false;
    }

    /** Virtual time since the test began. */
    Duration elapsed() {
        return clock.elapsed();
    }

    /** Sleeps in the current task, for use in expression lambdas. */
    static <T> T sleepThen(Duration d, T value) {
        Async.sleep(d);
        return value;
    }

    /** The ValueError, KeyError, ZeroDivisionError, ... of the CPython tests. */
    static class MyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MyException(String message) {
            super(message);
        }

        MyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** CPython's BaseException subclasses (SystemExit, KeyboardInterrupt, MyBaseExc): a Java Error. */
    static class MyError extends Error {
        private static final long serialVersionUID = 1L;

        MyError(String message) {
            super(message);
        }
    }
}
