package io.jasyncio;

import java.time.Duration;
import java.util.Objects;

/**
 * A region of one task's code that can be cancelled as a unit, optionally with a deadline
 * (Trio's cancel scope; asyncio's {@code timeout()} context).
 *
 * <p>Cancelling a scope makes the suspension point the task is at inside it (or its next one)
 * throw {@link CancelledException}, and every later one inside it throw again until the scope is
 * left: cancellation is level-triggered and cannot be swallowed by a {@code catch}. When that
 * exception reaches the scope's {@link #run} it is caught there, {@link #cancelledCaught()} becomes
 * true and {@code run} returns null (a "move on" scope) or throws {@link AsyncTimeoutException}
 * (a "fail" scope whose deadline passed). A {@link TaskGroupException} that a task group inside
 * attached to that cancellation is thrown instead: failures are never swallowed with a cancellation.
 *
 * <p>A shielded scope ({@link #setShield(boolean)}) hides the cancellation of every scope outside
 * it, and of the task itself, from the code inside: cleanup that must await goes there.
 *
 * <p>A scope is entered once, by {@link #run}, on the loop's thread; it may be cancelled and its
 * deadline moved before, during or after. Not thread-safe.
 */
public final class CancelScope {

    private final boolean failOnExpiry;
    private Task<?> owner;
    /** The next scope out in the owner task, or null. */
    CancelScope parent;
    private boolean entered, exited;
    private boolean cancelled, shield, cancelledCaught, expired;
    private String message;
    private long deadline;
    private boolean hasDeadline;
    /** The deadline was given as a duration from the time it was set ({@link #setTimeout}), that duration. */
    private boolean relative;
    private long timeoutNanos;
    /** Set again while the scope ran, at movedAt; enteredAt is when the scope was entered. */
    private boolean moved;
    private long movedAt, enteredAt;
    /** What expired, said once when it did: the message of the timeout and of the cancellation inside. */
    private String expiryMessage;
    private TimerHandle deadlineTimer;
    /** Thrown instead of a CancelledException (a task group delivering its failure). */
    RuntimeException deliverInstead;
    /** True once deliverInstead has been thrown at a suspension point. */
    boolean delivered;

    private CancelScope(boolean failOnExpiry) {
        this.failOnExpiry = failOnExpiry;
    }

    /**
     * A scope with no deadline, cancelled only by {@link #cancel()}.
     *
     * @return a new scope, to {@link #run} once
     */
    public static CancelScope create() {
        return new CancelScope(false);
    }

    /**
     * A scope whose body simply ends (run returns null) if it is still running after {@code timeout}.
     *
     * @param timeout how long the body may run
     * @return a new scope, to {@link #run} once
     */
    public static CancelScope moveOnAfter(Duration timeout) {
        CancelScope s = new CancelScope(false);
        s.setTimeout(timeout);
        return s;
    }

    /**
     * A scope whose run throws {@link AsyncTimeoutException} if its body is cut short by {@code timeout}.
     *
     * @param timeout how long the body may run
     * @return a new scope, to {@link #run} once
     */
    public static CancelScope failAfter(Duration timeout) {
        CancelScope s = new CancelScope(true);
        s.setTimeout(timeout);
        return s;
    }

    /**
     * Like {@link #moveOnAfter} with an absolute deadline on the loop's clock.
     *
     * @param deadlineNanos the deadline, in nanoseconds on the loop's clock ({@link EventLoop#time()})
     * @return a new scope, to {@link #run} once
     */
    public static CancelScope moveOnAt(long deadlineNanos) {
        CancelScope s = new CancelScope(false);
        s.setDeadline(deadlineNanos);
        return s;
    }

    /**
     * Like {@link #failAfter} with an absolute deadline on the loop's clock.
     *
     * @param deadlineNanos the deadline, in nanoseconds on the loop's clock ({@link EventLoop#time()})
     * @return a new scope, to {@link #run} once
     */
    public static CancelScope failAt(long deadlineNanos) {
        CancelScope s = new CancelScope(true);
        s.setDeadline(deadlineNanos);
        return s;
    }

    /**
     * Runs {@code body} inside this scope in the current task and returns its value, or null if
     * the scope's own cancellation cut it short.
     *
     * @param <T> the type of the body's value
     * @param <E> the checked exception the body may throw
     * @param body the code to run in the scope
     * @return the body's value, or {@code null} if the scope's cancellation ended it
     * @throws AsyncTimeoutException if this is a fail scope and its deadline cut the body short
     * @throws IllegalStateException if the scope was already entered, or not called in a task
     * @throws E                     whatever the body throws
     */
    public <T, E extends Exception> T run(ThrowingSupplier<? extends T, E> body) throws E {
        Objects.requireNonNull(body, "body");
        enter(Task.current());
        try {
            return body.get();
        } catch (CancelledException e) {
            if (e.scope != this) {
                throw e;
            }
            cancelledCaught = true;
            TaskGroupException groupFailure = TaskGroupException.ridingOn(e);
            if (groupFailure != null) {
                throw groupFailure; // a failure outranks the cancellation that carried it
            }
            if (failOnExpiry && expired) {
                throw new AsyncTimeoutException(expiryMessage, e);
            }
            return null;
        } finally {
            exit();
        }
    }

    /** Cancels the scope (idempotent). */
    public void cancel() {
        cancel(null);
    }

    /**
     * Cancels the scope; {@code message} becomes the message of the exceptions it throws.
     *
     * @param message the message, or {@code null}
     */
    public void cancel(String message) {
        if (cancelled) {
            return;
        }
        cancelled = true;
        this.message = message;
        cancelTimer();
        if (isActive()) {
            owner.cancellationChanged();
        }
    }

    /**
     * True once {@link #cancel()} was called or the deadline passed.
     *
     * @return whether the scope is cancelled
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * True if this scope's own cancellation ended its body (Trio's {@code cancelled_caught}).
     *
     * @return whether the scope's own cancellation ended the body
     */
    public boolean cancelledCaught() {
        return cancelledCaught;
    }

    /**
     * True if the cancellation came from the deadline passing.
     *
     * @return whether the deadline ended the scope
     */
    public boolean isExpired() {
        return expired;
    }

    /**
     * True if the scope shields its body from cancellation outside it.
     *
     * @return whether the scope is a shield
     */
    public boolean isShield() {
        return shield;
    }

    /**
     * Shields the code inside from every cancellation outside this scope.
     *
     * @param shield true to shield, false to stop shielding
     */
    public void setShield(boolean shield) {
        this.shield = shield;
        if (!shield && isActive()) {
            owner.cancellationChanged();
        }
    }

    /**
     * The deadline in nanoseconds on the loop's clock; meaningful when {@link #hasDeadline()}.
     *
     * @return the deadline, in nanoseconds on the loop's clock
     */
    public long deadline() {
        return deadline;
    }

    /**
     * True if the scope has a deadline.
     *
     * @return whether a deadline is set
     */
    public boolean hasDeadline() {
        return hasDeadline;
    }

    /**
     * Moves the deadline (earlier or later) to {@code deadlineNanos} on the loop's clock.
     *
     * @param deadlineNanos the new deadline, in nanoseconds on the loop's clock ({@link EventLoop#time()})
     */
    public void setDeadline(long deadlineNanos) {
        moveDeadline(deadlineNanos, false, 0);
    }

    /**
     * Moves the deadline to {@code timeout} from now. Needs a running loop.
     *
     * @param timeout how long from now, on the loop's clock
     */
    public void setTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos = saturatedNanos(timeout);
        long now = EventLoop.current().time();
        moveDeadline(nanos > Long.MAX_VALUE / 2 ? now + Long.MAX_VALUE / 2 : now + nanos, true, nanos);
    }

    private void moveDeadline(long deadlineNanos, boolean relative, long timeoutNanos) {
        this.deadline = deadlineNanos;
        this.hasDeadline = true;
        this.relative = relative;
        this.timeoutNanos = timeoutNanos;
        if (isActive()) {
            moved = true;
            movedAt = owner.loop.time();
            armTimer(false);
        }
    }

    /** Removes the deadline. */
    public void clearDeadline() {
        hasDeadline = false;
        cancelTimer();
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE;
        }
    }

    // ------------------------------------------------------------------ package

    private boolean isActive() {
        return entered && !exited;
    }

    void enter(Task<?> task) {
        if (entered) {
            throw new IllegalStateException("a cancel scope can be entered only once");
        }
        entered = true;
        owner = task;
        parent = task.innermostScope;
        task.innermostScope = this;
        enteredAt = task.loop.time();
        if (hasDeadline && !cancelled) {
            armTimer(true);
        }
    }

    void exit() {
        if (owner.innermostScope != this) {
            throw new IllegalStateException("cancel scopes must be left in the reverse order they were entered");
        }
        owner.innermostScope = parent;
        exited = true;
        cancelTimer();
    }

    RuntimeException deliver() {
        if (deliverInstead != null) {
            delivered = true;
            return deliverInstead;
        }
        String m = message != null ? message : expired ? expiryMessage : "cancel scope cancelled";
        return new CancelledException(m, this, owner.loop.isDebug());
    }

    private void armTimer(boolean atEntry) {
        cancelTimer();
        if (cancelled) {
            return;
        }
        EventLoop loop = owner.loop;
        if (deadline - loop.time() <= 0) {
            expire(atEntry);
        } else {
            deadlineTimer = loop.callAt(deadline, () -> expire(false));
        }
    }

    private void expire(boolean atEntry) {
        deadlineTimer = null;
        if (!cancelled) {
            expired = true;
            expiryMessage = expiryMessage(atEntry);
            cancel(null);
        }
    }

    /**
     * Which timeout expired, in the words the caller used to set it: "timed out after 50 ms" for a
     * duration, the deadline itself for an absolute one, and, if the body moved it, when.
     */
    private String expiryMessage(boolean atEntry) {
        String what = relative ? "timed out after " + describe(timeoutNanos)
                : "deadline passed: " + deadline + " ns on the loop's clock";
        if (atEntry) {
            return what + " (already past when the scope was entered)";
        }
        long ran = owner.loop.time() - enteredAt;
        if (moved) {
            return what + " (the " + (relative ? "timeout" : "deadline") + " was set again " + describe(movedAt - enteredAt)
                    + " after the scope was entered; the scope ran " + describe(ran) + ")";
        }
        return relative ? what : what + ", " + describe(ran) + " after the scope was entered";
    }

    /** "50 ms", "1.5 ms", "90 s". */
    static String describe(long nanos) {
        if (nanos % 1_000_000 != 0) {
            return java.math.BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + " ms";
        }
        long ms = nanos / 1_000_000;
        return ms != 0 && ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private void cancelTimer() {
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
            deadlineTimer = null;
        }
    }

    @Override
    public String toString() {
        String phase = !entered ? ", not entered" : exited ? ", exited" : "";
        return "CancelScope[" + (cancelled ? "cancelled" : "active") + phase + (shield ? ", shield" : "")
                + (hasDeadline ? ", deadline=" + deadline : "") + "]";
    }
}
