package io.jasyncio;

/**
 * A callback scheduled on an {@link EventLoop} with {@link EventLoop#callSoon(Runnable)} or
 * {@link EventLoop#callSoonThreadsafe(Runnable)}; cancelling it before it runs means it never runs.
 *
 * <p>{@link #cancel()} is not thread-safe: call it on the loop's thread (from another thread,
 * schedule the cancel with {@code callSoonThreadsafe}).
 */
public class Handle {
    private final Runnable callback;
    private boolean cancelled;

    Handle(Runnable callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        this.callback = callback;
    }

    /** Prevents the callback from running if it has not run yet. Idempotent. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * True once {@link #cancel()} was called.
     *
     * @return whether the callback was cancelled
     */
    public boolean isCancelled() {
        return cancelled;
    }

    void run() {
        if (!cancelled) {
            callback.run();
        }
    }

    Runnable callback() {
        return callback;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + callback + (cancelled ? ", cancelled" : "") + "]";
    }
}
