package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.lowlevel.Readiness;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Sub-millisecond sleeps on the real clock: the loop leaves the selector (whose timeout is in whole
 * milliseconds) before the deadline and parks for the last stretch (see {@code SelectorBackend}). The bounds
 * are generous: a sleep of 200 µs used to take at least 1 ms, every time (the selector's timeout
 * rounded up), and now takes about 250 µs on an idle machine; a test passes if one of three
 * attempts has its median sleep under 900 µs, which a loaded machine still allows and the old
 * rounding never did.
 */
class TimerPrecisionTest {

    private static final Duration SHORT = Duration.ofNanos(200_000);

    /** Median wall time of {@code n} sleeps of {@link #SHORT}, in nanoseconds, in the running task. */
    private static long medianSleep(int n) {
        long[] took = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Async.sleep(SHORT);
            took[i] = System.nanoTime() - t0;
        }
        Arrays.sort(took);
        return took[n / 2];
    }

    private static long bestOfThree(java.util.function.LongSupplier attempt) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3 && best >= 900_000; i++) {
            best = Math.min(best, attempt.getAsLong());
        }
        return best;
    }

    @Test
    void aSubMillisecondSleepIsNotRoundedUpToAMillisecond() {
        long median = Async.run(() -> bestOfThree(() -> medianSleep(41)));
        assertTrue(median >= SHORT.toNanos(), "a sleep never ends early: " + median + " ns");
        assertTrue(median < 900_000, "median sleep of 200 µs took " + median / 1_000 + " µs");
    }

    @Test
    void aSubMillisecondSleepIsPreciseWithAChannelRegistered() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            long median = Async.run(() -> {
                // Nobody connects: the acceptor keeps the channel registered for the whole test.
                Task<Object> acceptor = Async.spawn(() -> {
                    Readiness.waitReadable(server);
                    return null;
                });
                long m = bestOfThree(() -> medianSleep(41));
                acceptor.cancel();
                return m;
            });
            assertTrue(median < 900_000, "median sleep of 200 µs took " + median / 1_000 + " µs");
        }
    }

    @Test
    void callbacksFromAnotherThreadArriveWhileTheLoopWaitsOutShortSleeps() throws Exception {
        int n = 500;
        AtomicInteger ran = new AtomicInteger();
        EventLoop loop = new EventLoop();
        Thread submitter = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < n; i++) {
                loop.callSoonThreadsafe(ran::incrementAndGet);
                Thread.onSpinWait();
            }
        });
        try {
            loop.run(() -> {
                // Short sleeps keep the loop in its parked last stretch most of the time; every
                // callback must still get through, and the loop must end once all have run.
                while (ran.get() < n) {
                    Async.sleep(Duration.ofNanos(300_000));
                }
                return null;
            });
        } finally {
            submitter.join();
        }
        assertEquals(n, ran.get());
    }
}
