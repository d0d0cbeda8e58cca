package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void spawnsSleepsAndAwaits() {
        String r = Async.run(() -> {
            Task<String> a = Async.spawn(() -> { Async.sleep(Duration.ofMillis(20)); return "hello"; });
            Task<String> b = Async.spawn(() -> { Async.sleep(Duration.ofMillis(40)); return "world"; });
            return a.await() + " " + b.await();
        });
        assertEquals("hello world", r);
    }
}
