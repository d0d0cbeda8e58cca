package io.jasyncio;

/**
 * {@link EventLoop#addSignalHandler} was asked for a signal the JVM keeps for itself (QUIT, SEGV,
 * ILL, FPE on HotSpot) or that no process can catch (KILL, STOP).
 */
public final class ReservedSignalException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The signal that was refused. */
    private final Signal signal;

    /**
     * A refusal of {@code signal}.
     *
     * @param signal the signal the JVM reserves
     * @param cause the JVM's own refusal, or {@code null}
     */
    public ReservedSignalException(Signal signal, Throwable cause) {
        super("SIG" + signal + " cannot have a handler: the JVM or the OS reserves it"
                + (signal == Signal.QUIT ? " (for thread dumps; -Xrs frees it)" : "")
                + "; catchable signals include HUP, INT, TERM, USR1, USR2, WINCH", cause);
        this.signal = signal;
    }

    /**
     * The signal that was refused.
     *
     * @return the signal
     */
    public Signal signal() {
        return signal;
    }
}
