package io.jasyncio.lowlevel;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import java.util.function.Consumer;

/**
 * Doors for libraries and test harnesses that a program's own code does not need: which loop runs
 * here, without an exception when none does, and defaults for every loop a thread makes.
 */
public final class Loops {

    /**
     * The kernel's current-loop thread-local, read here directly: every primitive's thread check
     * calls {@link #currentOrNull()}, and a call through the kernel's door on the way makes the
     * chain too deep for the JIT to inline ThreadLocal.get whole (see KernelAccess.currentLoopLocal).
     */
    private static final ThreadLocal<EventLoop> CURRENT = Kernel.K.currentLoopLocal();

    private Loops() {
    }

    /**
     * The loop running the calling code, or null if no loop is running on this thread: for code
     * that must tell "on a loop" from "elsewhere" without an exception (thread checks in libraries
     * built on the public API, like {@code io.jasyncio.sync}). Thread-safe.
     *
     * @return the current loop, or {@code null}
     */
    public static EventLoop currentOrNull() {
        EventLoop loop = CURRENT.get();
        return loop != null && loop.isRunning() ? loop : null;
    }

    /**
     * For test harnesses: until cleared, every {@link EventLoop.Builder} created on the calling
     * thread, and so every loop made there by {@code new EventLoop()}, {@link EventLoop#builder()}
     * or {@link Async#run}, starts from the settings {@code defaults} applies (for example a
     * virtual clock and a schedule seed); settings the caller then makes on the builder still win.
     * Only the calling thread is affected. {@code null} clears.
     *
     * @param defaults applied to every new builder on this thread, or {@code null} to clear
     */
    public static void setThreadDefaults(Consumer<EventLoop.Builder> defaults) {
        Kernel.K.setThreadDefaults(defaults);
    }
}
