package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#addSignalHandler}, and what {@link EventLoop#run} does with Ctrl-C (SIGINT). */
class SignalTest {

    /** Sends {@code signal} to this JVM with {@code kill}, from a worker thread, and waits for kill to return. */
    static void sendToSelf(Signal signal) {
        Async.toThread(() -> {
            Process kill = new ProcessBuilder("kill", "-s", signal.name(), Long.toString(ProcessHandle.current().pid())).start();
            if (!kill.waitFor(TestSupport.REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -s " + signal + " failed");
            }
            return null;
        });
    }

    @Test
    void aHandlerRunsOnTheLoopThreadEachTimeTheSignalArrives() {
        List<Thread> ranOn = new ArrayList<>();
        Thread loopThread = Thread.currentThread();
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            var event = new io.jasyncio.sync.Event();
            loop.addSignalHandler(Signal.USR2, () -> {
                ranOn.add(Thread.currentThread());
                if (ranOn.size() == 2) {
                    event.set();
                }
            });
            sendToSelf(Signal.USR2);
            while (ranOn.isEmpty()) {
                Async.sleep(Duration.ofMillis(5));
            }
            sendToSelf(Signal.USR2);
            Async.withTimeout(Duration.ofSeconds(TestSupport.REAL_TIMEOUT_SECONDS), () -> {
                event.await();
                return null;
            });
            assertTrue(loop.removeSignalHandler(Signal.USR2));
            assertFalse(loop.removeSignalHandler(Signal.USR2), "already removed");
            return null;
        });
        assertEquals(List.of(loopThread, loopThread), ranOn);
    }

    @Test
    void signalsTheJvmKeepsAreRefusedWithATypedError() {
        Async.run(() -> {
            EventLoop loop = Async.currentLoop();
            for (Signal s : List.of(Signal.QUIT, Signal.SEGV, Signal.KILL, Signal.STOP)) {
                ReservedSignalException e = assertThrows(ReservedSignalException.class, () -> loop.addSignalHandler(s, () -> { }));
                assertSame(s, e.signal());
                assertTrue(e.getMessage().contains("SIG" + s), e.getMessage());
            }
            return null;
        });
    }

    @Test
    void closingTheLoopRemovesItsHandlersAndALaterLoopCanTakeTheSignal() {
        EventLoop first = new EventLoop();
        first.runUntilComplete(() -> {
            first.addSignalHandler(Signal.USR2, () -> { });
            return null;
        });
        assertSame(first, SignalHandlers.holder(Signal.USR2));
        first.close();
        assertNull(SignalHandlers.holder(Signal.USR2));
    }

    @Test
    void signalNumbersAreThePlatformsAndMapBack() {
        assertEquals(2, Signal.INT.number());
        assertEquals(9, Signal.KILL.number());
        assertEquals(15, Signal.TERM.number());
        assertSame(Signal.TERM, Signal.ofNumber(15));
        assertNull(Signal.ofNumber(0));
    }

    @Test
    void ctrlCUnderThrowCancelsMainRunsItsCleanupIncludingShieldsAndThrows() {
        List<String> log = new ArrayList<>();
        KeyboardInterruptException e = assertThrows(KeyboardInterruptException.class,
                () -> Async.run(EventLoop.builder().sigint(SigintHandling.THROW), () -> {
                    assertSame(Async.currentLoop(), SignalHandlers.holder(Signal.INT),
                            "the runner must hold SIGINT before the test sends it to its own JVM");
                    Async.spawn(() -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                        } finally {
                            log.add("other task unwound");
                        }
                        return null;
                    });
                    try {
                        sendToSelf(Signal.INT);
                        Async.sleep(Duration.ofHours(1));
                    } finally {
                        Async.shield(() -> {
                            Async.sleep(Duration.ofMillis(20));
                            log.add("main's shielded cleanup");
                            return null;
                        });
                    }
                    return "never";
                }));
        assertTrue(e.getCause() instanceof CancelledException, String.valueOf(e.getCause()));
        assertEquals(List.of("main's shielded cleanup", "other task unwound"), log);
        assertNull(SignalHandlers.holder(Signal.INT), "SIGINT goes back to the JVM after run");
    }

    @Test
    void offLeavesSigintAlone() {
        Async.run(EventLoop.builder().sigint(SigintHandling.OFF), () -> {
            assertNull(SignalHandlers.holder(Signal.INT));
            return null;
        });
    }

    /** The default, in a JVM of its own: exit status 130 after the cleanup; a second Ctrl-C exits at once. */
    @Test
    void ctrlCExitsWith130AfterCleanupAndASecondOneEndsAtOnce() throws Exception {
        Process child = SigintChild.start(false);
        try {
            assertEquals("ready", SigintChild.readLine(child));
            SigintChild.signal(child, Signal.INT);
            assertEquals(130, SigintChild.waitFor(child));
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("finally ran\nshielded cleanup ran\n", out);
        } finally {
            child.destroyForcibly();
        }

        Process stuck = SigintChild.start(true);
        try {
            assertEquals("ready", SigintChild.readLine(stuck));
            SigintChild.signal(stuck, Signal.INT);
            assertEquals("finally ran", SigintChild.readLine(stuck));
            assertEquals("cleanup started", SigintChild.readLine(stuck)); // a shielded sleep of an hour
            long t0 = System.nanoTime();
            SigintChild.signal(stuck, Signal.INT);
            assertEquals(130, SigintChild.waitFor(stuck));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(TestSupport.REAL_TIMEOUT_SECONDS));
        } finally {
            stuck.destroyForcibly();
        }
    }

    /** The program the test above runs in its own JVM. */
    public static final class SigintChild {
        /**
         * Prints "ready", sleeps until Ctrl-C; in its cleanup prints what ran (with {@code stuck},
         * the cleanup is a shielded sleep of an hour).
         *
         * @param args "stuck" or nothing
         */
        public static void main(String[] args) {
            boolean stuck = args.length > 0;
            Async.run(() -> {
                try {
                    System.out.println("ready");
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    System.out.println("finally ran");
                    Async.shield(() -> {
                        if (stuck) {
                            System.out.println("cleanup started");
                            Async.sleep(Duration.ofHours(1));
                        }
                        Async.sleep(Duration.ofMillis(10));
                        System.out.println("shielded cleanup ran");
                        return null;
                    });
                }
                return null;
            });
            System.out.println("after run (not printed: run exits with 130)");
        }

        static Process start(boolean stuck) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path")));
            cmd.add("-Djasyncio.engine=" + System.getProperty("jasyncio.engine", "auto"));
            cmd.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
            cmd.add(SigintChild.class.getName());
            if (stuck) {
                cmd.add("stuck");
            }
            return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        }

        static String readLine(Process p) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = p.getInputStream().read()) != '\n'; ) {
                if (c < 0) {
                    throw new AssertionError("the child ended early; got '" + b + "'");
                }
                b.append((char) c);
            }
            return b.toString();
        }

        static void signal(Process p, Signal s) throws Exception {
            Process kill = new ProcessBuilder("kill", "-s", s.name(), Long.toString(p.pid())).start();
            assertTrue(kill.waitFor(TestSupport.REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, kill.exitValue());
        }

        static int waitFor(Process p) throws InterruptedException {
            assertTrue(p.waitFor(TestSupport.REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not exit");
            return p.exitValue();
        }
    }
}
