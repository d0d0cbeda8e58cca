package io.jasyncio.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A byte source, a byte sink, or both, that a {@link StreamReader} or {@link StreamWriter} can sit
 * on when it is not a socket: a subprocess pipe, an in-memory pair, a simulated network. Build the
 * streams with {@link Streams#reader(StreamTransport)} and {@link Streams#writer(StreamTransport)};
 * they then offer the same API as a socket's ({@code readLine}, {@code readUntil}, the limit,
 * backpressure, the end of the stream, closing), and the transport only has to move bytes.
 *
 * <p>The contract is readiness, as for a non-blocking channel: {@link #read} and {@link #write}
 * never suspend and may move nothing; {@link #awaitReadable()} and {@link #awaitWritable()} suspend
 * the calling task until they may move something (a spurious wake is allowed: the stream simply
 * tries again). {@link #onWritable} lets the writer flush its queue in the background while no task
 * waits. Everything is called on the loop's thread, from the loop that made the streams.
 * {@link Streams#channelTransport(java.nio.channels.SelectableChannel)} is a ready-made one over any
 * non-blocking selectable channel (both ends of a {@link java.nio.channels.Pipe}, for example).
 *
 * <p>A minimal one over a {@code Pipe} (what {@code channelTransport} does for you):
 * <pre>{@code
 * Pipe pipe = Pipe.open();
 * pipe.source().configureBlocking(false);
 * pipe.sink().configureBlocking(false);
 * StreamWriter out = Streams.writer(Streams.channelTransport(pipe.sink()));
 * StreamReader in = Streams.reader(Streams.channelTransport(pipe.source()));
 * out.write("hello\n", UTF_8);
 * out.close();                       // the reader sees the end of the stream after "hello"
 * String line = in.readLine(UTF_8);  // "hello"
 * }</pre>
 *
 * <p>Faults: an {@link IOException} thrown by any method fails the stream above; the stream closes
 * the transport and every later call on the stream throws that exception.
 */
public interface StreamTransport {

    /**
     * Reads what is available now into the remaining space of {@code dst}, without suspending.
     *
     * @param dst the buffer to fill, from its position to its limit
     * @return the number of bytes read, 0 if none is available now, or -1 at the end of the stream
     * @throws IOException if reading fails; {@link UnsupportedOperationException} for a sink only
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Suspends the calling task until {@link #read} may return something (or the end of the stream);
     * returns at once if it already may. Level-triggered: the stream calls it after a read that
     * came back short, so a wait that only watched for new events could miss what is already there.
     * If the transport is closed meanwhile it must throw {@link java.nio.channels.ClosedChannelException}
     * or {@link io.jasyncio.ChannelClosedException} (what the loop's own readiness waits throw), and
     * it lets a cancellation of the task through as {@link io.jasyncio.CancelledException}.
     *
     * @throws IOException if the transport is closed or waiting fails
     */
    void awaitReadable() throws IOException;

    /**
     * Writes as much of the remaining bytes of {@code src} as the sink takes now, without suspending.
     *
     * @param src the bytes to write, from its position to its limit; consumed as far as taken
     * @return the number of bytes taken, possibly 0
     * @throws IOException if writing fails; {@link UnsupportedOperationException} for a source only
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Suspends the calling task until {@link #write} may take something; the same rules as
     * {@link #awaitReadable()}.
     *
     * @throws IOException if the transport is closed or waiting fails
     */
    void awaitWritable() throws IOException;

    /**
     * While {@code callback} is not null, runs it on the loop (not nested in this call) each time
     * {@link #write} may take something, until it is replaced or removed with {@code null}
     * (asyncio's {@code add_writer} / {@code remove_writer}). The writer uses it to flush its queue
     * while no task waits; it never sets a callback while a task waits in {@link #awaitWritable()}.
     *
     * @param callback the code to run on writability, or {@code null} to stop
     * @throws IOException if the transport is closed
     */
    void onWritable(Runnable callback) throws IOException;

    /**
     * Half-closes: the other end reads the end of the stream; reading, if any, goes on. Called once
     * everything written was taken. The default refuses, which {@link #canShutdownOutput()} announces.
     *
     * @throws IOException if the half-close fails
     */
    default void shutdownOutput() throws IOException {
        throw new UnsupportedOperationException("this transport has no half-close");
    }

    /**
     * Whether {@link #shutdownOutput()} works; the writer's {@link StreamWriter#canWriteEof()}.
     *
     * @return true if the transport can half-close
     */
    default boolean canShutdownOutput() {
        return false;
    }

    /**
     * Closes the transport and releases what it holds, the {@link #onWritable} callback included (the
     * stream does not remove it first); a task waiting in {@link #awaitReadable()} or
     * {@link #awaitWritable()} must wake with one of the exceptions {@link #awaitReadable()} names.
     * Called once, by the stream, after its queue is flushed (or on abort or a fault). Must not
     * suspend or throw.
     */
    void close();

    /**
     * The other end's address, if it has one.
     *
     * @return the address, or {@code null} (the default)
     */
    default SocketAddress remoteAddress() {
        return null;
    }

    /**
     * This end's address, if it has one.
     *
     * @return the address, or {@code null} (the default)
     */
    default SocketAddress localAddress() {
        return null;
    }
}
