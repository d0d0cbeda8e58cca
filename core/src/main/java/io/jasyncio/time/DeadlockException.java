package io.jasyncio.time;

/**
 * Thrown out of an event loop's run method by a {@link VirtualClock} when every task is waiting
 * and nothing (no timer, no I/O, no other thread) can ever wake one of them: on the real clock the
 * program would hang forever. Under the testing module's {@code @AsyncTest} the message lists the
 * tasks that were stuck.
 */
public final class DeadlockException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * A deadlock report with {@code message} saying what was stuck.
     *
     * @param message what was stuck, and on what
     */
    public DeadlockException(String message) {
        super(message);
    }
}
