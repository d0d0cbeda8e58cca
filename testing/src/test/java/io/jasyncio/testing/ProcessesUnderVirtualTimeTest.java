package io.jasyncio.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.Async;
import io.jasyncio.process.ProcessOptions;
import io.jasyncio.process.Processes;
import io.jasyncio.process.Subprocess;
import java.time.Duration;

/**
 * A child's pipes under virtual time: a task waiting for a child's output waits for something
 * outside the loop, so the virtual clock must neither call it a deadlock nor jump time past it.
 */
class ProcessesUnderVirtualTimeTest {

    @AsyncTest
    void readingAChildsOutputWaitsInRealTimeNotADeadlockOrAJump() throws Exception {
        long t0 = Async.currentLoop().time();
        try (Subprocess cat = Processes.exec(ProcessOptions.piped(), "cat")) {
            String line = Async.withTimeout(Duration.ofHours(1), () -> {
                cat.stdin().write("hello\n", UTF_8);
                return cat.stdout().readLine(UTF_8);
            });
            assertEquals("hello", line);
            cat.stdin().close();
            assertEquals(0, cat.await());
        }
        assertEquals(t0, Async.currentLoop().time(), "virtual time moved while only the child was awaited");
    }
}
