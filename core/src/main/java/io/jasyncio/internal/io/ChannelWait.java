package io.jasyncio.internal.io;

import java.nio.channels.SelectableChannel;

/**
 * What a task waiting for a channel's readiness parks on: the wait's abort (run on cancellation)
 * and, for task dumps, which channel and which direction. One per registration and direction.
 */
public final class ChannelWait implements Runnable {

    private final SelectorRegistration registration;
    private final boolean write;

    ChannelWait(SelectorRegistration registration, boolean write) {
        this.registration = registration;
        this.write = write;
    }

    /**
     * The channel waited for.
     *
     * @return the channel
     */
    public SelectableChannel channel() {
        return registration.channel;
    }

    /**
     * True for a wait for writability (or a connect), false for readability (or an accept).
     *
     * @return whether it is a write wait
     */
    public boolean isWrite() {
        return write;
    }

    /** The abort: the registration forgets the waiter. Loop thread only. */
    @Override
    public void run() {
        registration.abortWaiter(write);
    }
}
