package io.jasyncio.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.CancelledException;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import io.jasyncio.process.ProcessOptions;
import io.jasyncio.process.Processes;
import io.jasyncio.process.Subprocess;
import java.io.IOException;
import io.jasyncio.time.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's API tour, compiled and run: every snippet there is copied from here (the code
 * between the {@code // README} markers, unchanged). Sleeping snippets run on the virtual clock.
 */
class ReadmeSnippetsTest {

    private final VirtualClock clock = TestSettings.newClock();

    // README: no colouring
    static String fetch(String what) {          // a plain method: no async keyword, no future in its type
        Async.sleep(Duration.ofMillis(100));    // suspends the calling task, not the thread
        return what.toUpperCase();
    }
    // README end

    @Test
    void spawnAndAwait() {
        long t0 = System.nanoTime();
        // README: spawn and await (on the real clock: it is the README's first promise)
        String greeting = Async.run(() -> {
            Task<String> hello = Async.spawn(() -> { Async.sleep(Duration.ofSeconds(1)); return "hello"; });
            Task<String> world = Async.spawn(() -> { Async.sleep(Duration.ofSeconds(2)); return "world"; });
            return hello.await() + " " + world.await();   // about 2 s, not 3
        });
        // README end
        long took = System.nanoTime() - t0;
        assertEquals("hello world", greeting);
        assertTrue(took >= Duration.ofSeconds(2).toNanos() && took < Duration.ofMillis(2900).toNanos(), took + " ns");
    }

    @Test
    void gatherAndYield() {
        List<Object> seen = Async.run(EventLoop.builder().clock(clock), () -> {
            // README: gather
            List<String> both = Async.gather(Async.spawn(() -> fetch("a")), Async.spawn(() -> fetch("b")));
            // both = [A, B], after 100 ms rather than 200
            // README end
            List<String> order = new ArrayList<>();
            Task<Object> other = Async.spawn(() -> { order.add("other"); return null; });
            // README: yield
            Async.yieldNow();   // asyncio.sleep(0): let every other ready task run once
            // README end
            order.add("me");
            other.await();
            return List.of(both, order);
        });
        assertEquals(List.of(List.of("A", "B"), List.of("other", "me")), seen);
    }

    @Test
    void timeouts() {
        Async.run(EventLoop.builder().clock(clock), () -> {
            // README: timeouts
            try {
                String r = Async.withTimeout(Duration.ofMillis(50), () -> fetch("slow"));
            } catch (AsyncTimeoutException e) {
                // fetch was cancelled at its sleep and has unwound
            }
            String orNull = Async.moveOnAfter(Duration.ofMillis(50), () -> fetch("slow"));   // null: cut short
            Task<String> task = Async.spawn(() -> fetch("x"));
            String x = task.await(Duration.ofSeconds(1));   // stop waiting after 1 s (the task keeps running)
            // README end
            assertNull(orNull);
            assertEquals("X", x);
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(50), () -> fetch("slow")));
            return null;
        });
    }

    @Test
    void taskGroups() {
        List<String> results = new ArrayList<>();
        Async.run(EventLoop.builder().clock(clock), () -> {
            // README: task group
            try (TaskGroup group = Async.taskGroup()) {
                group.spawn(() -> results.add(fetch("a")));
                group.spawn(() -> results.add(fetch("b")));
            }   // waits here for both
            // README end
            return null;
        });
        assertEquals(List.of("A", "B"), results);

        List<String> cancelled = new ArrayList<>();
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> Async.run(EventLoop.builder().clock(clock), () -> {
            try (TaskGroup group = Async.taskGroup()) {
                group.spawn(() -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                    } catch (CancelledException c) {
                        cancelled.add("sibling");
                        throw c;
                    }
                    return null;
                });
                group.spawn(() -> { throw new IllegalStateException("boom"); });
            }
            return null;
        }));
        assertEquals("boom", e.exceptions().get(0).getMessage());
        assertEquals(List.of("sibling"), cancelled);
    }

    @Test
    void cancellation() {
        List<String> log = new ArrayList<>();
        Async.run(EventLoop.builder().clock(clock), () -> {
            // README: cancellation
            Task<String> t = Async.spawn(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return "never";
                } finally {
                    Async.shield(() -> { Async.sleep(Duration.ofMillis(10)); return null; });   // cleanup that awaits
                }
            });
            Async.sleep(Duration.ofMillis(10));
            t.cancel();
            try {
                t.await();
            } catch (CancelledException e) {
                // t.isCancelled() is true now
            }
            // README end
            log.add(t.isCancelled() + "");
            return null;
        });
        assertEquals(List.of("true"), log);
    }

    @Test
    void toThread(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("data.bin");
        Files.write(path, new byte[] {1, 2, 3});
        byte[] read = Async.run(() -> {
            // README: toThread
            byte[] data = Async.toThread(() -> Files.readAllBytes(path));   // blocking call on a worker thread
            // README end
            return data;
        });
        assertEquals(3, read.length);
        assertTrue(read[2] == 3);
    }

    // README: processes
    static String firstSorted(String text) throws IOException {
        try (Subprocess sort = Processes.exec(ProcessOptions.piped(), "sort")) {
            sort.stdin().write(text, UTF_8);
            sort.stdin().close();                          // sort reads to the end of its input
            String first = sort.stdout().readLine(UTF_8);  // as soon as sort prints it
            if (sort.await() != 0) {                       // a cancelled await stops and reaps sort
                throw new IOException("sort failed");
            }
            return first;
        }
    }
    // README end

    @Test
    void childProcess() {
        assertEquals("a", Async.run(() -> firstSorted("b\na\n")));
    }

    @Test
    void theReadmeShowsExactlyTheseSnippets() throws Exception {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "README.md not found above " + System.getProperty("user.dir"));
        String readme = Files.readString(dir.resolve("README.md"));
        String self = normalise(Files.readString(dir.resolve(
                "examples/src/test/java/io/jasyncio/examples/ReadmeSnippetsTest.java")));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String snippet = normalise(m.group(1));
            assertTrue(self.contains(snippet), "README snippet not in ReadmeSnippetsTest:\n" + m.group(1));
        }
        assertTrue(blocks >= 7, "only " + blocks + " java blocks in the README");
    }

    /** Lines trimmed, blank lines dropped: indentation differs between the README and this file. */
    private static String normalise(String code) {
        StringBuilder b = new StringBuilder("\n");
        for (String line : code.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty()) {
                b.append(t).append('\n');
            }
        }
        return b.toString();
    }
}
