package io.jasyncio.lowlevel;

import io.jasyncio.Task;
import java.util.Objects;

/**
 * Wakes a task parked in {@link Suspension#park} (Trio's {@code reschedule}): the one way to end
 * such a park other than a cancellation. {@code V} is the type the park returns; it is checked
 * only by the compiler, at the two ends the caller writes.
 *
 * <p>Loop thread only. A park ends once: waking a task that is not parked in
 * {@code Suspension.park} (never parked, already woken, cancelled after its abort answered
 * {@code SUCCEEDED}, or waiting on something else) throws {@link IllegalStateException}.
 *
 * @param <V> the type of the value the woken park returns
 */
public final class Waker<V> {

    private final Task<?> task;

    private Waker(Task<?> task) {
        this.task = task;
    }

    /**
     * A waker for {@code task}.
     *
     * @param <V>  the type of the value its park returns
     * @param task the task to wake
     * @return a waker for it
     */
    public static <V> Waker<V> of(Task<?> task) {
        return new Waker<>(Objects.requireNonNull(task, "task"));
    }

    /**
     * The task this wakes.
     *
     * @return the task
     */
    public Task<?> task() {
        return task;
    }

    /**
     * Makes the task's {@link Suspension#park} return {@code value}: the task is scheduled and
     * runs in a later step of the loop.
     *
     * @param value what the park returns
     * @throws IllegalStateException if the task is not parked in {@code Suspension.park}
     */
    public void wake(V value) {
        Kernel.K.wake(task, value);
    }

    /**
     * Makes the task's {@link Suspension#park} throw {@code error}.
     *
     * @param error what the park throws, not null
     * @throws IllegalStateException if the task is not parked in {@code Suspension.park}
     */
    public void wakeWithError(RuntimeException error) {
        Kernel.K.wakeWithError(task, Objects.requireNonNull(error, "error"));
    }

    @Override
    public String toString() {
        return "Waker[" + task + "]";
    }
}
