package io.jasyncio.net;

import io.jasyncio.EventLoop;
import java.nio.channels.SelectableChannel;
import java.util.Objects;

/**
 * Builds {@link StreamReader}s and {@link StreamWriter}s over a {@link StreamTransport} that is not a
 * socket (a subprocess pipe, an in-memory pair): the same stream API, limits, backpressure and end
 * of stream as {@link Net}'s connections. Call these on the loop's thread; the streams belong to
 * that loop.
 *
 * <pre>{@code
 * StreamReader in = Streams.reader(Streams.channelTransport(pipe.source()));
 * String line = in.readLine(UTF_8);
 * }</pre>
 *
 * <p>A reader and a writer made here over the same transport object are independent streams:
 * give each direction its own transport (as a subprocess's stdin and stdout are), or use one side
 * only.
 */
public final class Streams {

    private Streams() {
    }

    /**
     * A reader over {@code source} with the default limit ({@link StreamReader#DEFAULT_LIMIT}).
     *
     * @param source where the bytes come from
     * @return a reader that pulls from {@code source} on demand, in the reading task
     * @throws IllegalStateException if not called on an event loop's thread
     */
    public static StreamReader reader(StreamTransport source) {
        return reader(source, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * A reader over {@code source}.
     *
     * @param source where the bytes come from
     * @param limit the most {@link StreamReader#readLine()} and {@link StreamReader#readUntil} return
     * @return a reader that pulls from {@code source} on demand, in the reading task
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if not called on an event loop's thread
     */
    public static StreamReader reader(StreamTransport source, int limit) {
        return new StreamReader(new PlainTransport(EventLoop.current(), Objects.requireNonNull(source, "source")), limit);
    }

    /**
     * A writer over {@code sink} with the default water marks (64 KiB high, 16 KiB low).
     *
     * @param sink where the bytes go
     * @return a writer that sends at once what {@code sink} takes and queues the rest
     * @throws IllegalStateException if not called on an event loop's thread
     */
    public static StreamWriter writer(StreamTransport sink) {
        return writer(sink, StreamWriter.DEFAULT_HIGH_WATER, StreamWriter.DEFAULT_LOW_WATER);
    }

    /**
     * A writer over {@code sink}.
     *
     * @param sink where the bytes go
     * @param high the queue size above which {@link StreamWriter#write} suspends
     * @param low the queue size it then waits for
     * @return a writer that sends at once what {@code sink} takes and queues the rest
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     * @throws IllegalStateException if not called on an event loop's thread
     */
    public static StreamWriter writer(StreamTransport sink, long high, long low) {
        return new StreamWriter(new PlainTransport(EventLoop.current(), Objects.requireNonNull(sink, "sink")), high, low);
    }

    /**
     * A transport over a non-blocking selectable channel that is a
     * {@link java.nio.channels.ReadableByteChannel} (reads), a
     * {@link java.nio.channels.WritableByteChannel} (writes), or both, waiting for readiness on the
     * current loop's selector: for example {@link java.nio.channels.Pipe#source()} and
     * {@link java.nio.channels.Pipe#sink()}. Closing it closes the channel through the loop.
     *
     * @param channel a channel in non-blocking mode
     * @return a transport over it
     * @throws IllegalArgumentException if the channel is in blocking mode or neither readable nor writable
     * @throws IllegalStateException if not called on an event loop's thread
     */
    public static StreamTransport channelTransport(SelectableChannel channel) {
        return new ChannelStreamTransport(EventLoop.current(), channel);
    }
}
