package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.diagnostics.Deadlock;
import io.jasyncio.diagnostics.LoopDump;
import io.jasyncio.diagnostics.TaskDump;
import io.jasyncio.diagnostics.TaskInfo;
import io.jasyncio.diagnostics.TaskRef;
import io.jasyncio.diagnostics.Wait;
import io.jasyncio.sync.AsyncQueue;
import io.jasyncio.sync.Barrier;
import io.jasyncio.sync.Condition;
import io.jasyncio.sync.Event;
import io.jasyncio.sync.Lock;
import io.jasyncio.sync.Semaphore;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Task dumps taken from another thread while the loop waits: every kind of wait is described
 * with its resource and owner, awaited-by edges and deadlocks are found, stacks are the tasks'
 * own. Runs on both engines, like every core test.
 */
class TaskDumpTest {

    private static final Duration LONG = Duration.ofHours(1);

    private static TaskInfo task(LoopDump d, String name) {
        return d.tasks().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no task '" + name + "' in\n" + d.tasks()));
    }

    private static <W extends Wait> W waitOf(LoopDump d, String name, Class<W> kind) {
        TaskInfo t = task(d, name);
        assertEquals("PARKED", t.state(), name);
        assertTrue(kind.isInstance(t.waitingOn()), () -> name + " waits on " + t.waitingOn());
        return kind.cast(t.waitingOn());
    }

    private static boolean stackMentions(TaskInfo t, String method) {
        return t.stack().stream().anyMatch(f -> f.getClassName().startsWith("io.jasyncio.TaskDumpTest")
                && (method == null || f.getMethodName().contains(method)));
    }

    /** Dumps until the dump finds the loop blocked in select (it may still be finishing a step at first). */
    static TaskDump dumpOnceWaiting(EventLoop loop) {
        for (int i = 0; ; i++) {
            TaskDump d = loop.dumpTasks();
            if (d.loops().get(0).status().equals("waiting") || i == 10_000) {
                return d;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    static void parkLong() {
        Async.sleep(LONG);
    }

    @Test
    void describesEveryKindOfWaitFromAnotherThread() throws Exception {
        CountDownLatch workerGo = new CountDownLatch(1);
        CountDownLatch workerStarted = new CountDownLatch(1);
        AtomicReference<TaskDump> dumped = new AtomicReference<>();
        Async.run(() -> {
            Lock lock = new Lock();
            Semaphore none = new Semaphore(0);
            AsyncQueue<String> empty = AsyncQueue.fifo();
            AsyncQueue<String> full = AsyncQueue.fifo(1);
            full.putNow("x");
            Event event = new Event();
            Condition condition = new Condition();
            Barrier barrier = new Barrier(3);
            Promise<String> promise = new Promise<>();
            Lock l1 = new Lock();
            Lock l2 = new Lock();
            EventLoop loop = Async.currentLoop();
            try (ServerSocketChannel server = ServerSocketChannel.open();
                 ServerSocketChannel lonely = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress("127.0.0.1", 0));
                server.configureBlocking(false);
                lonely.bind(new InetSocketAddress("127.0.0.1", 0));
                lonely.configureBlocking(false);
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                client.configureBlocking(false);
                List<Task<?>> tasks = new ArrayList<>();
                tasks.add(Async.spawn("sleeper", () -> {
                    parkLong();
                    return null;
                }));
                Task<?> target = Async.spawn("target", () -> {
                    parkLong();
                    return null;
                });
                tasks.add(target);
                tasks.add(Async.spawn("awaiter", target::await));
                tasks.add(Async.spawn("promise-waiter", promise::await));
                tasks.add(Async.spawn("gatherer", () -> Async.gather(target, promise)));
                tasks.add(Async.spawn("group-owner", () -> {
                    try (TaskGroup g = Async.taskGroup()) {
                        g.spawn("child", () -> {
                            parkLong();
                            return null;
                        });
                    }
                    return null;
                }));
                tasks.add(Async.spawn("holder", () -> {
                    try (var held = lock.acquire()) {
                        parkLong();
                    }
                    return null;
                }));
                tasks.add(Async.spawn("lock-waiter", () -> {
                    Async.yieldNow(); // after holder took it
                    lock.acquire().close();
                    return null;
                }));
                tasks.add(Async.spawn("sem-waiter", () -> none.acquire()));
                tasks.add(Async.spawn("getter", empty::get));
                tasks.add(Async.spawn("putter", () -> {
                    full.put("y");
                    return null;
                }));
                tasks.add(Async.spawn("event-waiter", () -> {
                    event.await();
                    return null;
                }));
                tasks.add(Async.spawn("condition-waiter", () -> {
                    try (var g = condition.acquire()) {
                        condition.await();
                    }
                    return null;
                }));
                tasks.add(Async.spawn("barrier-waiter", barrier::await));
                tasks.add(Async.spawn("acceptor", () -> {
                    io.jasyncio.lowlevel.Readiness.waitReadable(lonely);
                    return null;
                }));
                tasks.add(Async.spawn("reader", () -> {
                    io.jasyncio.lowlevel.Readiness.waitReadable(client);
                    return null;
                }));
                tasks.add(Async.spawn("worker-caller", () -> Async.toThread(() -> {
                    workerStarted.countDown();
                    workerGo.await();
                    return "done";
                })));
                // A lock-ownership deadlock: a holds l1 and wants l2, b holds l2 and wants l1.
                tasks.add(Async.spawn("a", () -> {
                    try (var g1 = l1.acquire()) {
                        Async.yieldNow();
                        Async.yieldNow();
                        l2.acquire().close();
                    }
                    return null;
                }));
                tasks.add(Async.spawn("b", () -> {
                    try (var g2 = l2.acquire()) {
                        Async.yieldNow();
                        Async.yieldNow();
                        l1.acquire().close();
                    }
                    return null;
                }));
                // An await cycle: x awaits y, y awaits x.
                AtomicReference<Task<?>> y = new AtomicReference<>();
                Task<?> x = Async.spawn("x", () -> {
                    Async.yieldNow();
                    return y.get().await();
                });
                y.set(Async.spawn("y", () -> {
                    Async.yieldNow();
                    return x.await();
                }));
                tasks.add(x);
                tasks.add(y.get());
                for (int i = 0; i < 5; i++) {
                    Async.yieldNow();
                }
                // The worker call has a thread once it runs, not while it is queued: wait for that.
                Async.await(CompletableFuture.runAsync(() -> {
                    try {
                        workerStarted.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
                // The dump, from another thread, while this task waits for it (a cross-thread future).
                dumped.set(Async.await(CompletableFuture.supplyAsync(() -> dumpOnceWaiting(loop))));
                workerGo.countDown();
                for (Task<?> t : tasks) {
                    t.cancel();
                }
                for (Task<?> t : tasks) {
                    Async.gatherSettled(List.of(t));
                }
                io.jasyncio.lowlevel.Readiness.closeChannel(loop, client);
                io.jasyncio.lowlevel.Readiness.closeChannel(loop, server);
                io.jasyncio.lowlevel.Readiness.closeChannel(loop, lonely);
            }
            return null;
        });

        TaskDump dump = dumped.get();
        assertEquals(1, dump.loops().size());
        LoopDump d = dump.loops().get(0);
        assertEquals("waiting", d.status());

        Wait.Sleep sleep = waitOf(d, "sleeper", Wait.Sleep.class);
        assertTrue(sleep.remainingNanos() > TimeUnit.MINUTES.toNanos(59), sleep.toString());
        assertTrue(stackMentions(task(d, "sleeper"), "parkLong"), () -> "sleeper's stack: " + task(d, "sleeper").stack());
        assertEquals("io.jasyncio.Async", task(d, "sleeper").stack().get(0).getClassName(), "innermost frame: the API call");

        TaskInfo target = task(d, "target");
        assertEquals(new TaskRef(target.id(), "target"), waitOf(d, "awaiter", Wait.OnTask.class).task());
        assertEquals(Set.of("awaiter", "gatherer"), names(target.awaitedBy()));

        assertTrue(waitOf(d, "promise-waiter", Wait.OnPromise.class).promise().startsWith("Promise["));
        Wait.OnAll all = waitOf(d, "gatherer", Wait.OnAll.class);
        assertEquals(2, all.pending());
        assertEquals(List.of(target.ref()), all.tasks());

        Wait.OnGroup group = waitOf(d, "group-owner", Wait.OnGroup.class);
        assertEquals(Set.of("child"), names(group.children()));
        assertEquals("group of " + task(d, "group-owner").ref(), task(d, "child").group());

        Wait.OnLock onLock = waitOf(d, "lock-waiter", Wait.OnLock.class);
        assertEquals(task(d, "holder").ref(), onLock.holder());
        assertEquals(1, onLock.queued());
        assertTrue(names(task(d, "holder").awaitedBy()).contains("lock-waiter"));

        Wait.OnSemaphore sem = waitOf(d, "sem-waiter", Wait.OnSemaphore.class);
        assertEquals(0, sem.available());
        assertEquals(1, sem.queued());

        Wait.OnQueue get = waitOf(d, "getter", Wait.OnQueue.class);
        assertEquals("get", get.operation());
        assertEquals(0, get.size());
        Wait.OnQueue put = waitOf(d, "putter", Wait.OnQueue.class);
        assertEquals("put", put.operation());
        assertEquals(1, put.size());
        assertEquals(1, put.capacity());

        waitOf(d, "event-waiter", Wait.OnEvent.class);
        waitOf(d, "condition-waiter", Wait.OnCondition.class);
        Wait.OnBarrier bar = waitOf(d, "barrier-waiter", Wait.OnBarrier.class);
        assertEquals(3, bar.parties());
        assertEquals(1, bar.waiting());

        Wait.OnSocket accept = waitOf(d, "acceptor", Wait.OnSocket.class);
        assertEquals("accept", accept.operation());
        assertTrue(accept.local().startsWith("127.0.0.1:"), accept.toString());
        Wait.OnSocket read = waitOf(d, "reader", Wait.OnSocket.class);
        assertEquals("read", read.operation());
        assertEquals("tcp", read.channel());
        assertTrue(read.remote().startsWith("127.0.0.1:") && !read.remote().equals(accept.local()), read.toString());
        assertNotNull(read.local());

        Wait.OnWorker worker = waitOf(d, "worker-caller", Wait.OnWorker.class);
        assertTrue(worker.thread() != null && worker.thread().startsWith("jasyncio-worker-"), worker.toString());

        assertTrue(waitOf(d, "main", Wait.OnFuture.class).future().contains("CompletableFuture"));

        List<Deadlock> deadlocks = d.deadlocks();
        assertEquals(2, deadlocks.size(), () -> dump.toTree());
        Set<Set<String>> cycles = Set.of(names(deadlocks.get(0).tasks()), names(deadlocks.get(1).tasks()));
        assertEquals(Set.of(Set.of("a", "b"), Set.of("x", "y")), cycles);
        String tree = dump.toTree();
        assertTrue(tree.contains("DEADLOCK: 2 tasks wait for each other in a cycle"), tree);
        assertTrue(tree.contains("acquiring a lock held by #"), tree);

        for (String n : List.of("NEW", "SCHEDULED")) {
            assertFalse(d.tasks().stream().anyMatch(t -> t.state().equals(n)), "nothing " + n + " while the loop waits");
        }
        String json = dump.toJson();
        JsonCheck.parse(json);
        assertTrue(json.startsWith("{\"schema\":1,"), json.substring(0, 40));
        for (String kind : List.of("sleep", "task", "promise", "join", "task-group", "lock", "semaphore", "queue", "event",
                "condition", "barrier", "socket", "worker", "future")) {
            assertTrue(json.contains("{\"kind\":\"" + kind + "\""), "json has a " + kind + " wait");
        }
        String table = dump.toTable();
        assertTrue(table.contains("lock-waiter"), table);
    }

    private static Set<String> names(List<TaskRef> refs) {
        return Set.copyOf(refs.stream().map(TaskRef::name).toList());
    }

    @Test
    void aTaskNotYetStartedIsNewAndSpawnSitesAppearInDebugMode() throws Exception {
        try (EventLoop loop = EventLoop.builder().debug(true).build()) {
            Task<String> later = loop.spawn("later", () -> "ran");
            LoopDump d = CompletableFuture.supplyAsync(loop::dumpTasks).get(20, TimeUnit.SECONDS).loops().get(0);
            assertEquals("idle", d.status());
            TaskInfo t = task(d, "later");
            assertEquals("NEW", t.state());
            assertNull(t.waitingOn());
            assertTrue(t.stack().isEmpty());
            assertEquals("io.jasyncio.TaskDumpTest", t.spawnSite().get(0).getClassName());
            assertEquals("aTaskNotYetStartedIsNewAndSpawnSitesAppearInDebugMode", t.spawnSite().get(0).getMethodName());
            assertEquals("ran", loop.runUntilComplete(later));
        }
    }
}
