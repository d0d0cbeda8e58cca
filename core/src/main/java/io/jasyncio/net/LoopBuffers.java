package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.LoopLocal;
import java.nio.ByteBuffer;

/**
 * One direct read buffer and one direct write buffer per event loop, shared by every socket of the
 * loop. Only one piece of code runs on a loop at a time and nothing keeps data in these buffers
 * across a suspension (bytes are copied out to whoever keeps them before the code can suspend), so
 * one pair serves thousands of connections. Sockets fetch the pair once, when they are made.
 *
 * <p>Why direct: the JDK copies a heap buffer through a temporary direct buffer for every socket
 * call anyway; doing it here makes the copy explicit, avoids the JDK's per-thread cache (which with
 * the portable engine would be per virtual thread) and lets a read copy out only what is kept.
 */
final class LoopBuffers {

    /** Big enough for the largest UDP datagram and a good chunk of stream data. */
    static final int SIZE = 64 * 1024;

    /** Per loop, with the loop: no lock and no map shared between loops on different threads. */
    private static final LoopLocal<LoopBuffers> BY_LOOP = new LoopLocal<>(LoopBuffers::new);

    final ByteBuffer read = ByteBuffer.allocateDirect(SIZE);
    final ByteBuffer write = ByteBuffer.allocateDirect(SIZE);

    private LoopBuffers() {
    }

    static LoopBuffers of(EventLoop loop) {
        return BY_LOOP.get(loop);
    }
}
