package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LoopGroupTest {

    private static LoopGroup quietGroup(int n, List<ErrorReport> reports) {
        return LoopGroup.builder().loops(n).exceptionHandler((loop, r) -> reports.add(r)).build();
    }

    @Test
    void runReturnsMainsValueAndEveryLoopRunsOnItsOwnThread() {
        List<ErrorReport> reports = new CopyOnWriteArrayList<>();
        LoopGroup group = quietGroup(3, reports);
        List<String> seen = group.run(() -> {
            assertSame(group.loop(0), Async.currentLoop());
            assertSame(group, LoopGroup.currentOrNull());
            List<String> threads = new ArrayList<>();
            for (EventLoop loop : group.loops()) {
                threads.add(Async.awaitOn(loop, () -> {
                    assertSame(loop, Async.currentLoop(), "Async.currentLoop() is the loop the task runs on");
                    Thread t = Thread.currentThread();
                    // The portable engine runs each task on a virtual thread that holds the loop's baton.
                    assertTrue(t.getName().equals(loopThreadName(loop))
                            || (loop.engineName().equals("portable") && t.isVirtual()), t.getName());
                    return loopThreadName(loop);
                }));
            }
            return threads;
        });
        assertEquals(3, seen.size());
        assertEquals(3, seen.stream().distinct().count(), "three loops, three threads: " + seen);
        for (int i = 0; i < 3; i++) {
            assertTrue(seen.get(i).endsWith("-loop-" + i), seen.get(i));
        }
        assertTrue(group.isTerminated());
        assertEquals(List.of(), reports);
    }

    @Test
    void awaitOnKeepsTheRemoteTasksTypedError() {
        try (LoopGroup group = quietGroup(2, new CopyOnWriteArrayList<>())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.run(() ->
                    Async.awaitOn(group.loop(1), () -> {
                        throw new IllegalArgumentException("bad input on loop 1");
                    })));
            assertEquals("bad input on loop 1", e.getMessage());
        }
    }

    @Test
    void awaitingATaskOfAnotherLoopDirectlyNamesTheDoors() {
        LoopGroup group = quietGroup(2, new CopyOnWriteArrayList<>());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> group.run(() -> {
            // a task of loop 1, handed to a task of loop 0
            Task<?> foreign = Async.await(group.loop(1).submit(() -> Async.spawn(() -> {
                Async.sleep(Duration.ofHours(1)); // pending; the group's shutdown cancels it
                return "there";
            })));
            return foreign.await();
        }));
        assertTrue(e.getMessage().contains("Async.awaitOn(loop, callable)"), e.getMessage());
        assertTrue(e.getMessage().contains("CrossLoopChannel"), e.getMessage());
        assertTrue(e.getMessage().contains("loop 1 of"), e.getMessage());
    }

    @Test
    void cancellingTheAwaiterCancelsTheRemoteTaskAndWaitsForItsEnd() {
        List<ErrorReport> reports = new CopyOnWriteArrayList<>();
        LoopGroup group = quietGroup(2, reports);
        AtomicBoolean remoteCancelled = new AtomicBoolean();
        AtomicBoolean remoteEndedFirst = new AtomicBoolean();
        group.run(() -> {
            Promise<Void> remoteStarted = new Promise<>(Async.currentLoop());
            EventLoop home = Async.currentLoop();
            Task<String> awaiter = Async.spawn(() -> Async.awaitOn(group.loop(1), () -> {
                home.callSoonThreadsafe(() -> remoteStarted.complete(null));
                try {
                    Async.sleep(Duration.ofHours(1));
                    return "never";
                } catch (CancelledException e) {
                    remoteCancelled.set(true);
                    throw e;
                }
            }));
            remoteStarted.await();
            awaiter.cancel();
            try {
                awaiter.await();
            } catch (CancelledException expected) {
                remoteEndedFirst.set(remoteCancelled.get());
            }
            return null;
        });
        assertTrue(remoteCancelled.get(), "the remote task saw the cancellation");
        assertTrue(remoteEndedFirst.get(), "the awaiter threw only after the remote task had ended");
        assertEquals(List.of(), reports);
    }

    @Test
    void aRemoteTaskCancelledOnItsLoopIsACancellationHere() {
        LoopGroup group = quietGroup(2, new CopyOnWriteArrayList<>());
        String outcome = group.run(() -> {
            try {
                Async.awaitOn(group.loop(1), () -> {
                    Async.currentTask().cancel("cancelled on loop 1");
                    Async.yieldNow();
                    return "never";
                });
                return "returned";
            } catch (CancelledException e) {
                assertFalse(Async.currentTask().isCancelRequested(), "the awaiter itself was not cancelled");
                return e.getMessage();
            }
        });
        assertTrue(outcome.contains("was cancelled"), outcome);
    }

    @Test
    void awaitOnAClosedLoopIsATypedError() {
        LoopGroup other = quietGroup(1, new CopyOnWriteArrayList<>());
        other.close();
        LoopGroup group = quietGroup(1, new CopyOnWriteArrayList<>());
        LoopClosedException e = assertThrows(LoopClosedException.class,
                () -> group.run(() -> Async.awaitOn(other.loop(0), () -> "x")));
        assertTrue(e.getMessage().contains("Async.awaitOn"), e.getMessage());
    }

    @Test
    void aLoopThatDiesIsReportedAndTakesTheGroupDownWithAnError() {
        List<ErrorReport> reports = new CopyOnWriteArrayList<>();
        LoopGroup group = quietGroup(3, reports);
        LoopGroupException e = assertThrows(LoopGroupException.class, () -> group.run(() -> {
            group.loop(2).callSoonThreadsafe(() -> {
                throw new StackOverflowError("simulated death of loop 2");
            });
            Async.sleep(Duration.ofHours(1)); // the group's shutdown cancels this
            return null;
        }));
        assertInstanceOf(StackOverflowError.class, e.getCause());
        assertTrue(e.getMessage().contains("failed"), e.getMessage());
        assertTrue(reports.stream().anyMatch(r -> r.message().contains("loop 2 of")), reports.toString());
        assertTrue(group.isTerminated());
        assertEquals(1, group.failures().size());
    }

    @Test
    void shutdownLeavesNoThreadAndNoDescriptor() {
        int fdsBefore = openDescriptors();
        String prefix;
        LoopGroup group = quietGroup(4, new CopyOnWriteArrayList<>());
        prefix = group.run(() -> {
            for (EventLoop loop : group.loops()) {
                Async.awaitOn(loop, () -> Async.toThread(() -> "worker thread used")); // each loop's executor
                loop.callSoonThreadsafe(() -> Async.currentLoop()); // no-op
            }
            String name = loopThreadName(Async.currentLoop());
            return name.substring(0, name.lastIndexOf("-loop-"));
        });
        assertTrue(group.isTerminated());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith(prefix + "-"), "thread left: " + t.getName());
        }
        assertTrue(openDescriptors() <= fdsBefore, "descriptors before " + fdsBefore + ", after " + openDescriptors());
    }

    @Test
    void closeWithoutRunStopsEveryLoop() {
        LoopGroup group = quietGroup(2, new CopyOnWriteArrayList<>());
        group.close();
        assertTrue(group.isTerminated());
        for (EventLoop l : group.loops()) {
            assertTrue(l.isClosed());
        }
    }

    @Test
    void interleavedGroupsReplayTheSameScheduleFromTheSameSeed() {
        List<String> first = interleavedTrace(7);
        assertEquals(first, interleavedTrace(7));
        boolean someOtherSeedDiffers = false;
        for (long seed = 0; seed < 20 && !someOtherSeedDiffers; seed++) {
            someOtherSeedDiffers = !interleavedTrace(seed).equals(first);
        }
        assertTrue(someOtherSeedDiffers, "seeds change the interleaving");
    }

    private static List<String> interleavedTrace(long seed) {
        io.jasyncio.time.VirtualClock clock = new io.jasyncio.time.VirtualClock();
        LoopGroup group = LoopGroup.builder().loops(3).interleaved(clock, seed).build();
        List<String> trace = new ArrayList<>(); // one thread steps all loops: a plain list is safe
        group.run(() -> {
            List<Task<Object>> parts = new ArrayList<>();
            for (EventLoop loop : group.loops()) {
                parts.add(Async.spawn(() -> Async.awaitOn(loop, () -> {
                    for (int i = 0; i < 3; i++) {
                        trace.add(group.indexOf(Async.currentLoop()) + ":" + i);
                        Async.yieldNow();
                    }
                    Async.sleep(Duration.ofSeconds(1));
                    trace.add(group.indexOf(Async.currentLoop()) + ":slept");
                    return null;
                })));
            }
            Async.gather(parts);
            return null;
        });
        return trace;
    }

    @Test
    void interleavedLoopsRefuseEachOthersStateAsThreadsWould() {
        LoopGroup group = LoopGroup.builder().loops(2).interleaved(new io.jasyncio.time.VirtualClock(), 1L).build();
        WrongThreadException e = assertThrows(WrongThreadException.class, () -> group.run(() -> {
            Task<String> onZero = Async.spawn(() -> "zero");
            return Async.awaitOn(group.loop(1), () -> {
                onZero.cancel(); // loop 0's task, touched from loop 1
                return "no";
            });
        }));
        assertTrue(e.getMessage().contains("Async.awaitOn"), e.getMessage());
    }

    /** The name of the thread that runs {@code loop}'s callbacks (its own thread, on either engine). */
    static String loopThreadName(EventLoop loop) {
        java.util.concurrent.CompletableFuture<String> name = new java.util.concurrent.CompletableFuture<>();
        loop.callSoonThreadsafe(() -> name.complete(Thread.currentThread().getName()));
        return Async.await(name);
    }

    private static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }

    @Test
    void theDumpOfEveryLoopListsEachLoopOfTheGroupWithItsOwnTasks() {
        try (LoopGroup group = quietGroup(2, new CopyOnWriteArrayList<>())) {
            group.run(() -> {
                Task<?> sleeper = Async.awaitOn(group.loop(1),
                        () -> Async.spawn("sleeper-on-1", () -> { Async.sleep(Duration.ofHours(1)); return null; }));
                io.jasyncio.diagnostics.TaskDump dump = EventLoop.dumpAllLoops();
                List<Long> ids = dump.loops().stream().map(io.jasyncio.diagnostics.LoopDump::loopId).toList();
                assertTrue(ids.contains(group.loop(0).id()) && ids.contains(group.loop(1).id()), ids.toString());
                io.jasyncio.diagnostics.LoopDump one = dump.loops().stream()
                        .filter(l -> l.loopId() == group.loop(1).id()).findFirst().orElseThrow();
                assertTrue(one.tasks().stream().anyMatch(t -> t.name().equals("sleeper-on-1")), one.toString());
                io.jasyncio.diagnostics.LoopDump zero = dump.loops().stream()
                        .filter(l -> l.loopId() == group.loop(0).id()).findFirst().orElseThrow();
                assertFalse(zero.tasks().stream().anyMatch(t -> t.name().equals("sleeper-on-1")), zero.toString());
                group.loop(1).callSoonThreadsafe(() -> sleeper.cancel());
                return null;
            });
        }
    }
}
