package io.jasyncio;

/**
 * What {@link EventLoop#run} (and so {@link Async#run}) does with Ctrl-C (SIGINT) while its main
 * task runs: {@link EventLoop.Builder#sigint(SigintHandling)}.
 *
 * <p>asyncio's runner cancels the main task on the first Ctrl-C, lets it unwind, and exits with
 * status 130; a second Ctrl-C interrupts at once. {@link #EXIT} does the same. Only one loop at a
 * time handles SIGINT, and only if the JVM's own handler is in place: a handler the application
 * installed itself (or a loop's {@link EventLoop#addSignalHandler} for INT) is left alone.
 */
public enum SigintHandling {
    /**
     * The default: the first Ctrl-C cancels the main task; its {@code finally} blocks and shielded
     * cleanup run, the remaining tasks are cancelled and drained, the loop closes, and then the
     * JVM exits with status 130 ({@code System.exit}, so shutdown hooks run). A second Ctrl-C
     * meanwhile goes to the JVM's own handler, which exits with 130 at once.
     */
    EXIT,
    /**
     * For embedders: as {@link #EXIT}, but instead of exiting, {@code run} throws
     * {@link KeyboardInterruptException} once the loop has closed.
     */
    THROW,
    /** Installs nothing: Ctrl-C does what it would do without jasyncio (the JVM exits with 130 at once). */
    OFF
}
