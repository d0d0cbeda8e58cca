package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code counters}: four tasks counting to 100, yielding after each step (article 004, "Async
 * Python", its working example).
 *
 * <p>{@code await asyncio.sleep(0)} is {@link Async#yieldNow()}: the task goes to the back of the
 * ready queue, so the four take turns, one step each. Main waits as the article's does: drop the
 * finished tasks, await the first one left, repeat. Without the yield each counter has no
 * suspension point and runs to 100 before the next one starts.
 */
public final class Counters {

    private Counters() {
    }

    public static final int DEFAULT_TASKS = 4, DEFAULT_COUNT = 100;

    /** One line printed by a counter. */
    public record Line(int task, int value) {
        @Override
        public String toString() {
            return "task" + task + ": " + value;
        }
    }

    public record Result(List<Line> lines) {
    }

    /** {@code async def counter(name)}: counts 0 .. count-1, yielding after each step if asked. */
    static void counter(Settings s, List<Line> lines, int task, int count, boolean yieldEachStep) {
        for (int i = 0; i < count; i++) {
            Line line = new Line(task, i);
            lines.add(line);
            s.say("  " + line);
            if (yieldEachStep) {
                Async.yieldNow();
            }
        }
    }

    public static Result run(Settings s, int tasks, int count, boolean yieldEachStep) {
        return s.run(() -> {
            List<Line> lines = new ArrayList<>();
            List<Task<Object>> running = new ArrayList<>();
            for (int n = 0; n < tasks; n++) {
                int task = n;
                running.add(Async.spawn("task" + n, () -> {
                    counter(s, lines, task, count, yieldEachStep);
                    return null;
                }));
            }
            // The article's main: keep awaiting the first task that is not done yet.
            while (true) {
                running.removeIf(Task::isDone);
                if (running.isEmpty()) {
                    break;
                }
                running.get(0).await();
            }
            return new Result(List.copyOf(lines));
        });
    }

    static final Set<String> OPTIONS = Set.of("count", "tasks");
    static final Set<String> FLAGS = Set.of("no-yield");

    static void cli(Settings s, Args a) {
        int count = a.integer("count", DEFAULT_COUNT, 1, 1_000_000);
        int tasks = a.integer("tasks", DEFAULT_TASKS, 1, 10_000);
        boolean yieldEachStep = !a.flag("no-yield");
        s.say(tasks + " tasks count to " + count + (yieldEachStep ? ", yielding after each step:" : " without yielding:"));
        Result r = run(s, tasks, count, yieldEachStep);
        s.say(yieldEachStep ? "Each line came from the next task in turn: " + takesTurns(r.lines(), tasks)
                : "Each task ran to the end before the next one started.");
    }

    /** True if line i came from task i mod tasks, for every line. */
    static boolean takesTurns(List<Line> lines, int tasks) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).task() != i % tasks || lines.get(i).value() != i / tasks) {
                return false;
            }
        }
        return true;
    }
}
