package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code say-after}: "hello" after 1 s and "world" after 2 s (article 003, "asyncio", examples 2
 * and 3 of its home-made {@code myasyncio}).
 *
 * <p>Awaited one after the other, the waits add up: about 3 s. Spawned as two tasks first and then
 * awaited, both sleep at the same time: about 2 s. The only difference is {@link Async#spawn}.
 */
public final class SayAfter {

    private SayAfter() {
    }

    /** Both timings, and the words in the order they were said. */
    public record Result(long sequentialNanos, long concurrentNanos, List<String> said) {
    }

    /** {@code async def say_after(delay, what): await sleep(delay); print(what)}. */
    static void sayAfter(Settings s, List<String> said, Duration delay, String what) {
        Async.sleep(delay);
        said.add(what);
        s.say("  " + what);
    }

    public static Result run(Settings s) {
        return s.run(() -> {
            List<String> said = new ArrayList<>();

            s.say("Awaited one after the other:");
            long t0 = Settings.now();
            sayAfter(s, said, s.seconds(1), "hello");
            sayAfter(s, said, s.seconds(2), "world");
            long sequential = Settings.now() - t0;
            s.say("  took " + s.time(sequential));

            s.say("Spawned as two tasks, then awaited:");
            long t1 = Settings.now();
            Task<Object> hello = Async.spawn(() -> {
                sayAfter(s, said, s.seconds(1), "hello");
                return null;
            });
            Task<Object> world = Async.spawn(() -> {
                sayAfter(s, said, s.seconds(2), "world");
                return null;
            });
            hello.await();
            world.await();
            long concurrent = Settings.now() - t1;
            s.say("  took " + s.time(concurrent));
            return new Result(sequential, concurrent, List.copyOf(said));
        });
    }

    static void cli(Settings s, Args a) {
        Result r = run(s);
        s.say("Sequential " + s.time(r.sequentialNanos()) + " = 1 s + 2 s; as tasks " + s.time(r.concurrentNanos())
                + " = the longer wait.");
    }
}
