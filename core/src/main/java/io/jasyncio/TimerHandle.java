package io.jasyncio;

/**
 * A callback scheduled for a moment on the loop's clock with {@link EventLoop#callLater} or
 * {@link EventLoop#callAt}. Cancelling it before it is due means it never runs; its slot in the
 * loop's timer heap is reclaimed lazily.
 */
public final class TimerHandle extends Handle {
    private final long when;
    private final EventLoop loop;

    TimerHandle(EventLoop loop, long when, Runnable callback) {
        super(callback);
        this.loop = loop;
        this.when = when;
    }

    /**
     * The deadline, in nanoseconds on the loop's clock ({@link EventLoop#time()}).
     *
     * @return the deadline, in nanoseconds
     */
    public long when() {
        return when;
    }

    @Override
    public void cancel() {
        if (!isCancelled()) {
            super.cancel();
            loop.timerCancelled();
        }
    }
}
