package io.jasyncio;

/**
 * The POSIX signals by name, for {@link EventLoop#addSignalHandler} and for sending a signal to a
 * child process ({@code io.jasyncio.process.Subprocess#sendSignal}). The names are the C names
 * without {@code SIG}; the numbers are the running platform's ({@link #number()}), which differ
 * between Linux and macOS for some of them (USR1, USR2, CHLD, ...).
 *
 * <p>A JVM reserves some signals for itself (on HotSpot: QUIT for thread dumps, SEGV, ILL, FPE,
 * and KILL and STOP, which no process can catch): {@link EventLoop#addSignalHandler} refuses them
 * with {@link ReservedSignalException}. Any signal can be sent to a child.
 */
public enum Signal {
    /** Hang-up: the terminal closed; daemons take it as "reload your configuration". */
    HUP,
    /** Interrupt: Ctrl-C in a terminal. */
    INT,
    /** Quit: Ctrl-\ in a terminal; the JVM uses it to print a thread dump. */
    QUIT,
    /** Illegal instruction (the JVM's). */
    ILL,
    /** Trace or breakpoint trap. */
    TRAP,
    /** Abort, as {@code abort()} raises. */
    ABRT,
    /** Bus error. */
    BUS,
    /** Arithmetic error (the JVM's). */
    FPE,
    /** Kill: ends a process at once; cannot be caught. */
    KILL,
    /** User-defined signal 1. */
    USR1,
    /** Segmentation fault (the JVM's). */
    SEGV,
    /** User-defined signal 2. */
    USR2,
    /** Write to a pipe nobody reads. */
    PIPE,
    /** Alarm clock. */
    ALRM,
    /** Terminate: the polite request to stop ({@code kill}'s default). */
    TERM,
    /** A child stopped or ended. */
    CHLD,
    /** Continue after a stop. */
    CONT,
    /** Stop: pauses a process; cannot be caught. */
    STOP,
    /** Stop from the terminal: Ctrl-Z. */
    TSTP,
    /** A background process read from the terminal. */
    TTIN,
    /** A background process wrote to the terminal. */
    TTOU,
    /** Urgent data on a socket. */
    URG,
    /** CPU time limit exceeded. */
    XCPU,
    /** File size limit exceeded. */
    XFSZ,
    /** Virtual timer expired. */
    VTALRM,
    /** Profiling timer expired. */
    PROF,
    /** The terminal's window size changed. */
    WINCH,
    /** I/O is possible on a descriptor. */
    IO,
    /** Bad system call. */
    SYS;

    private int number = -1;

    /**
     * This signal's number on the running platform (INT is 2, TERM 15, KILL 9 everywhere; others
     * vary), as a child killed by it reports it: asyncio's return code is minus this number.
     *
     * @return the platform's signal number
     * @throws UnsupportedOperationException if the platform does not know this signal
     */
    public int number() {
        int n = number;
        if (n < 0) {
            try {
                n = SignalHandlers.platformNumber(name());
            } catch (IllegalArgumentException e) {
                throw new UnsupportedOperationException("this platform has no SIG" + name(), e);
            }
            number = n;
        }
        return n;
    }

    /**
     * The signal with this platform number, or null if none of these has it.
     *
     * @param number a signal number
     * @return the signal, or {@code null}
     */
    public static Signal ofNumber(int number) {
        for (Signal s : values()) {
            try {
                if (s.number() == number) {
                    return s;
                }
            } catch (UnsupportedOperationException unknownHere) {
                // not on this platform
            }
        }
        return null;
    }
}
