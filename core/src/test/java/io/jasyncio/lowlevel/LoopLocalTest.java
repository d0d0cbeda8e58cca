package io.jasyncio.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopLocalTest {

    @Test
    void eachLoopHasItsOwnValueMadeOnFirstUse() {
        AtomicInteger made = new AtomicInteger();
        LoopLocal<List<String>> local = new LoopLocal<>(() -> {
            made.incrementAndGet();
            return new ArrayList<>();
        });
        List<String> first = Async.run(() -> {
            List<String> v = local.get();
            v.add("a");
            assertSame(v, local.get(Async.currentLoop()), "the same value for the same loop");
            assertSame(v, Async.spawn(local::get).await(), "and in every task of the loop");
            return v;
        });
        List<String> second = Async.run(local::get);
        assertNotSame(first, second);
        assertEquals(List.of(), second);
        assertEquals(2, made.get(), "one value per loop, made when first asked for");
    }

    @Test
    void setReplacesTheLoopsValue() {
        LoopLocal<String> local = new LoopLocal<>(() -> "initial");
        assertEquals("set", Async.run(() -> {
            assertEquals("initial", local.get());
            local.set(Async.currentLoop(), "set");
            return local.get();
        }));
    }

    @Test
    void manyLocalsOnOneLoopKeepTheirOwnValues() {
        List<LoopLocal<Integer>> locals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            locals.add(new LoopLocal<>(() -> n));
        }
        Async.run(() -> {
            for (int i = 0; i < locals.size(); i++) {
                assertEquals(i, locals.get(i).get());
            }
            return null;
        });
    }

    @Test
    void itIsForTheLoopsThreadOnly() throws Exception {
        LoopLocal<String> local = new LoopLocal<>(() -> "v");
        EventLoop loop = new EventLoop();
        try {
            Thread other = new Thread(() -> assertThrows(WrongThreadException.class, () -> local.get(loop)));
            List<Throwable> failures = new ArrayList<>();
            other.setUncaughtExceptionHandler((t, e) -> failures.add(e));
            other.start();
            other.join();
            assertEquals(List.of(), failures);
            assertThrows(IllegalStateException.class, local::get, "outside any loop");
        } finally {
            loop.close();
        }
    }
}
