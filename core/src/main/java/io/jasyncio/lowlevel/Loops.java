package io.jasyncio.lowlevel;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import java.util.function.Consumer;

/**
 * Doors for libraries and test harnesses that a program's own code does not need: which loop runs
 * here, without an exception when none does, and defaults for every loop a thread makes.
 */
public final class Loops {

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
        // The kernel's lookup: the loop last made current, and on which thread, before the
        // thread-local (EventLoop.currentOnThisThread). Reading the thread-local here put
        // ThreadLocal.get, slow paths and all, into the compiled code of every primitive's
        // suspending method; AsyncQueue.get's then grew past what C2 inlines into a caller, and a
        // queue park froze that frame as well as the task body's (issue 14).
        return Kernel.K.currentLoopOrNull();
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
