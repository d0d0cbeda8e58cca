package io.jasyncio.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The behaviours of CPython's {@code Lib/test/test_asyncio/test_taskgroups.py} that apply to
 * jasyncio's {@link TaskGroup}, written fresh. asyncio's {@code ExceptionGroup} is our
 * {@link TaskGroupException}; {@code ZeroDivisionError} is {@link ArithmeticException}.
 *
 * <p>Two differences run through this file (docs/conformance.md): try-with-resources cannot show
 * {@code close()} the body's own exception, so a failing body does not cancel the children; and a
 * failure of a child reaches the owner's body as the group's {@link TaskGroupException} at its
 * next suspension point, where asyncio delivers a {@code CancelledError}.
 */
class TaskGroupsConformanceTest extends ConformanceSupport {

    private static int divideByZero() {
        int zero = 0;
        return 1 / zero;
    }

    private static Set<Class<?>> errorTypes(TaskGroupException e) {
        return e.exceptions().stream().map(Object::getClass).collect(Collectors.toSet());
    }

    /** The first throwable of {@code type} in e, its causes and their suppressed exceptions. */
    private static <T extends Throwable> T findInChain(Throwable e, Class<T> type) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> todo = new ArrayDeque<>(List.of(e));
        while (!todo.isEmpty()) {
            Throwable x = todo.poll();
            if (!seen.add(x)) {
                continue;
            }
            if (type.isInstance(x)) {
                return type.cast(x);
            }
            if (x.getCause() != null) {
                todo.add(x.getCause());
            }
            todo.addAll(Arrays.asList(x.getSuppressed()));
        }
        return null;
    }

    /** test_taskgroup_01: close() waits for the children. */
    @Test
    void taskgroup01() {
        run(() -> {
            Task<Integer> t1, t2;
            try (TaskGroup g = Async.taskGroup()) {
                t1 = g.spawn(() -> sleepThen(ms(100), 42));
                t2 = g.spawn(() -> sleepThen(ms(200), 11));
            }
            assertEquals(42, t1.resultNow());
            assertEquals(11, t2.resultNow());
            return null;
        });
        assertEquals(ms(200), elapsed());
    }

    /** test_taskgroup_02: children can be added while the body runs. */
    @Test
    void taskgroup02() {
        run(() -> {
            Task<Integer> t1, t2;
            try (TaskGroup g = Async.taskGroup()) {
                t1 = g.spawn(() -> sleepThen(ms(100), 42));
                Async.sleep(ms(150));
                t2 = g.spawn(() -> sleepThen(ms(200), 11));
            }
            assertEquals(42, t1.resultNow());
            assertEquals(11, t2.resultNow());
            return null;
        });
        assertEquals(ms(350), elapsed());
    }

    /** test_taskgroup_03: cancelling one child explicitly is not a failure of the group. */
    @Test
    void taskgroup03() {
        run(() -> {
            Task<Integer> t1, t2;
            try (TaskGroup g = Async.taskGroup()) {
                t1 = g.spawn(() -> sleepThen(sec(1), 42));
                Async.sleep(ms(150));
                t1.cancel();
                t2 = g.spawn(() -> sleepThen(ms(200), 11));
            }
            assertTrue(t1.isCancelled());
            assertEquals(11, t2.resultNow());
            return null;
        });
        assertEquals(ms(350), elapsed());
    }

    /** test_taskgroup_04: a failing child cancels its siblings; the group throws its failures. */
    @Test
    void taskgroup04() {
        int[] num = {0};
        boolean[] t2Cancel = {false};
        Task<?>[] t2 = {null};
        run(() -> {
            Task<Object> runner = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    g.spawn(() -> {
                        Async.sleep(ms(100));
                        return divideByZero();
                    });
                    t2[0] = g.spawn(() -> {
                        try {
                            Async.sleep(sec(1));
                        } catch (CancelledException e) {
                            t2Cancel[0] = true;
                            throw e;
                        }
                        return num[0] += 1;
                    });
                }
                num[0] += 10;
                return null;
            });
            TaskGroupException e = assertThrows(TaskGroupException.class, runner::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            return null;
        });
        assertEquals(0, num[0]);
        assertTrue(t2Cancel[0]);
        assertTrue(t2[0].isCancelled());
        assertEquals(ms(100), elapsed());
    }

    /**
     * test_cancel_children_on_child_error: children fail, the rest are cancelled, and the body is
     * interrupted at its suspension point (here by the group's TaskGroupException, not a
     * cancellation); every failure is collected.
     */
    @Test
    void cancelChildrenOnChildError() {
        int[] num = {0};
        boolean[] t2Cancel = {false}, runnerInterrupted = {false};
        run(() -> {
            Task<Object> runner = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    for (int i = 0; i < 3; i++) {
                        g.spawn(() -> {
                            Async.sleep(ms(100));
                            return divideByZero();
                        });
                    }
                    g.spawn(() -> {
                        try {
                            Async.sleep(sec(5));
                        } catch (CancelledException e) {
                            t2Cancel[0] = true;
                            throw e;
                        }
                        return num[0] += 1;
                    });
                    try {
                        Async.sleep(sec(10));
                    } catch (TaskGroupException e) {
                        runnerInterrupted[0] = true;
                        throw e;
                    }
                }
                num[0] += 10;
                return null;
            });
            TaskGroupException e = assertThrows(TaskGroupException.class, runner::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            assertEquals(3, e.exceptions().size());
            return null;
        });
        assertEquals(0, num[0]);
        assertTrue(t2Cancel[0]);
        assertTrue(runnerInterrupted[0]);
    }

    /** test_cancellation: cancelling the owner cancels the children; its message comes through. */
    @Test
    void cancellation() {
        int[] num = {0};
        run(() -> {
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    for (int i = 0; i < 5; i++) {
                        g.spawn(() -> {
                            try {
                                return sleepThen(sec(5), null);
                            } catch (CancelledException e) {
                                num[0] += 1;
                                throw e;
                            }
                        });
                    }
                }
                return null;
            });
            Async.sleep(ms(100));
            assertFalse(r.isDone());
            r.cancel("test");
            CancelledException e = assertThrows(CancelledException.class, r::await);
            assertEquals("test", e.getMessage());
            return null;
        });
        assertEquals(5, num[0]);
    }

    /** test_taskgroup_07: the owner's body sees the cancellation too. */
    @Test
    void taskgroup07() {
        int[] num = {0};
        run(() -> {
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    for (int i = 0; i < 5; i++) {
                        g.spawn(() -> {
                            try {
                                return sleepThen(sec(5), null);
                            } catch (CancelledException e) {
                                num[0] += 1;
                                throw e;
                            }
                        });
                    }
                    try {
                        Async.sleep(sec(10));
                    } catch (CancelledException e) {
                        num[0] += 10;
                        throw e;
                    }
                }
                return null;
            });
            Async.sleep(ms(100));
            assertFalse(r.isDone());
            r.cancel();
            assertThrows(CancelledException.class, r::await);
            return null;
        });
        assertEquals(15, num[0]);
    }

    private static Object sleepThenFailInFinally() {
        try {
            Async.sleep(sec(10));
        } finally {
            divideByZero();
        }
        return null;
    }

    /**
     * test_taskgroup_08: the owner is cancelled and the children fail while being cancelled. As in
     * current asyncio, the group's failures outrank the cancellation: the task fails with the
     * TaskGroupException (the cancellation that carried it out of the body is dropped).
     */
    @Test
    void taskgroup08() {
        run(() -> {
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    for (int i = 0; i < 5; i++) {
                        g.spawn(TaskGroupsConformanceTest::sleepThenFailInFinally);
                    }
                    Async.sleep(sec(10));
                }
                return null;
            });
            Async.sleep(ms(100));
            assertFalse(r.isDone());
            r.cancel();
            TaskGroupException group = assertThrows(TaskGroupException.class, r::await);
            assertFalse(r.isCancelled());
            assertEquals(Set.of(ArithmeticException.class), errorTypes(group));
            assertEquals(5, group.exceptions().size());
            return null;
        });
    }

    /**
     * test_taskgroup_09 (differs): the body fails with its own exception. close() cannot see it, so
     * the children are not cancelled: the group waits for them, then the body's exception
     * propagates as itself. (asyncio cancels them and raises an ExceptionGroup.)
     */
    @Test
    void taskgroup09() {
        Task<?>[] t = new Task<?>[2];
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                t[0] = g.spawn(() -> sleepThen(sec(1), 42));
                t[1] = g.spawn(() -> sleepThen(sec(2), 11));
                Async.sleep(ms(100));
                divideByZero();
            }
            return null;
        }));
        assertNotNull(e);
        assertEquals(42, t[0].resultNow());
        assertEquals(11, t[1].resultNow());
        assertEquals(sec(2), elapsed());
    }

    /**
     * test_taskgroup_10 (differs, with the documented remedy): a body that must stop its children
     * when it fails calls cancel() on the group in a catch; then they are cancelled at once.
     */
    @Test
    void taskgroup10() {
        Task<?>[] t = new Task<?>[2];
        assertThrows(ArithmeticException.class, () -> run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                t[0] = g.spawn(() -> sleepThen(sec(1), 42));
                t[1] = g.spawn(() -> sleepThen(sec(2), 11));
                try {
                    divideByZero();
                } catch (RuntimeException ex) {
                    g.cancel();
                    throw ex;
                }
            }
            return null;
        }));
        assertTrue(t[0].isCancelled());
        assertTrue(t[1].isCancelled());
        assertEquals(sec(0), elapsed());
    }

    /**
     * test_taskgroup_11 (like _08): nested groups, the inner one's children fail while being
     * cancelled; the owner fails with the inner group's failures.
     */
    @Test
    void taskgroup11() {
        run(() -> {
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup outer = Async.taskGroup()) {
                    try (TaskGroup g2 = Async.taskGroup()) {
                        for (int i = 0; i < 5; i++) {
                            g2.spawn(TaskGroupsConformanceTest::sleepThenFailInFinally);
                        }
                        Async.sleep(sec(10));
                    }
                }
                return null;
            });
            Async.sleep(ms(100));
            assertFalse(r.isDone());
            r.cancel();
            TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
            TaskGroupException group = findInChain(e, TaskGroupException.class);
            assertNotNull(group);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(group));
            return null;
        });
    }

    /** test_taskgroup_12 (like _11): the same with a sleeping child in the outer group. */
    @Test
    void taskgroup12() {
        run(() -> {
            Task<?>[] sleeper = {null};
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g1 = Async.taskGroup()) {
                    sleeper[0] = g1.spawn(() -> sleepThen(sec(10), null));
                    try (TaskGroup g2 = Async.taskGroup()) {
                        for (int i = 0; i < 5; i++) {
                            g2.spawn(TaskGroupsConformanceTest::sleepThenFailInFinally);
                        }
                        Async.sleep(sec(10));
                    }
                }
                return null;
            });
            Async.sleep(ms(100));
            r.cancel();
            TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            assertTrue(sleeper[0].isCancelled());
            return null;
        });
        assertEquals(ms(100), elapsed());
    }

    private static Object crashAfter(double seconds) {
        Async.sleep(sec(seconds));
        throw new MyException(Double.toString(seconds));
    }

    /**
     * test_taskgroup_13: a failure in the outer group interrupts the owner waiting in the inner
     * group's close(); the inner children are cancelled and the outer failure propagates alone.
     */
    @Test
    void taskgroup13() {
        Task<?>[] innerChild = {null};
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> run(() -> {
            try (TaskGroup g1 = Async.taskGroup()) {
                g1.spawn(() -> crashAfter(0.1));
                try (TaskGroup g2 = Async.taskGroup()) {
                    innerChild[0] = g2.spawn(() -> crashAfter(10));
                }
            }
            return null;
        }));
        assertEquals(List.of("0.1"), e.exceptions().stream().map(Throwable::getMessage).toList());
        assertTrue(innerChild[0].isCancelled());
        assertEquals(ms(100), elapsed());
    }

    /**
     * test_taskgroup_14 (differs): the inner group fails first; its exception reaches the outer body,
     * which close() cannot see, so the outer child is not cancelled and runs to its own failure 10
     * s later. Both failures reach the caller: the outer group's one suppressed on the inner's.
     */
    @Test
    void taskgroup14() {
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> run(() -> {
            try (TaskGroup g1 = Async.taskGroup()) {
                g1.spawn(() -> crashAfter(10));
                try (TaskGroup g2 = Async.taskGroup()) {
                    g2.spawn(() -> crashAfter(0.1));
                }
            }
            return null;
        }));
        assertEquals(List.of("0.1"), e.exceptions().stream().map(Throwable::getMessage).toList());
        TaskGroupException outer = Arrays.stream(e.getSuppressed()).filter(TaskGroupException.class::isInstance)
                .map(TaskGroupException.class::cast).findFirst().orElseThrow();
        assertEquals(List.of("10.0"), outer.exceptions().stream().map(Throwable::getMessage).toList());
        assertEquals(sec(10), elapsed());
    }

    /**
     * test_taskgroup_15 (differs: level-triggered): the owner, cancelled, tries to sleep in its
     * catch block; that sleep throws at once, so the child is cancelled before it can crash and
     * the owner simply ends cancelled. (asyncio lets the sleep run and reports the crash.)
     */
    @Test
    void taskgroup15() {
        run(() -> {
            Task<?>[] child = {null};
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g1 = Async.taskGroup()) {
                    child[0] = g1.spawn(() -> {
                        Async.sleep(ms(300));
                        return divideByZero();
                    });
                    try {
                        Async.sleep(sec(10));
                    } catch (CancelledException e) {
                        Async.sleep(ms(500));
                        throw e;
                    }
                }
                return null;
            });
            Async.sleep(ms(100));
            assertFalse(r.isDone());
            r.cancel();
            CancelledException e = assertThrows(CancelledException.class, r::await);
            assertNull(findInChain(e, TaskGroupException.class));
            assertTrue(child[0].isCancelled());
            return null;
        });
        assertEquals(ms(100), elapsed());
    }

    /**
     * test_taskgroup_16 (differs: awaiting is not owning): cancelling the task that awaits the
     * group's owner task cancels only the awaiter; the owner runs on and fails with the group's
     * failure when its child crashes.
     */
    @Test
    void taskgroup16() {
        run(() -> {
            Task<?>[] nested = {null};
            Task<Object> r = Async.spawn(() -> {
                Task<Object> t = Async.spawn(() -> {
                    try (TaskGroup g1 = Async.taskGroup()) {
                        g1.spawn(() -> {
                            Async.sleep(ms(300));
                            return divideByZero();
                        });
                        try {
                            Async.sleep(sec(10));
                        } catch (CancelledException e) {
                            Async.sleep(ms(500));
                            throw e;
                        }
                    }
                    return null;
                });
                nested[0] = t;
                return t.await();
            });
            Async.sleep(ms(100));
            assertFalse(r.isDone());
            r.cancel();
            assertThrows(CancelledException.class, r::await);
            assertEquals(ms(100), elapsed());
            assertFalse(nested[0].isCancelRequested());
            TaskGroupException e = assertThrows(TaskGroupException.class, nested[0]::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            assertEquals(ms(300), elapsed());
            return null;
        });
    }

    /** test_taskgroup_17: an empty group's body sees the owner's cancellation. */
    @Test
    void taskgroup17() {
        int[] num = {0};
        run(() -> {
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    try {
                        Async.sleep(sec(10));
                    } catch (CancelledException e) {
                        num[0] += 10;
                        throw e;
                    }
                }
                return null;
            });
            Async.sleep(ms(100));
            assertFalse(r.isDone());
            r.cancel();
            assertThrows(CancelledException.class, r::await);
            return null;
        });
        assertEquals(10, num[0]);
    }

    /**
     * test_taskgroup_18 (differs): a body that turns its cancellation into another exception throws
     * that exception as itself; the group wraps only its children's failures.
     */
    @Test
    void taskgroup18() {
        int[] num = {0};
        run(() -> {
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    try {
                        Async.sleep(sec(10));
                    } catch (CancelledException e) {
                        num[0] += 10;
                        throw new MyException("weird, but supported");
                    }
                }
                return null;
            });
            Async.sleep(ms(100));
            r.cancel();
            assertThrows(MyException.class, r::await);
            return null;
        });
        assertEquals(10, num[0]);
    }

    private static void nestedThrowing(RuntimeException orError) {
        try {
            Async.sleep(sec(10));
        } finally {
            throw orError;
        }
    }

    private static void nestedThrowingError(Error error) {
        try {
            Async.sleep(sec(10));
        } finally {
            throw error;
        }
    }

    /**
     * test_taskgroup_19 (differs): the child's failure interrupts the body, whose finally throws
     * its own exception; as in any Java code, that exception replaces the one in flight, and the
     * caller gets it as itself. The child's failure stays readable on the child task.
     */
    @Test
    void taskgroup19() {
        Task<?>[] child = {null};
        assertThrows(MyException.class, () -> run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                child[0] = g.spawn(() -> {
                    Async.sleep(ms(100));
                    return divideByZero();
                });
                nestedThrowing(new MyException("from finally"));
            }
            return null;
        }));
        assertInstanceOf(ArithmeticException.class, child[0].exceptionNow());
        assertEquals(ms(100), elapsed());
    }

    /**
     * test_taskgroup_20, test_taskgroup_20a (KeyboardInterrupt and a BaseException subclass are both
     * Errors in Java): an Error thrown in the body propagates as itself.
     */
    @Test
    void errorInBodyPropagatesAsItself() {
        MyError interrupt = new MyError("keyboard interrupt");
        Task<?>[] child = {null};
        MyError e = assertThrows(MyError.class, () -> run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                child[0] = g.spawn(() -> {
                    Async.sleep(ms(100));
                    return divideByZero();
                });
                nestedThrowingError(interrupt);
            }
            return null;
        }));
        assertSame(interrupt, e);
        assertInstanceOf(ArithmeticException.class, child[0].exceptionNow());
    }

    /**
     * test_taskgroup_21a: a child that throws an Error is a failed child like any other (the loop is
     * not brought down); the body's finally then throws its own exception, which propagates.
     */
    @Test
    void taskgroup21a() {
        MyError base = new MyError("base");
        TaskGroupException[] seenByBody = {null};
        Task<?>[] child = {null};
        assertThrows(MyException.class, () -> run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                child[0] = g.spawn(() -> {
                    Async.sleep(ms(100));
                    throw base;
                });
                try {
                    Async.sleep(sec(10));
                } catch (TaskGroupException e) {
                    seenByBody[0] = e;
                } finally {
                    throw new MyException("type error");
                }
            }
        }));
        assertNotNull(seenByBody[0]);
        assertEquals(List.of(base), seenByBody[0].exceptions());
        assertSame(base, child[0].exceptionNow());
    }

    /** test_taskgroup_22: the owner cancelled while close() waits. */
    @Test
    void taskgroup22() {
        run(() -> {
            List<Task<Integer>> children = new ArrayList<>();
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    children.add(g.spawn(() -> sleepThen(sec(1), 42)));
                    children.add(g.spawn(() -> sleepThen(sec(2), 11)));
                }
                return null;
            });
            Async.sleep(ms(50));
            r.cancel();
            assertThrows(CancelledException.class, r::await);
            assertTrue(children.stream().allMatch(Task::isCancelled));
            return null;
        });
        assertEquals(ms(50), elapsed());
    }

    /** test_taskgroup_23: finished children leave tasks(). */
    @Test
    void taskgroup23() {
        run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                for (int count = 0; count < 10; count++) {
                    Async.sleep(ms(100));
                    g.spawn(() -> sleepThen(ms(300), null));
                    if (count == 5) {
                        assertTrue(g.tasks().size() < 5, g.tasks()::toString);
                    }
                }
                Async.sleep(ms(1350));
                assertEquals(List.of(), g.tasks());
            }
            return null;
        });
    }

    /** test_taskgroup_24: a child adds children to its own group while close() waits. */
    @Test
    void taskgroup24() {
        run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                g.spawn(() -> {
                    Async.sleep(ms(100));
                    g.spawn(() -> sleepThen(ms(100), null));
                    g.spawn(() -> sleepThen(ms(200), null));
                    return null;
                });
            }
            return null;
        });
        assertEquals(ms(300), elapsed());
    }

    private static Object hydra(TaskGroup g, int[] nhydras) {
        nhydras[0]++;
        Async.sleep(ms(10));
        g.spawn(() -> hydra(g, nhydras));
        g.spawn(() -> hydra(g, nhydras));
        return null;
    }

    /** test_taskgroup_25: children multiplying in the group until one fails. */
    @Test
    void taskgroup25() {
        int[] nhydras = {0};
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                g.spawn(() -> hydra(g, nhydras));
                g.spawn(() -> {
                    while (nhydras[0] < 10) {
                        Async.sleep(ms(15));
                    }
                    return divideByZero();
                });
            }
            return null;
        }));
        assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
        assertTrue(nhydras[0] >= 10);
    }

    /** test_taskgroup_task_name, test_name: a child's name is the one given to spawn. */
    @Test
    void taskName() {
        run(() -> {
            String[] seen = {null};
            try (TaskGroup g = Async.taskGroup()) {
                Task<Object> t = g.spawn("yolo", () -> {
                    seen[0] = Async.currentTask().getName();
                    Async.yieldNow();
                    return null;
                });
                assertEquals("yolo", t.getName());
            }
            assertEquals("yolo", seen[0]);
            return null;
        });
    }

    /** test_taskgroup_no_create_task_after_failure. */
    @Test
    void noSpawnAfterFailure() {
        boolean[] refused = {false};
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> run(() -> {
            try (TaskGroup g = Async.taskGroup()) {
                g.spawn(() -> {
                    Async.sleep(ms(1));
                    return divideByZero();
                });
                g.spawn(() -> {
                    try {
                        Async.sleep(sec(1));
                    } catch (CancelledException c) {
                        IllegalStateException ise = assertThrows(IllegalStateException.class, () -> g.spawn(() -> 1));
                        refused[0] = ise.getMessage().contains("shutting down");
                    }
                    return null;
                });
            }
            return null;
        }));
        assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
        assertTrue(refused[0]);
    }

    static final class CustomException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CustomException(String message) {
            super(message);
        }
    }

    /**
     * test_taskgroup_context_manager_exit_raises: a resource inside the group whose close() throws
     * while the child's failure is in flight. Java's try-with-resources keeps both: the resource's
     * exception is suppressed on the group's; the task has no cancellation left over.
     */
    @Test
    void contextManagerExitRaises() {
        run(() -> {
            CustomException fromResource = new CustomException("database");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = Async.taskGroup()) {
                    try (AutoCloseable database = () -> {
                        throw fromResource;
                    }) {
                        tg.spawn(() -> {
                            throw new CustomException("task");
                        });
                        Async.sleep(sec(1));
                    }
                }
            });
            assertEquals(1, e.exceptions().size());
            assertInstanceOf(CustomException.class, e.exceptions().get(0));
            assertTrue(Arrays.asList(e.getSuppressed()).contains(fromResource));
            assertFalse(Async.currentTask().isCancelRequested());
            Async.yieldNow();
            return null;
        });
    }

    /** test_taskgroup_finished: a closed group refuses new children. */
    @Test
    void taskgroupFinished() {
        run(() -> {
            TaskGroup g;
            try (TaskGroup tg = Async.taskGroup()) {
                g = tg;
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.spawn(() -> null));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            return null;
        });
    }

    /** test_taskgroup_without_parent_task: a group belongs to a task. */
    @Test
    void taskgroupWithoutParentTask() {
        assertThrows(IllegalStateException.class, Async::taskGroup);
        run(() -> {
            Promise<IllegalStateException> fromCallback = new Promise<>();
            Async.currentLoop().callSoon(() -> {
                try {
                    Async.taskGroup();
                } catch (IllegalStateException e) {
                    fromCallback.complete(e);
                }
            });
            assertNotNull(fromCallback.await());
            return null;
        });
    }

    /** test_coro_closed_when_tg_closed: a body refused by a closed group never runs. */
    @Test
    void bodyRefusedByClosedGroupNeverRuns() {
        boolean[] ran = {false};
        run(() -> {
            TaskGroup g;
            try (TaskGroup tg = Async.taskGroup()) {
                g = tg;
            }
            int before = Async.currentLoop().allTasks().size();
            assertThrows(IllegalStateException.class, () -> g.spawn(() -> ran[0] = true));
            assertEquals(before, Async.currentLoop().allTasks().size());
            Async.yieldNow();
            return null;
        });
        assertFalse(ran[0]);
    }

    /**
     * test_cancelling_level_preserved: a group that failed leaves no cancellation behind on its
     * owner; the owner can suspend again after catching the failure.
     */
    @Test
    void cancellingLevelPreserved() {
        run(() -> {
            assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = Async.taskGroup()) {
                    tg.spawn(() -> crashAfter(0));
                }
            });
            assertFalse(Async.currentTask().isCancelRequested());
            Async.sleep(ms(1));
            return null;
        });
        assertEquals(ms(1), elapsed());
    }

    /**
     * test_nested_groups_both_cancelled: the inner group's failure is caught inside the outer body;
     * the outer group's failure is still pending there, so the next suspension point throws it and
     * it propagates from the outer group; nothing is left on the task.
     */
    @Test
    void nestedGroupsBothFail() {
        run(() -> {
            TaskGroupException[] inner = {null};
            boolean[] pastSuspension = {false};
            TaskGroupException outer = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup outerTg = Async.taskGroup()) {
                    try (TaskGroup innerTg = Async.taskGroup()) {
                        innerTg.spawn(() -> crashAfter(0));
                        outerTg.spawn(() -> {
                            throw new IllegalArgumentException("value error");
                        });
                    } catch (TaskGroupException e) {
                        inner[0] = e;
                    }
                    Async.yieldNow();
                    pastSuspension[0] = true;
                }
            });
            assertEquals(Set.of(MyException.class), errorTypes(inner[0]));
            assertEquals(Set.of(IllegalArgumentException.class), errorTypes(outer));
            assertFalse(pastSuspension[0]);
            assertFalse(Async.currentTask().isCancelRequested());
            Async.yieldNow();
            return null;
        });
    }

    /**
     * Our semantics (no CPython counterpart): the group's failure, once thrown into the body at a
     * suspension point, is the body's to handle. A body that catches it and carries on without
     * suspending again swallows it: close() does not throw it a second time, because it cannot tell
     * that exception in flight from one that was caught. asyncio's __aexit__ would raise it again.
     */
    @Test
    void failureCaughtByTheBodyIsNotThrownAgain() {
        run(() -> {
            TaskGroupException[] caught = {null};
            try (TaskGroup tg = Async.taskGroup()) {
                tg.spawn(() -> crashAfter(0));
                try {
                    Async.sleep(sec(1));
                } catch (TaskGroupException e) {
                    caught[0] = e;
                }
            }
            assertNotNull(caught[0]);
            assertEquals(Set.of(MyException.class), errorTypes(caught[0]));
            assertFalse(Async.currentTask().isCancelRequested());
            return null;
        });
        assertTrue(reports.isEmpty(), reports::toString);
    }

    /**
     * test_error_and_cancel (differs in where the failure can be caught): the owner is cancelled
     * and a child fails at about the same time. The failure wins over the cancellation, as in
     * asyncio, and the owner never gets past its group. But Java's try-with-resources keeps the
     * body's cancellation as the primary exception and attaches the group's failure to it, so a
     * {@code catch (TaskGroupException)} written right around the block (asyncio's
     * {@code except*}) does not see it; the enclosing cancel scope or, as here, the task itself
     * turns it into the group's failure.
     */
    @Test
    void errorAndCancel() {
        run(() -> {
            Promise<Void> event = new Promise<>();
            Task<Object> t = Async.spawn(() -> {
                try (TaskGroup tg = Async.taskGroup()) {
                    tg.spawn(() -> {
                        event.complete(null);
                        Async.yieldNow();
                        throw new MyException("runtime");
                    });
                    Async.sleep(sec(1));
                    fail("Sleep in group should have been cancelled");
                }
                Async.sleep(sec(1));
                fail("Sleep after group should have been cancelled");
                return null;
            });
            event.await();
            assertFalse(t.isCancelRequested());
            t.cancel();
            assertTrue(t.isCancelRequested());
            TaskGroupException e = assertThrows(TaskGroupException.class, t::await);
            assertFalse(t.isCancelled());
            assertEquals(Set.of(MyException.class), errorTypes(e));
            return null;
        });
        assertEquals(sec(0), elapsed());
    }

    /**
     * test_cancels_task_if_created_during_creation: a child that spawns a failing sibling is
     * cancelled at its next suspension point.
     */
    @Test
    void cancelsTaskCreatedDuringCreation() {
        boolean[] ran = {false};
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> run(() -> {
            try (TaskGroup tg = Async.taskGroup()) {
                tg.spawn(() -> {
                    tg.spawn(() -> {
                        throw new MyException("third task failed");
                    });
                    assertThrows(CancelledException.class, () -> {
                        Async.yieldNow();
                        Async.yieldNow();
                    });
                    ran[0] = true;
                    return null;
                });
            }
            return null;
        }));
        assertTrue(ran[0]);
        assertEquals(List.of("third task failed"), e.exceptions().stream().map(Throwable::getMessage).toList());
    }

    /** test_cancellation_does_not_leak_out_of_tg. */
    @Test
    void cancellationDoesNotLeakOutOfGroup() {
        run(() -> {
            assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = Async.taskGroup()) {
                    tg.spawn(() -> {
                        throw new MyException("my error");
                    });
                }
            });
            Async.yieldNow(); // would throw if the group's cancellation had leaked
            assertFalse(Async.currentTask().isCancelRequested());
            return null;
        });
    }

    /**
     * test_cancellation_in_body (older CPython; later replaced by test_taskgroup_08): the owner is
     * cancelled with a message while its children fail; the failures outrank the cancellation, and
     * the cancellation (with its message) is attached to the group's exception.
     */
    @Test
    void cancellationInBody() {
        run(() -> {
            Task<Object> r = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    for (int i = 0; i < 5; i++) {
                        g.spawn(() -> {
                            Async.sleep(ms(100));
                            return divideByZero();
                        });
                    }
                    Async.sleep(sec(10));
                }
                return null;
            });
            Async.sleep(ms(100));
            assertFalse(r.isDone());
            r.cancel("test");
            TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            return null;
        });
    }
}
