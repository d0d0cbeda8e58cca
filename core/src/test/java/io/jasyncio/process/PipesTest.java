package io.jasyncio.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.Task;
import io.jasyncio.net.LimitOverrunException;
import io.jasyncio.net.StreamReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A child's stdin, stdout and stderr as streams: bytes intact, memory bounded, nothing left after cancellation. */
class PipesTest {

    static final Duration BOUND = SubprocessTest.BOUND;
    static final ProcessOptions PIPED = ProcessOptions.piped().killGrace(Duration.ofMillis(200));

    /** The JDK opens a few descriptors of its own the first time it starts a child: not ours to count. */
    @BeforeAll
    static void warmUp() {
        Async.run(() -> Processes.exec(PIPED, "true").communicate());
    }

    static byte[] pattern(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void linesComeBackThroughCatWithTheSocketStreamApi() {
        Async.run(() -> {
            try (Subprocess cat = Processes.exec(PIPED, "cat")) {
                cat.stdin().write("one\ntwo\nthree;four\n", UTF_8);
                assertEquals("one", cat.stdout().readLine(UTF_8));
                assertEquals("two\n", new String(cat.stdout().readUntil("\n".getBytes(UTF_8)), UTF_8));
                assertEquals("three;", new String(cat.stdout().readUntil(";".getBytes(UTF_8)), UTF_8));
                cat.stdin().close();
                assertEquals("four", cat.stdout().readLine(UTF_8));
                assertNull(cat.stdout().readLine(UTF_8));
                assertTrue(cat.stdout().atEof());
                assertEquals(0, cat.await());
            }
            return null;
        });
    }

    @Test
    void theLimitBoundsReadLineAsOnASocket() {
        Async.run(() -> {
            try (Subprocess p = Processes.exec(PIPED.limit(16), "sh", "-c", "printf '0123456789abcdefXYZ\\nok\\n'")) {
                assertThrows(LimitOverrunException.class, () -> p.stdout().readLine(UTF_8));
                assertEquals(16, p.stdout().limit());
                assertEquals("0123456789abcdefXYZ", new String(p.stdout().readExactly(19), UTF_8), "nothing was lost");
                p.stdout().readExactly(1);
                assertEquals("ok", p.stdout().readLine(UTF_8));
                assertEquals(0, p.await());
            }
            return null;
        });
    }

    @Test
    void aHundredChildrenEachEchoAMebibyteThroughCatEveryByteChecked() {
        int children = 100, size = 1 << 20;
        long fds = ProcTesting.openDescriptors();
        List<Long> pids = new ArrayList<>();
        Async.run(() -> {
            List<Task<Integer>> all = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                long seed = i;
                all.add(Async.spawn(() -> {
                    byte[] sent = pattern(seed, size);
                    try (Subprocess cat = Processes.exec(PIPED, "cat")) {
                        pids.add(cat.pid());
                        Task<Void> writer = Async.spawn(() -> {
                            for (int off = 0; off < size; off += 8192) {   // in pieces: backpressure on every one
                                cat.stdin().write(sent, off, Math.min(8192, size - off));
                            }
                            cat.stdin().close();
                            return null;
                        });
                        byte[] got = cat.stdout().readExactly(size);
                        assertArrayEquals(sent, got, "child " + seed);
                        assertEquals(0, cat.stdout().readUpTo(1).length, "nothing after the echo");
                        writer.await();
                        return cat.await();
                    }
                }));
            }
            for (int rc : Async.gather(all)) {
                assertEquals(0, rc);
            }
            return null;
        });
        assertEquals(children, pids.size());
        for (long pid : pids) {
            assertTrue(ProcTesting.reaped(pid), pid + ": " + ProcTesting.state(pid));
        }
        assertEquals(fds, ProcTesting.openDescriptors());
    }

    @Test
    void aChildWriting100MiBToASlowReaderKeepsTheHeapFlat() {
        long total = 100L << 20;
        var memory = ManagementFactory.getMemoryMXBean();
        Async.run(() -> {
            try (Subprocess p = Processes.exec(PIPED, "head", "-c", Long.toString(total), "/dev/zero")) {
                System.gc();
                long baseline = memory.getHeapMemoryUsage().getUsed();
                long maxGrowth = 0, read = 0, nextSample = 0;
                byte[] buf = new byte[64 * 1024];
                int maxBuffered = 0;
                for (int n; (n = p.stdout().read(buf)) > 0; ) {
                    read += n;
                    Async.sleep(Duration.ofMillis(1)); // slower than the child: it always waits on us
                    maxBuffered = Math.max(maxBuffered, p.stdoutPipe.buffered()); // what the pump handed over meanwhile
                    if (read >= nextSample) {
                        System.gc();
                        maxGrowth = Math.max(maxGrowth, memory.getHeapMemoryUsage().getUsed() - baseline);
                        nextSample += 10L << 20;
                    }
                }
                assertEquals(total, read);
                assertTrue(maxBuffered <= StreamReader.DEFAULT_LIMIT, "held " + maxBuffered + " bytes, beyond the limit");
                assertTrue(maxBuffered > 0, "the reader was never behind: not a slow reader");
                assertTrue(maxGrowth < 16L << 20, "the heap grew by " + (maxGrowth >> 10) + " KiB while 100 MiB went through");
                assertEquals(0, p.await());
            }
            return null;
        });
    }

    @Test
    void communicateSendsTheInputAndReturnsBothOutputs() {
        Async.run(() -> {
            byte[] input = pattern(7, 1 << 20);
            ProcessResult r = Processes.exec(PIPED, "sh", "-c", "echo to-stderr >&2; cat; exit 4").communicate(input);
            assertEquals(4, r.returnCode());
            assertArrayEquals(input, r.stdout());
            assertEquals("to-stderr\n", r.stderrText());

            ProcessResult ignoring = Processes.exec(PIPED, "true").communicate(pattern(8, 1 << 20));
            assertEquals(0, ignoring.returnCode(), "a child that reads none of its input is not an error");
            assertEquals("", ignoring.stdoutText());

            ProcessResult merged = Processes.shell(PIPED.stderr(Stdio.STDOUT), "echo a; echo b >&2").communicate();
            assertEquals("a\nb\n", merged.stdoutText());
            assertNull(merged.stderr());
            return null;
        });
    }

    @Test
    void writingToAChildThatExitedIsABrokenPipe() {
        Async.run(() -> {
            try (Subprocess p = Processes.exec(PIPED, "true")) {
                p.await();
                assertThrows(BrokenPipeException.class, () -> {
                    for (int i = 0; i < 100; i++) { // the first writes may still fit in the queues
                        p.stdin().write(new byte[64 * 1024]);
                        p.stdin().drain();
                    }
                });
            }
            return null;
        });
    }

    @Test
    void aReadCancelledOnItsOwnLosesNothingAndLeavesTheChildAlone() {
        Async.run(() -> {
            try (Subprocess cat = Processes.exec(PIPED, "cat")) {
                assertNull(Async.moveOnAfter(Duration.ofMillis(50), () -> cat.stdout().readLine(UTF_8)));
                assertTrue(cat.isRunning());
                cat.stdin().write("late\n", UTF_8);
                assertEquals("late", cat.stdout().readLine(UTF_8));
            }
            return null;
        });
    }

    @Test
    void aGrandchildHoldingThePipesDoesNotHoldUpCloseOrKeepADescriptor() {
        long fds = ProcTesting.openDescriptors();
        Async.run(() -> {
            // The shell exits at once; its background sleep inherits stdout and stderr and keeps them open.
            long grandchild = -1;
            try (Subprocess sh = Processes.exec(PIPED, "sh", "-c", "sleep 30 & echo $!")) {
                grandchild = Long.parseLong(sh.stdout().readLine(UTF_8));
                assertEquals(0, sh.await());
                long t0 = System.nanoTime();
                sh.close();
                assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(3).toNanos(), "close waited for the grandchild");
            } finally {
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroy); // not ours to reap: init's
            }
            return null;
        });
        assertEquals(fds, ProcTesting.openDescriptors());
    }

    @Test
    void unpipedStreamsSaySo() {
        Async.run(() -> {
            try (Subprocess p = Processes.exec(ProcessOptions.defaults().stdout(Stdio.DEVNULL), "true")) {
                IllegalStateException e = assertThrows(IllegalStateException.class, p::stdout);
                assertTrue(e.getMessage().contains("Stdio.PIPE"), e.getMessage());
                assertThrows(IllegalStateException.class, p::stdin);
                assertThrows(IllegalStateException.class, p::stderr);
                p.await();
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ cancellation at each suspension point

    /** Where a task is when it is cancelled, with a child that never ends on its own. */
    interface Point {
        void suspend(Subprocess p) throws IOException;
    }

    static void cancelledAt(Point point) {
        long fds = ProcTesting.openDescriptors();
        List<Subprocess> started = new ArrayList<>();
        Async.run(() -> {
            Task<Void> t = Async.spawn(() -> {
                try (Subprocess p = Processes.exec(PIPED, "sleep", "100")) {
                    started.add(p);
                    point.suspend(p);
                }
                return null;
            });
            while (started.isEmpty()) {
                Async.sleep(Duration.ofMillis(5));
            }
            Async.sleep(Duration.ofMillis(20)); // well inside the suspension
            t.cancel();
            assertThrows(CancelledException.class, t::await);
            return null;
        });
        Subprocess p = started.get(0);
        assertEquals(-15, p.returnCode());
        assertTrue(ProcTesting.reaped(p.pid()), "zombie: " + ProcTesting.state(p.pid()));
        assertEquals(fds, ProcTesting.openDescriptors(), "descriptors left open");
    }

    @Test
    void cancelledInAWriteToAChildThatDoesNotRead() {
        cancelledAt(p -> {
            byte[] mib = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                p.stdin().write(mib); // suspends once the pipe, the sink and the writer's queue are full
            }
            throw new AssertionError("100 MiB went into a child that reads nothing");
        });
    }

    @Test
    void cancelledInARead() {
        cancelledAt(p -> p.stdout().readLine(UTF_8));
    }

    @Test
    void cancelledInAwait() {
        cancelledAt(Subprocess::await);
    }

    @Test
    void cancelledInCommunicate() {
        cancelledAt(p -> p.communicate(pattern(1, 1 << 20)));
    }

    @Test
    void cancelledInAwaitWithATimeout() {
        cancelledAt(p -> p.await(Duration.ofHours(1)));
    }
}
