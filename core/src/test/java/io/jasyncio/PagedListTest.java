package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The fixed-size list gather returns, at the edges of its pages. */
class PagedListTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, PagedList.PAGE - 1, PagedList.PAGE, PagedList.PAGE + 1, 3 * PagedList.PAGE + 7})
    void holdsWhatWasAppendedInOrder(int size) {
        PagedList<Integer> list = new PagedList<>(size);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            list.append(i % 3 == 0 ? null : i);
            expected.add(i % 3 == 0 ? null : i);
        }
        assertEquals(expected, list);
        assertEquals(expected.hashCode(), list.hashCode());
        assertEquals(size, list.size());
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(size));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(-1));
    }

    @Test
    void setReplacesAnElementEvenInAPageNotYetFilled() {
        PagedList<String> list = new PagedList<>(2 * PagedList.PAGE + 1);
        list.append("a");
        assertNull(list.set(2 * PagedList.PAGE, "last"));
        assertEquals("a", list.set(0, "b"));
        assertEquals("b", list.get(0));
        assertEquals("last", list.get(2 * PagedList.PAGE));
        assertNull(list.get(PagedList.PAGE));
    }

    @Test
    void isFixedSize() {
        PagedList<Integer> list = new PagedList<>(1);
        list.append(1);
        assertThrows(UnsupportedOperationException.class, () -> list.add(2));
        assertThrows(UnsupportedOperationException.class, () -> list.remove(0));
        assertThrows(IllegalArgumentException.class, () -> new PagedList<>(-1));
    }

    @Test
    void gatherOfManyTasksReturnsTheirValuesInOrder() {
        int n = 3 * PagedList.PAGE + 5;
        List<Integer> values = Async.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int v = i;
                tasks.add(Async.spawn(() -> {
                    if (v % 2 == 0) {
                        Async.yieldNow(); // half of them still pending after the first pass
                    }
                    return v;
                }));
            }
            return Async.gather(tasks);
        });
        assertEquals(IntStream.range(0, n).boxed().toList(), values);
        List<Outcome<Integer>> settled = Async.run(() -> Async.gatherSettled(List.of(Async.spawn(() -> 7))));
        assertEquals(new Outcome.Success<>(7), settled.get(0));
    }
}
