package io.jasyncio;

/**
 * Hooks into one loop's scheduling, for tracing, metrics and debuggers (Trio's {@code Instrument}):
 * install one with {@link EventLoop.Builder#instrument}. Every method has an empty default, so an
 * instrument implements only what it watches.
 *
 * <p>Free when none is installed: the loop then pays one null check per hook site. When one is
 * installed, its hooks run on the loop's thread (or, with the portable engine, a task's hooks on
 * the task's own thread while the loop waits for it), synchronously, in the middle of the loop's
 * work: keep them short, do not suspend, and do not call back into the loop from them. An
 * exception from a hook goes to the loop's exception handler and the instrument is removed, so
 * that a broken instrument cannot break the program it watches.
 */
public interface Instrument {

    /**
     * A task was spawned; it is NEW and in the ready queue.
     *
     * @param task the new task
     */
    default void taskSpawned(Task<?> task) {
    }

    /**
     * The loop is about to resume {@code task} (start it, or continue it after a park or a yield).
     *
     * @param task the task about to run
     */
    default void beforeTaskStep(Task<?> task) {
    }

    /**
     * {@code task}'s step ended: it parked, yielded or finished.
     *
     * @param task the task that ran
     */
    default void afterTaskStep(Task<?> task) {
    }

    /**
     * {@code task} parked: it waits for something (a timer, an awaitable, readiness, a waker).
     *
     * @param task the task that parked
     */
    default void taskParked(Task<?> task) {
    }

    /**
     * {@code task} was woken from a park (by what it waited for, or by a cancellation) and is
     * scheduled to run.
     *
     * @param task the woken task
     */
    default void taskWoken(Task<?> task) {
    }

    /**
     * {@code task}'s body returned or threw: the task is done.
     *
     * @param task the finished task
     */
    default void taskExited(Task<?> task) {
    }

    /**
     * The loop begins an iteration (poll for I/O, collect timers and handed-over work, run what is
     * ready).
     *
     * @param loop the loop
     */
    default void iterationStarted(EventLoop loop) {
    }

    /**
     * The loop is about to wait for I/O readiness, at most {@code timeoutNanos} (0: only a look;
     * negative: no limit).
     *
     * @param loop         the loop
     * @param timeoutNanos the longest it will wait
     */
    default void beforeIoWait(EventLoop loop, long timeoutNanos) {
    }

    /**
     * The loop's wait for I/O readiness ended.
     *
     * @param loop the loop
     */
    default void afterIoWait(EventLoop loop) {
    }
}
