package io.jasyncio.examples;

import io.jasyncio.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Settings for tests: output captured in {@link #lines}, on a virtual or a real clock. */
final class TestSettings {

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final VirtualClock clock = new VirtualClock();

    /** Scale 1, on the virtual clock: an article-second is exactly one virtual second. */
    Settings virtual(long seed) {
        return new Settings(1.0, seed, lines::add, clock::loop);
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
}
