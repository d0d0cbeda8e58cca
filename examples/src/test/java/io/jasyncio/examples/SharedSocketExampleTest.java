package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.examples.SharedSocketExample.Exchange;
import io.jasyncio.examples.SharedSocketExample.Result;
import io.jasyncio.examples.SharedSocketExample.Round;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedSocketExampleTest {

    @Test
    void withTheLockEveryCoroutineReadsItsOwnReply() {
        List<String> lines = new ArrayList<>();
        Result r = SharedSocketExample.run(3, 2, lines::add);
        Round locked = r.withLock();
        assertTrue(locked.withLock());
        assertTrue(locked.clean(), locked.toString());
        assertEquals(6, locked.exchanges().size());
        for (Exchange e : locked.exchanges()) {
            assertEquals(e.request() + ":ok", e.reply());
            assertTrue(e.request().startsWith(e.client() + "#"));
        }
        assertTrue(lines.contains("  -> every coroutine read its own reply."), String.join("\n", lines));
    }

    @Test
    void withoutTheLockASecondReaderIsRefusedAndTheReaderGetsAnotherCoroutinesReply() {
        Round unlocked = SharedSocketExample.run(3, 1, s -> { }).withoutLock();
        assertFalse(unlocked.withLock());
        // c0 waits to read first; c1 and c2, sent in the same loop iteration, find it waiting.
        assertEquals(2, unlocked.errors().size(), unlocked.toString());
        for (String err : unlocked.errors()) {
            assertTrue(err.contains("already waiting to read"), err);
        }
        // The server answers the last request first, so c0 reads c2's reply.
        assertEquals(List.of(new Exchange("c0", "c0#0", "c2#0:ok")), unlocked.exchanges());
        assertEquals(1, unlocked.mixedUp().size());
        assertFalse(unlocked.clean());
    }

    @Test
    void needsTwoClients() {
        assertThrows(IllegalArgumentException.class, () -> SharedSocketExample.run(1, 1, s -> { }));
    }
}
