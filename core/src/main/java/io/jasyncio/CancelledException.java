package io.jasyncio;

import java.util.concurrent.CancellationException;

/**
 * Thrown at a suspension point of a task whose task or enclosing {@link CancelScope} has been
 * cancelled, and from awaiting a cancelled {@link Promise} or {@link Task}.
 *
 * <p>Cancellation is level-triggered: catching this exception does not undo the cancellation, and
 * every later suspension point inside the cancelled scope throws again until the scope is exited.
 * Let it propagate; put cleanup in {@code finally}, and cleanup that must itself await inside
 * {@link Async#shield(ThrowingSupplier)}.
 *
 * <p>It extends {@link CancellationException} so that code written for
 * {@link java.util.concurrent.CompletableFuture} recognises it.
 *
 * <p>The ones jasyncio throws carry a stack trace only when the loop is in debug mode
 * ({@link EventLoop.Builder#debug(boolean)}): cancelling a hundred thousand tasks should not cost a
 * hundred thousand stack walks (Kotlin makes the same trade). One you construct yourself always
 * has its trace.
 */
public class CancelledException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** The scope whose cancellation this delivers, or null (the task itself or an awaited future). */
    final transient CancelScope scope;

    /**
     * A cancellation with {@code message}; its stack trace is always filled in.
     *
     * @param message the cancellation's message, or {@code null}
     */
    public CancelledException(String message) {
        this(message, null, true);
    }

    CancelledException(String message, CancelScope scope, boolean withStackTrace) {
        super(message);
        this.scope = scope;
        if (withStackTrace) {
            super.fillInStackTrace();
        }
    }

    /** Records the caller's stack as this exception's trace (debug mode, at the throw site). */
    void captureStackTraceHere() {
        super.fillInStackTrace();
    }

    /** Deferred to the constructor, which knows whether a trace is wanted. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
