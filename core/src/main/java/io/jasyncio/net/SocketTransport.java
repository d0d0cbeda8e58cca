package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.Readiness;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A stream over a non-blocking {@link SocketChannel} (TCP or Unix domain): a {@link PlainTransport}
 * (reads, the write queue, backpressure, faults, closing, the idle timeout: its class comment has
 * the tables) whose {@link StreamTransport} is the channel itself, waiting for readiness on the
 * loop's selector, with what only a socket has: a typed reset (I/O errors mapped by
 * {@link Faults}), a half-close, and an abort that resets (SO_LINGER 0).
 */
final class SocketTransport extends PlainTransport {

    private final SocketChannel ch;

    SocketTransport(EventLoop loop, SocketChannel ch) {
        super(loop, new SocketIo(loop, ch));
        this.ch = ch;
    }

    @Override
    SocketChannel channel() {
        return ch;
    }

    @Override
    SocketTransport socket() {
        return this;
    }

    @Override
    void abortHard() {
        abortWithReset();
    }

    /**
     * Aborts with a reset (SO_LINGER 0) instead of a FIN: the operating system drops what it still
     * holds for sending at once instead of retrying it at a peer that does not read.
     */
    void abortWithReset() {
        if (!isClosed()) {
            resetOnClose();
            abort();
        }
    }

    @Override
    void beforeDroppingStuckBytes() {
        resetOnClose(); // do not leave the OS retrying writes a peer never reads
    }

    private void resetOnClose() {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | UnsupportedOperationException e) {
            // a Unix domain socket has no linger: an ordinary close it is
        }
    }

    @Override
    SocketAddress remoteAddress() {
        try {
            return ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    SocketAddress localAddress() {
        try {
            return ch.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** The socket as a {@link StreamTransport}: the channel's calls, its faults typed. */
    private static final class SocketIo implements StreamTransport {

        private final EventLoop loop;
        private final SocketChannel ch;

        SocketIo(EventLoop loop, SocketChannel ch) {
            this.loop = loop;
            this.ch = ch;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            try {
                return ch.read(dst);
            } catch (IOException e) {
                throw Faults.onReadOrWrite(e, "a read");
            }
        }

        @Override
        public void awaitReadable() throws IOException {
            Readiness.waitReadable(ch);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            try {
                return ch.write(src);
            } catch (IOException e) {
                throw Faults.onReadOrWrite(e, "a write");
            }
        }

        @Override
        public void awaitWritable() throws IOException {
            Readiness.waitWritable(ch);
        }

        @Override
        public void onWritable(Runnable callback) throws IOException {
            if (callback == null) {
                Readiness.removeWriter(loop, ch);
            } else {
                Readiness.addWriter(loop, ch, callback);
            }
        }

        @Override
        public boolean canShutdownOutput() {
            return true;
        }

        @Override
        public void shutdownOutput() throws IOException {
            ch.shutdownOutput();
        }

        @Override
        public void close() {
            Readiness.closeChannel(loop, ch); // cancels the key, wakes a waiting reader or writer
        }

        @Override
        public String toString() {
            return ch.toString();
        }
    }
}
