package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.Readiness;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/** {@link Streams#channelTransport}: a {@link StreamTransport} over a non-blocking selectable channel. */
final class ChannelStreamTransport implements StreamTransport {

    private final EventLoop loop;
    private final SelectableChannel channel;

    ChannelStreamTransport(EventLoop loop, SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: call configureBlocking(false) first");
        }
        if (!(channel instanceof ReadableByteChannel) && !(channel instanceof WritableByteChannel)) {
            throw new IllegalArgumentException("the channel neither reads nor writes bytes: " + channel);
        }
        this.loop = loop;
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!(channel instanceof ReadableByteChannel r)) {
            throw new UnsupportedOperationException("this channel cannot be read: " + channel);
        }
        return r.read(dst);
    }

    @Override
    public void awaitReadable() throws IOException {
        Readiness.waitReadable(channel);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!(channel instanceof WritableByteChannel w)) {
            throw new UnsupportedOperationException("this channel cannot be written: " + channel);
        }
        return w.write(src);
    }

    @Override
    public void awaitWritable() throws IOException {
        Readiness.waitWritable(channel);
    }

    @Override
    public void onWritable(Runnable callback) throws IOException {
        if (callback == null) {
            Readiness.removeWriter(loop, channel);
        } else {
            Readiness.addWriter(loop, channel, callback);
        }
    }

    @Override
    public boolean canShutdownOutput() {
        return channel instanceof SocketChannel;
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (channel instanceof SocketChannel s) {
            s.shutdownOutput();
        } else {
            StreamTransport.super.shutdownOutput();
        }
    }

    @Override
    public void close() {
        Readiness.closeChannel(loop, channel);
    }

    @Override
    public SocketAddress remoteAddress() {
        try {
            return channel instanceof SocketChannel s ? s.getRemoteAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress localAddress() {
        try {
            return channel instanceof NetworkChannel n ? n.getLocalAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ChannelStreamTransport[" + channel + "]";
    }
}
