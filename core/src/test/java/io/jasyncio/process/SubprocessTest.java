package io.jasyncio.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.AsyncTimeoutException;
import io.jasyncio.CancelledException;
import io.jasyncio.EventLoop;
import io.jasyncio.Signal;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, waiting for, signalling and stopping children, and what is left afterwards: nothing. */
class SubprocessTest {

    static final Duration BOUND = Duration.ofSeconds(20);
    static final ProcessOptions QUICK = ProcessOptions.defaults().killGrace(Duration.ofMillis(200));

    @Test
    void exitCodesAreTheChildsOwn() {
        Async.run(() -> {
            assertEquals(0, Processes.exec("true").await());
            assertEquals(1, Processes.exec("false").await());
            assertEquals(3, Processes.shell("exit 3").await());
            assertEquals(137, Processes.shell("exit 137").await(), "an exit status of 137 is not a SIGKILL");
            return null;
        });
    }

    @Test
    void aChildKilledByASignalReportsMinusTheSignalAsAsyncioDoes() {
        Async.run(() -> {
            Subprocess killed = Processes.exec("sleep", "100");
            assertNull(killed.returnCode());
            assertTrue(killed.isRunning());
            killed.kill();
            assertEquals(-9, killed.await());
            assertEquals(-9, killed.returnCode());

            Subprocess terminated = Processes.exec("sleep", "100");
            terminated.terminate();
            assertEquals(-15, terminated.await());

            Subprocess interrupted = Processes.exec("sleep", "100");
            interrupted.sendSignal(Signal.INT);
            assertEquals(-2, interrupted.await());

            Subprocess usr1 = Processes.exec("sleep", "100");
            usr1.sendSignal(Signal.USR1);
            assertEquals(-Signal.USR1.number(), usr1.await());

            Subprocess trapping = Processes.exec(ProcessOptions.defaults().stdout(Stdio.DEVNULL), "sh", "-c",
                    "trap 'exit 7' USR2; while :; do sleep 0.05; done");
            Async.sleep(Duration.ofMillis(200)); // let the shell set its trap: a wait-until would need a pipe
            trapping.sendSignal(Signal.USR2);
            assertEquals(7, trapping.await(), "a child that handles the signal exits as it chooses");
            trapping.close();

            for (Subprocess p : List.of(killed, terminated, interrupted, usr1, trapping)) {
                assertTrue(ProcTesting.reaped(p.pid()), p + " left a zombie: " + ProcTesting.state(p.pid()));
                p.close();
            }
            killed.kill(); // after the end: nothing happens
            killed.sendSignal(Signal.HUP);
            assertEquals(-9, killed.returnCode());
            return null;
        });
    }

    @Test
    void aMissingProgramIsAnIOException() {
        Async.run(() -> {
            IOException e = assertThrows(IOException.class, () -> Processes.exec("/no/such/program-jasyncio"));
            assertTrue(e.getMessage().contains("/no/such/program-jasyncio"), e.getMessage());
            return null;
        });
    }

    @Test
    void awaitWithATimeoutLeavesTheChildRunning() {
        Async.run(() -> {
            Subprocess p = Processes.exec(QUICK, "sleep", "100");
            assertThrows(AsyncTimeoutException.class, () -> p.await(Duration.ofMillis(50)));
            assertTrue(p.isRunning());
            p.close();
            assertFalse(p.isRunning());
            assertEquals(-15, p.returnCode());
            assertTrue(ProcTesting.reaped(p.pid()));
            return null;
        });
    }

    @Test
    void cancellingTheTaskThatAwaitsAChildStopsAndReapsIt() {
        long fds = ProcTesting.openDescriptors();
        Async.run(() -> {
            List<Subprocess> started = new ArrayList<>();
            Task<Integer> waiter = Async.spawn(() -> {
                Subprocess p = Processes.exec(QUICK, "sleep", "100");
                started.add(p);
                return p.await();
            });
            while (started.isEmpty()) {
                Async.sleep(Duration.ofMillis(5));
            }
            waiter.cancel();
            assertThrows(CancelledException.class, waiter::await);
            Subprocess p = started.get(0);
            assertEquals(-15, p.returnCode());
            assertTrue(ProcTesting.reaped(p.pid()), "zombie: " + ProcTesting.state(p.pid()));
            return null;
        });
        assertEquals(fds, ProcTesting.openDescriptors());
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGracePeriod() {
        Async.run(() -> {
            // A shell that ignores TERM and says so on stdout once its trap is set.
            Subprocess p = Processes.exec(QUICK.stdout(Stdio.PIPE), "sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done");
            Async.withTimeout(BOUND, () -> {
                while (p.stdoutPipe.buffered() == 0) {
                    Async.sleep(Duration.ofMillis(5));
                }
                return null;
            });
            Task<Integer> waiter = Async.spawn(p::await);
            Async.sleep(Duration.ofMillis(10));
            long t0 = System.nanoTime();
            waiter.cancel();
            assertThrows(CancelledException.class, waiter::await);
            assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(200).toNanos(), "SIGKILL before the grace period ended");
            assertEquals(-9, p.returnCode());
            assertTrue(ProcTesting.reaped(p.pid()));
            return null;
        });
    }

    @Test
    void aTaskCancelledWhileItsChildStartsLeavesNoChild() {
        Async.run(() -> {
            for (int i = 0; i < 20; i++) {
                Task<Subprocess> t = Async.spawn(() -> Processes.exec("sleep", "100"));
                Async.yieldNow(); // the task has handed the start to a worker and waits
                t.cancel();
                assertThrows(CancelledException.class, t::await);
            }
            Async.withTimeout(BOUND, () -> {
                while (ProcTesting.children() > 0) { // the workers' starts end, and each child is killed
                    Async.sleep(Duration.ofMillis(10));
                }
                return null;
            });
            return null;
        });
    }

    @Test
    void aGroupsFailureStopsTheChildASiblingAwaits() {
        List<Subprocess> started = new ArrayList<>();
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> Async.run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                g.spawn(() -> {
                    Subprocess p = Processes.exec(QUICK, "sleep", "100");
                    started.add(p);
                    return p.await();
                });
                g.spawn(() -> {
                    while (started.isEmpty()) {
                        Async.sleep(Duration.ofMillis(5));
                    }
                    throw new IllegalStateException("boom");
                });
            }
            return null;
        }));
        assertEquals("boom", e.exceptions().get(0).getMessage());
        assertEquals(-15, started.get(0).returnCode());
        assertTrue(ProcTesting.reaped(started.get(0).pid()));
    }

    @Test
    void closingTheLoopKillsAndReapsLiveChildren() {
        long fds = ProcTesting.openDescriptors();
        EventLoop loop = new EventLoop();
        Subprocess p = loop.runUntilComplete(() -> Processes.exec(ProcessOptions.piped(), "sleep", "100"));
        assertTrue(p.isRunning());
        loop.close();
        assertFalse(p.isRunning());
        assertEquals(-9, p.returnCode());
        assertTrue(ProcTesting.reaped(p.pid()), "zombie: " + ProcTesting.state(p.pid()));
        assertEquals(fds, ProcTesting.openDescriptors());
    }

    @Test
    void runsEndWithNoChildLeftEvenIfMainForgotOne() {
        Subprocess p = Async.run(() -> Processes.exec(QUICK, "sleep", "100"));
        assertEquals(-9, p.returnCode());
        assertTrue(ProcTesting.reaped(p.pid()));
    }

    @Test
    void optionsSetTheDirectoryEnvironmentAndFiles(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "from a file\n");
        Async.run(() -> {
            Path out = dir.resolve("out.txt");
            int rc = Processes.shell(ProcessOptions.defaults().directory(dir).env("JASYNCIO_X", "42")
                    .stdin(Stdio.file(in)).stdout(Stdio.file(out)).stderr(Stdio.STDOUT),
                    "pwd; echo $JASYNCIO_X; cat; echo to-stderr >&2").await();
            assertEquals(0, rc);
            assertEquals(dir.toRealPath() + "\n42\nfrom a file\nto-stderr\n", Files.readString(out));
            Processes.shell(ProcessOptions.defaults().stdout(Stdio.appendTo(out)), "echo appended").await();
            assertTrue(Files.readString(out).endsWith("to-stderr\nappended\n"));
            assertEquals(0, Processes.shell(ProcessOptions.defaults().environment(java.util.Map.of("ONLY", "1"))
                    .stdout(Stdio.DEVNULL).stdin(Stdio.DEVNULL), "test \"$ONLY\" = 1 && test -z \"$HOME\"").await());
            return null;
        });
        assertEquals("from a file\n", Files.readString(in, StandardCharsets.UTF_8));
    }
}
