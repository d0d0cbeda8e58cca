package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.pattern;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams over transports that are not sockets ({@link Streams}, {@link StreamTransport}): a
 * {@link Pipe} through {@link Streams#channelTransport}, and an in-memory pipe written against the
 * public interface only, with no selector underneath. Limits, backpressure and the end of stream
 * behave as on a socket.
 */
@Timeout(30)
class StreamTransportTest {

    /** Both ends of a non-blocking JDK pipe. */
    private record Ends(StreamWriter out, StreamReader in) {
        static Ends open(int limit, long high, long low) throws IOException {
            Pipe p = Pipe.open();
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
            return new Ends(Streams.writer(Streams.channelTransport(p.sink()), high, low),
                    Streams.reader(Streams.channelTransport(p.source()), limit));
        }
    }

    @Test
    void linesThenEndOfStreamOverAPipe() {
        Async.run(() -> {
            Ends e = Ends.open(StreamReader.DEFAULT_LIMIT, StreamWriter.DEFAULT_HIGH_WATER, StreamWriter.DEFAULT_LOW_WATER);
            Task<Void> w = Async.spawn(() -> {
                e.out.write("one\ntwo\r\n", UTF_8);
                e.out.write("three|rest", US_ASCII);
                e.out.close();
                return null;
            });
            assertEquals("one", e.in.readLine(UTF_8));
            assertEquals("two", e.in.readLine(UTF_8));
            assertArrayEquals("three|".getBytes(US_ASCII), e.in.readUntil("|".getBytes(US_ASCII)));
            IncompleteReadException inc = assertThrows(IncompleteReadException.class, () -> e.in.readExactly(10));
            assertArrayEquals("rest".getBytes(US_ASCII), inc.partial());
            assertNull(e.in.readLine(UTF_8));
            assertTrue(e.in.atEof());
            assertEquals(-1, e.in.read(new byte[4]));
            w.await();
            assertFalse(e.out.canWriteEof());
            assertThrows(StreamClosedException.class, () -> e.out.write(new byte[1]));
            assertNull(e.out.remoteAddress());
            return null;
        });
    }

    @Test
    void limitOverrunLeavesTheDataBuffered() {
        Async.run(() -> {
            Ends e = Ends.open(50, StreamWriter.DEFAULT_HIGH_WATER, StreamWriter.DEFAULT_LOW_WATER);
            byte[] noNewline = pattern(120, 3);
            for (int i = 0; i < noNewline.length; i++) {
                if (noNewline[i] == '\n') {
                    noNewline[i] = 'x';
                }
            }
            e.out.write(noNewline);
            e.out.write("\n", US_ASCII);
            LimitOverrunException over = assertThrows(LimitOverrunException.class, e.in::readLine);
            assertTrue(over.consumed() >= 50, "consumed " + over.consumed());
            assertTrue(e.in.buffered() >= 50, "buffered " + e.in.buffered());
            byte[] all = e.in.readExactly(121); // nothing was lost: the same bytes, then the newline
            assertArrayEquals(noNewline, java.util.Arrays.copyOf(all, 120));
            assertEquals('\n', all[120]);
            return null;
        });
    }

    /**
     * A producer that never drains cannot queue more than the high mark plus one write: write()
     * itself suspends until the slow consumer brings the queue down, and every byte arrives.
     */
    @Test
    void writeSuspendsAboveTheHighWaterMarkOverAPipe() {
        int total = 4 * 1024 * 1024;
        int chunk = 8192;
        Async.run(() -> {
            Ends e = Ends.open(StreamReader.DEFAULT_LIMIT, 32 * 1024, 8 * 1024);
            byte[] data = pattern(total, 5);
            long[] maxQueued = {0};
            int[] writesDone = {0};
            Task<Void> producer = Async.spawn(() -> {
                for (int off = 0; off < total; off += chunk) {
                    e.out.write(data, off, chunk);
                    maxQueued[0] = Math.max(maxQueued[0], e.out.bufferSize());
                    writesDone[0]++;
                }
                e.out.close();
                return null;
            });
            Async.sleep(100); // the consumer is late: the pipe fills, then the writer's queue
            assertFalse(producer.isDone(), "the producer did not wait for the consumer");
            assertTrue(writesDone[0] < total / chunk / 2, "the producer ran ahead: " + writesDone[0] + " writes");
            byte[] got = e.in.readAll();
            producer.await();
            assertTrue(maxQueued[0] <= 32 * 1024 + chunk, "queued " + maxQueued[0]);
            assertTrue(maxQueued[0] > 8 * 1024, "the queue never formed: " + maxQueued[0]);
            assertArrayEquals(data, got);
            e.out.awaitClosed();
            return null;
        });
    }

    /** writeNowait queues past the mark without suspending; drain waits for the low mark, flush for empty. */
    @Test
    void writeNowaitThenDrainAndFlushOverAPipe() {
        Async.run(() -> {
            Ends e = Ends.open(StreamReader.DEFAULT_LIMIT, StreamWriter.DEFAULT_HIGH_WATER, StreamWriter.DEFAULT_LOW_WATER);
            byte[] data = pattern(1024 * 1024, 8);
            e.out.writeNowait(data);
            assertTrue(e.out.bufferSize() > e.out.highWaterMark(), "queued " + e.out.bufferSize());
            Task<byte[]> consumer = Async.spawn(() -> e.in.readExactly(data.length));
            e.out.drain();
            assertTrue(e.out.bufferSize() <= e.out.lowWaterMark());
            e.out.flush();
            assertEquals(0, e.out.bufferSize());
            assertArrayEquals(data, consumer.await());
            return null;
        });
    }

    /** Two tasks waiting for the queue at once: the first flushes, the second waits behind it; both return, nothing lost. */
    @Test
    void twoTasksDrainingAtOnce() {
        Async.run(() -> {
            Ends e = Ends.open(StreamReader.DEFAULT_LIMIT, 1024, 0);
            byte[] data = pattern(1024 * 1024, 6);
            e.out.writeNowait(data);
            Task<Void> first = Async.spawn(() -> {
                e.out.flush();
                return null;
            });
            Task<Void> second = Async.spawn(() -> {
                e.out.drain();
                return null;
            });
            Async.yieldNow();
            assertFalse(first.isDone() || second.isDone(), "the pipe cannot hold a MiB: both wait");
            assertArrayEquals(data, e.in.readExactly(data.length));
            first.await();
            second.await();
            assertEquals(0, e.out.bufferSize());
            return null;
        });
    }

    /** A writer cancelled while it waits for the queue: its bytes stay queued and leave in the background. */
    @Test
    void aCancelledWaitHandsTheQueueBack() {
        Async.run(() -> {
            Ends e = Ends.open(StreamReader.DEFAULT_LIMIT, 32 * 1024, 8 * 1024);
            byte[] data = pattern(512 * 1024, 7);
            Task<Void> producer = Async.spawn(() -> {
                e.out.write(data); // the pipe takes ~64 KiB; the rest queues and write waits
                return null;
            });
            Async.yieldNow();
            assertFalse(producer.isDone());
            producer.cancel();
            assertThrows(io.jasyncio.CancelledException.class, producer::await);
            assertTrue(e.out.bufferSize() > 0);
            assertArrayEquals(data, e.in.readExactly(data.length)); // flushed by the callback now
            e.out.flush();
            return null;
        });
    }

    /** Aborted by another task while a writer waits for the queue: the writer wakes with the abort, no hang. */
    @Test
    void anAbortWakesTheWaitingWriter() {
        Async.run(() -> {
            Ends e = Ends.open(StreamReader.DEFAULT_LIMIT, 32 * 1024, 8 * 1024);
            Task<Void> producer = Async.spawn(() -> {
                e.out.write(new byte[512 * 1024]); // nobody reads: it waits for the queue
                return null;
            });
            Async.yieldNow();
            assertFalse(producer.isDone());
            e.out.abort();
            // A task's checked failure comes back wrapped in CompletionException.
            Throwable x = assertThrows(java.util.concurrent.CompletionException.class, producer::await).getCause();
            assertTrue(x instanceof StreamClosedException && x.getMessage().contains("aborted"), String.valueOf(x));
            assertFalse(e.out.closeWithin(java.time.Duration.ZERO));
            return null;
        });
    }

    /** The life-cycle table holds: a transition outside it fails under -ea (the tests run with it). */
    @Test
    void aTransitionOutsideTheTableIsCaught() {
        Async.run(() -> {
            EventLoop loop = EventLoop.current();
            assertEquals(StreamState.CLOSING, StreamState.OPEN.check(StreamState.CLOSING, loop, "t"));
            assertEquals(StreamState.CLOSED, StreamState.CLOSING.check(StreamState.CLOSED, loop, "t"));
            AssertionError err = assertThrows(AssertionError.class, () -> StreamState.CLOSED.check(StreamState.OPEN, loop, "t"));
            assertTrue(err.getMessage().contains("CLOSED -> OPEN"), err.getMessage());
            assertThrows(AssertionError.class, () -> StreamState.CLOSING.check(StreamState.EOF_PENDING, loop, "t"));
            assertThrows(AssertionError.class, () -> StreamState.FAILED.check(StreamState.CLOSED, loop, "t"));
            return null;
        });
    }

    /** The in-memory pipe: backpressure, end of stream, and a fault that sticks, through the interface alone. */
    @Test
    void anInMemoryTransportGetsTheSameStreams() {
        Async.run(() -> {
            MemoryPipe pipe = new MemoryPipe(EventLoop.current(), 1000);
            StreamWriter out = Streams.writer(pipe.sink(), 4000, 1000);
            StreamReader in = Streams.reader(pipe.source(), 100);
            byte[] data = pattern(50_000, 2);
            Task<Void> producer = Async.spawn(() -> {
                out.write(data);  // 49,000 bytes queued at once: above the mark, so it waits
                out.write("\nlast line\n", US_ASCII);
                out.close();
                return null;
            });
            Async.yieldNow();
            assertFalse(producer.isDone());
            assertEquals(49_000, out.bufferSize());
            assertArrayEquals(data, in.readExactly(data.length));
            assertArrayEquals(new byte[] {'\n'}, in.readLine());
            assertEquals("last line", in.readLine(US_ASCII));
            assertNull(in.readLine(US_ASCII));
            producer.await();
            assertTrue(pipe.sinkClosed && pipe.sourceOpen, "the writer closed its end, the reader's is open");
            return null;
        });
    }

    @Test
    void aFaultFailsTheStreamForEveryLaterCall() {
        Async.run(() -> {
            MemoryPipe pipe = new MemoryPipe(EventLoop.current(), 10);
            StreamWriter out = Streams.writer(pipe.sink());
            out.writeNowait(new byte[100]);                 // 10 taken, 90 queued
            pipe.broken = new IOException("broken pipe");   // the next write fails
            pipe.bytes.clear();                             // room again: the background flush meets the fault
            pipe.changed();
            IOException first = assertThrows(IOException.class, out::flush);
            assertEquals("broken pipe", first.getMessage());
            assertSame(first, assertThrows(IOException.class, () -> out.write(new byte[1])));
            assertSame(first, assertThrows(IOException.class, out::drain));
            assertTrue(out.isClosing());
            assertFalse(out.closeWithin(java.time.Duration.ZERO));
            assertTrue(pipe.sinkClosed);
            return null;
        });
    }

    /**
     * A one-way pipe of bounded capacity, in memory, on one loop, implemented against the public
     * interface with nothing but promises and callSoon: what a subprocess pump could look like.
     */
    static final class MemoryPipe {
        final EventLoop loop;
        final int capacity;
        final ArrayDeque<Byte> bytes = new ArrayDeque<>();
        boolean sinkClosed, sourceClosed, sourceOpen = true;
        IOException broken;
        Promise<Void> readable, writable;
        Runnable writeCallback;
        boolean callbackScheduled;

        MemoryPipe(EventLoop loop, int capacity) {
            this.loop = loop;
            this.capacity = capacity;
        }

        private void changed() {
            if (readable != null) {
                readable.complete(null);
                readable = null;
            }
            if (writable != null) {
                writable.complete(null);
                writable = null;
            }
            scheduleCallback();
        }

        private void scheduleCallback() {
            if (writeCallback != null && !callbackScheduled && (bytes.size() < capacity || sourceClosed)) {
                callbackScheduled = true;
                loop.callSoon(() -> {
                    callbackScheduled = false;
                    Runnable cb = writeCallback;
                    if (cb != null) {
                        cb.run();
                        scheduleCallback(); // level-triggered: again while it stays writable
                    }
                });
            }
        }

        StreamTransport source() {
            return new StreamTransport() {
                @Override
                public int read(ByteBuffer dst) {
                    if (bytes.isEmpty()) {
                        return sinkClosed ? -1 : 0;
                    }
                    int n = 0;
                    while (dst.hasRemaining() && !bytes.isEmpty()) {
                        dst.put(bytes.poll());
                        n++;
                    }
                    changed();
                    return n;
                }

                @Override
                public void awaitReadable() throws IOException {
                    if (sourceClosed) {
                        throw new ClosedChannelException();
                    }
                    if (!bytes.isEmpty() || sinkClosed) {
                        return; // level-triggered: readable now
                    }
                    readable = new Promise<>(loop);
                    readable.await();
                }

                @Override
                public int write(ByteBuffer src) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void awaitWritable() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void onWritable(Runnable callback) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {
                    sourceClosed = true;
                    sourceOpen = false;
                    changed();
                }
            };
        }

        StreamTransport sink() {
            return new StreamTransport() {
                @Override
                public int read(ByteBuffer dst) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void awaitReadable() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int write(ByteBuffer src) throws IOException {
                    if (broken != null) {
                        throw broken;
                    }
                    int n = 0;
                    while (src.hasRemaining() && bytes.size() < capacity) {
                        bytes.add(src.get());
                        n++;
                    }
                    if (n > 0) {
                        changed();
                    }
                    return n;
                }

                @Override
                public void awaitWritable() throws IOException {
                    if (sinkClosed) {
                        throw new ClosedChannelException();
                    }
                    if (bytes.size() < capacity || sourceClosed) {
                        return;
                    }
                    writable = new Promise<>(loop);
                    writable.await();
                }

                @Override
                public void onWritable(Runnable callback) {
                    writeCallback = callback;
                    scheduleCallback();
                }

                @Override
                public void close() {
                    sinkClosed = true;
                    writeCallback = null;
                    changed();
                }
            };
        }
    }
}
