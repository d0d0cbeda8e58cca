package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The write queue: bytes leave in order through fill-and-drain cycles that reuse a spare segment. */
class ByteQueueTest {

    @Test
    void bytesLeaveInOrderThroughReusedSegments() {
        ByteQueue q = new ByteQueue();
        byte[] data = pattern(3 * 1024 * 1024, 11);
        ByteBuffer out = ByteBuffer.allocate(data.length);
        ByteBuffer window = ByteBuffer.allocate(64 * 1024);
        Random rnd = new Random(42);
        int in = 0;
        while (out.position() < data.length) {
            if (in < data.length && (q.size() < 100_000 || rnd.nextBoolean())) {
                int n = Math.min(data.length - in, 1 + rnd.nextInt(40_000));
                q.add(data, in, n);
                in += n;
            }
            window.clear();
            q.peekInto(window);
            window.flip();
            int take = Math.min(window.remaining(), rnd.nextInt(50_000));
            window.limit(take);
            out.put(window);
            q.skip(take);
            assertEquals(in - out.position(), q.size());
        }
        assertArrayEquals(data, out.array());
        assertEquals(0, q.size());
    }

    @Test
    void aQueueThatNeverHeldAByteAnswersEveryCall() {
        ByteQueue q = new ByteQueue(); // its segments are made only when a byte is queued
        ByteBuffer window = ByteBuffer.allocate(16);
        q.peekInto(window);
        assertEquals(0, window.position());
        q.skip(0);
        q.add(new byte[0], 0, 0);
        q.clear();
        assertEquals(0, q.size());
        q.add(new byte[] {1, 2, 3}, 0, 3);
        q.peekInto(window);
        window.flip();
        assertEquals(3, window.remaining());
        q.skip(3);
        assertEquals(0, q.size());
    }
}
