package io.jasyncio.sync;

import static io.jasyncio.sync.SyncTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every primitive refuses calls from other threads and other loops, with a message that says so. */
class LoopAffinityTest {

    /** A primitive, and one non-suspending call on it named as the error message names it. */
    record Case(String what, Supplier<Object> make, Consumer<Object> call) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("Lock.tryAcquire", Lock::new, o -> ((Lock) o).tryAcquire()),
                new Case("Lock.isLocked", Lock::new, o -> ((Lock) o).isLocked()),
                new Case("Event.set", Event::new, o -> ((Event) o).set()),
                new Case("Event.isSet", Event::new, o -> ((Event) o).isSet()),
                new Case("Condition.queueLength", Condition::new, o -> ((Condition) o).queueLength()),
                new Case("Semaphore.release", () -> new Semaphore(0), o -> ((Semaphore) o).release()),
                new Case("BoundedSemaphore.tryAcquire", BoundedSemaphore::new, o -> ((BoundedSemaphore) o).tryAcquire()),
                new Case("Barrier.abort", () -> new Barrier(2), o -> ((Barrier) o).abort()),
                new Case("Barrier.numberWaiting", () -> new Barrier(2), o -> ((Barrier) o).numberWaiting()),
                new Case("AsyncQueue.offer", AsyncQueue::fifo, o -> cast(o).offer("x")),
                new Case("AsyncQueue.poll", AsyncQueue::lifo, o -> cast(o).poll()),
                new Case("AsyncQueue.shutdown", AsyncQueue::fifo, o -> cast(o).shutdown()))
                .map(Arguments::of);
    }

    @SuppressWarnings("unchecked")
    private static AsyncQueue<Object> cast(Object o) {
        return (AsyncQueue<Object>) o;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void createdInALoopAndCalledFromAnotherThread(Case c) {
        run(() -> {
            Object primitive = c.make().get();
            Throwable t = Async.toThread(() -> {
                try {
                    c.call().accept(primitive);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertInstanceOf(WrongThreadException.class, t, c.what());
            assertTrue(t.getMessage().startsWith(c.what() + " called from thread 'jasyncio-worker-"), t.getMessage());
            assertTrue(t.getMessage().contains("which runs no event loop"), t.getMessage());
            assertTrue(t.getMessage().contains("loop.callSoonThreadsafe(...)"), t.getMessage());
            c.call().accept(primitive); // the loop itself still may
            return null;
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void usedByOneLoopThenCalledFromAnother(Case c) {
        Object primitive = run(() -> c.make().get());
        IllegalStateException e = run(() -> assertThrows(IllegalStateException.class, () -> c.call().accept(primitive)));
        assertTrue(e.getMessage().startsWith(c.what() + ": this "), e.getMessage());
        assertTrue(e.getMessage().contains("is bound to a different event loop"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void afterItsLoopHasEndedEvenItsOwnThreadIsRefused(Case c) {
        Object primitive = run(() -> c.make().get());
        assertThrows(WrongThreadException.class, () -> c.call().accept(primitive));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void createdOutsideAnyLoopItBindsToTheFirstLoopThatUsesIt(Case c) {
        Object primitive = c.make().get();
        run(() -> {
            c.call().accept(primitive);
            return null;
        });
        assertThrows(IllegalStateException.class, () -> run(() -> {
            c.call().accept(primitive);
            return null;
        }));
    }

    @org.junit.jupiter.api.Test
    void setUpOutsideAnyLoopThenUsedInOne() {
        Semaphore sem = new Semaphore(2);
        assertTrue(sem.tryAcquire());
        AsyncQueue<String> q = AsyncQueue.fifo();
        q.putNow("prepared");
        List<Object> r = run(() -> List.of(sem.availablePermits(), q.get()));
        assertEquals(List.of(1, "prepared"), r);
    }
}
