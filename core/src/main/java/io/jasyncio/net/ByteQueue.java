package io.jasyncio.net;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The bytes a stream has accepted but the socket has not yet taken: a queue of heap segments.
 * Appends fill the last segment's spare room before adding one; flushing copies from the front
 * into the loop's direct buffer and skips what the socket took, so nothing is ever compacted.
 */
final class ByteQueue {

    private static final int SEGMENT = 16 * 1024;

    /**
     * Null until the first byte is queued: most streams never queue one (the socket takes every
     * write at once), and an empty deque with its array is about 110 bytes per connection.
     */
    private ArrayDeque<byte[]> segments;
    /** Read position in the first segment. */
    private int headOffset;
    /** Bytes used in the last segment. */
    private int tailUsed;
    private long size;

    long size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        size += len;
        if (segments == null) {
            segments = new ArrayDeque<>();
        }
        byte[] tail = segments.peekLast();
        if (tail != null) {
            int room = tail.length - tailUsed;
            int n = Math.min(room, len);
            System.arraycopy(b, off, tail, tailUsed, n);
            tailUsed += n;
            off += n;
            len -= n;
        }
        if (len > 0) {
            byte[] seg = new byte[Math.max(len, SEGMENT)];
            System.arraycopy(b, off, seg, 0, len);
            if (segments.isEmpty()) {
                headOffset = 0;
            }
            segments.addLast(seg);
            tailUsed = len;
        }
    }

    /** Appends the remaining bytes of {@code src}, consuming them. */
    void add(ByteBuffer src) {
        if (src.hasArray()) {
            add(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
            return;
        }
        byte[] copy = new byte[src.remaining()];
        src.get(copy);
        add(copy, 0, copy.length);
    }

    /** Copies as much as fits from the front into {@code dst} without removing it. */
    void peekInto(ByteBuffer dst) {
        if (segments == null) {
            return;
        }
        int off = headOffset;
        byte[] last = segments.peekLast();
        for (byte[] seg : segments) {
            if (!dst.hasRemaining()) {
                return;
            }
            int end = seg == last ? tailUsed : seg.length;
            int n = Math.min(end - off, dst.remaining());
            dst.put(seg, off, n);
            off = 0;
        }
    }

    /** Removes {@code n} bytes from the front. */
    void skip(long n) {
        size -= n;
        while (n > 0) {
            byte[] seg = segments.peekFirst();
            int end = segments.size() == 1 ? tailUsed : seg.length;
            int avail = end - headOffset;
            if (n < avail) {
                headOffset += (int) n;
                return;
            }
            n -= avail;
            segments.pollFirst();
            headOffset = 0;
        }
        if (segments == null || segments.isEmpty()) {
            tailUsed = 0;
        }
    }

    void clear() {
        if (segments != null) {
            segments.clear();
        }
        headOffset = 0;
        tailUsed = 0;
        size = 0;
    }
}
