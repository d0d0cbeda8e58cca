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

    @Test
    void virtualClockRunsAnHourOfSleepAtOnce() {
        VirtualTestClock clock = new VirtualTestClock();
        long start = clock.nanoTime();
        long t0 = System.nanoTime();
        int n = Async.run(VirtualTestClock.loopOn(clock), () -> {
            Task<Integer> a = Async.spawn(() -> { Async.sleep(Duration.ofMinutes(30)); return 1; });
            Task<Integer> b = Async.spawn(() -> { Async.sleep(Duration.ofHours(1)); return 2; });
            return a.await() + b.await();
        });
        assertEquals(3, n);
        assertEquals(Duration.ofHours(1).toNanos(), clock.nanoTime() - start);
        org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }
}
