package io.jasyncio;

import io.jasyncio.internal.access.AbortHook;
import io.jasyncio.internal.access.KernelAccess;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kernel's side of {@link KernelAccess}: what {@code io.jasyncio.lowlevel} may do to tasks and
 * loops beyond their public API, each a call to the package-private member that does it.
 * Registered by {@link EventLoop}'s static initializer.
 */
final class KernelBridge implements KernelAccess<EventLoop, Task<?>, EventLoop.Builder> {

    @Override
    public Task<?> currentTask(String what) {
        return Task.currentFor(null, what);
    }

    @Override
    public EventLoop currentLoopOrNull() {
        return EventLoop.currentOrNull();
    }

    @Override
    public EventLoop loopOf(Task<?> task) {
        return task.loop;
    }

    @Override
    public Object park(Task<?> task, AbortHook abort) {
        return task.parkForUser(abort);
    }

    @Override
    public void wake(Task<?> task, Object value) {
        task.wakeUp(value, null);
    }

    @Override
    public void wakeWithError(Task<?> task, RuntimeException error) {
        task.wakeUp(null, error);
    }

    @Override
    public void countOutsideWait(EventLoop loop, int delta) {
        loop.outsideWaits += delta;
    }

    @Override
    public void waitReady(SelectableChannel channel, boolean write) throws ClosedChannelException {
        Task<?> me = Task.currentFor(null, write ? "waitWritable()" : "waitReadable()");
        // EventLoop.waitReady's two lines, here: one frame fewer in every parked reader's stack
        me.throwIfCancelled();
        me.park(me.loop.io.addWaiter(channel, write, me), true);
    }

    @Override
    public void addCallback(EventLoop loop, SelectableChannel channel, boolean write, Runnable callback)
            throws ClosedChannelException {
        loop.addCallback(channel, write, callback);
    }

    @Override
    public boolean removeCallback(EventLoop loop, SelectableChannel channel, boolean write) {
        return loop.removeCallback(channel, write);
    }

    @Override
    public void closeChannel(EventLoop loop, SelectableChannel channel) {
        loop.closeChannel(channel);
    }

    @Override
    public List<SelectableChannel> registeredChannels(EventLoop loop) {
        return loop.registeredChannels();
    }

    @Override
    public Object loopLocal(EventLoop loop, int slot) {
        return loop.loopLocal(slot);
    }

    @Override
    public void setLoopLocal(EventLoop loop, int slot, Object value) {
        loop.setLoopLocal(slot, value);
    }

    @Override
    public void setThreadDefaults(Consumer<EventLoop.Builder> defaults) {
        EventLoop.setThreadDefaults(defaults);
    }
}
