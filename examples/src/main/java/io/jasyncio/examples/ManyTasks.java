package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The dump-at-scale measurement of {@code docs/observability.md}: N parked tasks (a third
 * sleeping, a third awaiting an event, a third awaiting another task, each a few frames deep) and
 * a ticker that sleeps 1 ms at a time and reports, once a second, the longest gap between two of
 * its ticks: what a dump taken meanwhile costs the loop. Runs {@code --seconds S} (default 60).
 */
final class ManyTasks {

    private ManyTasks() {
    }

    /** {@code ./jasyncio example many-tasks [--tasks N] [--seconds S]}. */
    static void cli(Settings s, Args a) {
        int n = a.integer("tasks", 100_000, 1, 10_000_000);
        double seconds = a.number("seconds", 60);
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new Args.UsageException("--seconds must be more than 0 and at most 3600, not " + seconds);
        }
        run(n, Duration.ofMillis((long) (seconds * 1000)), s.out());
    }

    static void run(int n, Duration runFor, Consumer<String> say) {
        Async.run(() -> {
            Event never = new Event();
            List<Task<?>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int kind = i % 3;
                if (kind == 0) {
                    tasks.add(Async.spawn(() -> depth(3, () -> Async.sleep(Duration.ofHours(1)))));
                } else if (kind == 1) {
                    tasks.add(Async.spawn(() -> depth(3, never::await)));
                } else {
                    Task<?> prev = tasks.get(i - 1);
                    tasks.add(Async.spawn(() -> depth(3, prev::await)));
                }
            }
            Async.yieldNow();
            say.accept("many-tasks: " + n + " tasks parked in process " + ProcessHandle.current().pid()
                    + "; time ./jasyncio ps " + ProcessHandle.current().pid() + " > /dev/null");
            Async.moveOnAfter(runFor, ManyTasks::tick);
            for (Task<?> t : tasks) {
                t.cancel();
            }
            return null;
        });
    }

    private static Object depth(int d, Runnable body) {
        if (d == 0) {
            body.run();
            return null;
        }
        return depth(d - 1, body);
    }

    /** Sleeps 1 ms at a time; prints the longest gap between ticks each second. */
    private static Object tick() {
        long second = System.nanoTime();
        long worst = 0;
        long last = second;
        while (true) {
            Async.sleep(Duration.ofMillis(1));
            long now = System.nanoTime();
            worst = Math.max(worst, now - last);
            last = now;
            if (now - second >= 1_000_000_000L) {
                System.out.printf(java.util.Locale.ROOT, "many-tasks: longest gap between 1 ms ticks in the last second: %.1f ms%n",
                        worst / 1e6);
                System.out.flush();
                worst = 0;
                second = now;
            }
        }
    }
}
