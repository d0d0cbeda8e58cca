package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every example takes: how long one of the articles' seconds lasts here, a seed for the random
 * durations, where output lines go, and how to build the event loop (tests pass a virtual clock).
 *
 * @param scale  how long one article-second lasts, in seconds (1 = as in the articles, 0.25 = four
 *               times faster)
 * @param seed   seed for the random durations an example draws
 * @param out    receives every line the example prints, on the loop's thread
 * @param loops  makes the settings for each event loop the example starts
 */
public record Settings(double scale, long seed, Consumer<String> out, Supplier<EventLoop.Builder> loops) {

    /** The seed the CLI and the tour use unless told otherwise. */
    public static final long DEFAULT_SEED = 42;

    public Settings {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be a positive number, not " + scale);
        }
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(loops, "loops");
    }

    /** Printing to {@code System.out}, on a real-time loop. */
    public static Settings console(double scale, long seed) {
        return new Settings(scale, seed, System.out::println, EventLoop::builder);
    }

    public Settings withScale(double newScale) {
        return new Settings(newScale, seed, out, loops);
    }

    public Settings withSeed(long newSeed) {
        return new Settings(scale, newSeed, out, loops);
    }

    /** {@code articleSeconds} of the articles' time, scaled. */
    public Duration seconds(double articleSeconds) {
        return Duration.ofNanos(Math.round(articleSeconds * scale * 1e9));
    }

    /** Runs {@code main} on a new event loop built from {@link #loops()} (asyncio.run). */
    public <T> T run(Callable<? extends T> main) {
        return Async.run(loops.get(), main);
    }

    /** Prints one line. */
    public void say(String line) {
        out.accept(line);
    }

    /** Now on the running loop's clock, in nanoseconds. Call inside a task. */
    public static long now() {
        return Async.currentLoop().time();
    }

    /** A duration measured here, e.g. {@code 0.75 s (3.00 s unscaled)}. */
    public String time(long nanos) {
        String real = String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        if (scale == 1.0) {
            return real;
        }
        return real + String.format(Locale.ROOT, " (%.2f s unscaled)", unscaled(nanos));
    }

    /** A measured duration in article-seconds. */
    public double unscaled(long nanos) {
        return nanos / 1e9 / scale;
    }

    /**
     * A timestamp for a line, in article-seconds since {@code startNanos}: {@code [t= 3.0]}.
     * Formatted by hand: the first {@code String.format} of a JVM loads enough classes to take tens
     * of milliseconds, which would show up as a late first report.
     */
    public String stamp(long startNanos) {
        long tenths = Math.round(unscaled(now() - startNanos) * 10);
        String digits = (tenths / 10) + "." + (tenths % 10);
        return "[t=" + " ".repeat(Math.max(0, 4 - digits.length())) + digits + "]";
    }
}
