package io.jasyncio.examples;

import io.jasyncio.EventLoop;
import io.jasyncio.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Settings for tests: output captured in {@link #lines}, on a virtual or a real clock. */
final class TestSettings {

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final VirtualClock clock = newClock();

    /** Scale 1, on the virtual clock: an article-second is exactly one virtual second. */
    Settings virtual(long seed) {
        return new Settings(1.0, seed, lines::add, () -> EventLoop.builder().clock(clock));
    }

    /** Real time, with one article-second lasting {@code scale} seconds. */
    Settings real(double scale, long seed) {
        return new Settings(scale, seed, lines::add, EventLoop::builder);
    }

    static long seconds(double s) {
        return Math.round(s * 1e9);
    }

    static Duration nanos(long n) {
        return Duration.ofNanos(n);
    }

    /**
     * Core's virtual clock as the examples' tests need it: while a thread or a channel may still
     * hand the loop work, time jumps only once the loop has sat idle for 20 ms of real time (a
     * worker waiting for a task asleep in virtual time must not deadlock the test), and a loop
     * with nothing pending blocks as on the real clock.
     */
    static VirtualClock newClock() {
        return new VirtualClock().setAutojumpThreshold(Duration.ofMillis(20)).setDeadlockDetection(false);
    }
}
