package io.jasyncio;

/**
 * An {@link Awaitable} completed explicitly by whoever holds it: the bridge between callback-style
 * code and tasks that await (asyncio's {@code loop.create_future()}).
 *
 * <p>Loop-thread only. To complete one from another thread, hand the call to the loop:
 * {@code loop.callSoonThreadsafe(() -> promise.complete(v))}.
 *
 * @param <T> the type of the value
 */
public final class Promise<T> extends Awaitable<T> {

    /**
     * For dumps: what completes this promise from outside the loop, when the kernel made it for
     * that: a {@link WorkerCall} ({@code toThread}, {@code runInExecutor}) or the awaited
     * {@code CompletionStage}. Null for a user's promise.
     */
    Object origin;

    /** A call handed to a worker thread, and the thread once it runs it. */
    static final class WorkerCall {
        final Object call;
        volatile Thread thread;

        WorkerCall(Object call) {
            this.call = call;
        }
    }

    /** A promise on the loop running this thread. */
    public Promise() {
        this(EventLoop.current());
    }

    /**
     * A promise on {@code loop}; call from the loop's thread.
     *
     * @param loop the loop the promise belongs to
     */
    public Promise(EventLoop loop) {
        super(loop);
        loop.checkThread("new Promise");
    }

    /**
     * Completes with {@code value}; returns false (and changes nothing) if already done.
     *
     * @param value the value
     * @return true if this call completed the promise
     */
    public boolean complete(T value) {
        loop.checkThread("Promise.complete");
        return setSuccess(value);
    }

    /**
     * Completes with {@code error}; returns false (and changes nothing) if already done.
     *
     * @param error the failure; awaiting the promise throws it
     * @return true if this call completed the promise
     */
    public boolean fail(Throwable error) {
        loop.checkThread("Promise.fail");
        if (error instanceof CancelledException c) {
            return setCancelled(c);
        }
        return setFailure(error);
    }

    /** Completes as cancelled; awaiters get {@link CancelledException}. False if already done. */
    @Override
    public boolean cancel(String message) {
        loop.checkThread("Promise.cancel");
        return setCancelled(new CancelledException(message, null, loop.isDebug()));
    }
}
