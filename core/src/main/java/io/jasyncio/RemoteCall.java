package io.jasyncio;

import java.util.concurrent.Callable;

/**
 * One {@link Async#awaitOn} call: a task run on loop {@code there} for a task awaiting it on loop
 * {@code here}. The object is shared, its fields are not: {@code result} belongs to {@code here}
 * and is only touched on its thread; {@code task} and {@code cancelRequested} belong to
 * {@code there}. What crosses is a message each way ({@code callSoonThreadsafe}): "start" and
 * "cancel" to {@code there}, the outcome to {@code here}.
 */
final class RemoteCall<T> implements Runnable, EventLoop.Rejectable, Awaitable.Listener {

    private final EventLoop here;
    private final EventLoop there;
    private final Callable<? extends T> body;
    /** Owned by {@code here}: completed there with the remote task's outcome. */
    final Promise<T> result;

    // Owned by `there`.
    private Task<T> task;
    private boolean cancelRequested;

    RemoteCall(EventLoop here, EventLoop there, Callable<? extends T> body) {
        this.here = here;
        this.there = there;
        this.body = body;
        this.result = new Promise<>(here);
    }

    /** On {@code there}: start the task (the "start" message). */
    @Override
    public void run() {
        if (cancelRequested) {
            reply(() -> result.cancel("cancelled by its awaiter on " + here.name() + " before it started on " + there.name()));
            return;
        }
        try {
            task = there.spawn("awaitOn from " + here.name(), body);
        } catch (RuntimeException e) {
            reply(() -> result.fail(e));
            return;
        }
        task.addListener(this);
    }

    /** On {@code there}: the awaiter was cancelled (the "cancel" message). */
    void cancel() {
        cancelRequested = true;
        if (task != null) {
            task.cancel("cancelled by its awaiter on " + here.name() + " (Async.awaitOn)");
        }
    }

    /** On {@code there}: the remote task is done; hand its outcome over to {@code here}. */
    @Override
    public void completed(Awaitable<?> a) {
        switch (a.state()) {
            case SUCCESS -> {
                T value = task.resultNow();
                reply(() -> result.complete(value));
            }
            case CANCELLED -> reply(() -> result.cancel("the task it awaited on " + there.name()
                    + " was cancelled (Async.awaitOn carries a cancellation both ways)"));
            default -> {
                Throwable error = a.exceptionNow();
                reply(() -> result.fail(error));
            }
        }
    }

    /** {@code there} closed before starting or finishing the task. */
    @Override
    public void rejected(LoopClosedException e) {
        LoopClosedException typed = new LoopClosedException("Async.awaitOn: " + there.name()
                + " closed before the awaited task finished");
        typed.initCause(e);
        reply(() -> result.fail(typed));
    }

    private void reply(Runnable r) {
        try {
            here.callSoonThreadsafe(r);
        } catch (LoopClosedException ignored) {
            // The awaiting loop has gone, and its task with it: nobody is left to tell.
        }
    }
}
