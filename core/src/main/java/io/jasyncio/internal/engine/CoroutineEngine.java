package io.jasyncio.internal.engine;

import java.util.function.Consumer;

/**
 * The one seam between the loop and the mechanism that makes a call stack suspendable.
 *
 * <p>A coroutine made by an engine is a one-shot generator: {@link Coroutine#resume()} runs its
 * body on the calling (loop) thread until the body calls {@link #suspend()} or returns; the next
 * {@code resume()} continues from there. Exactly one coroutine of a loop runs at any moment, and
 * only while the loop thread is inside {@code resume()}.
 *
 * <p>Two engines exist: {@link ContinuationEngine} (the JDK's own delimited continuation; fast,
 * needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, or {@code =io.jasyncio} on the
 * module path) and {@link PortableEngine}
 * (one virtual thread per coroutine with a baton hand-off; slower, same semantics).
 * {@link EngineSelection} picks one.
 *
 * <p>A coroutine still suspended when its loop closes is dropped, never resumed: its
 * {@code finally} blocks do not run (the loop's {@code run} cancels and drains every task before
 * closing, so this only happens to code that closes a loop by hand with tasks still pending).
 */
public interface CoroutineEngine {

    /** A suspendable body of code. Not thread-safe: only the owning loop drives it. */
    interface Coroutine {
        /** Runs the body until it suspends or finishes. Must not be called once {@link #isDone()}. */
        void resume();

        /**
         * True once the body has returned (normally or by exception).
         *
         * @return whether the body has returned
         */
        boolean isDone();

        /**
         * The frames of this suspended coroutine, innermost first, at most {@code max}. Any thread,
         * but only while the coroutine cannot be resumed (a dump holds the loop at its stack gate,
         * see LoopWatch), unless {@link #ownThreadStack()} is non-null.
         */
        StackTraceElement[] suspendedStack(int max);

        /**
         * For engines that run each coroutine on a thread of its own: that thread's live stack,
         * readable at any time from any thread. Null for engines that run coroutines on the loop thread.
         */
        StackTraceElement[] ownThreadStack();
    }

    /**
     * Makes a coroutine that will run {@code entry.accept(target)} when first resumed. The engine
     * never looks inside {@code target} (the loop passes its task); {@code entry} is one shared
     * function, so that making a coroutine allocates no lambda per task. An engine may run an
     * {@code entry} that is also a {@link Runnable} by calling its {@code run()} instead, which
     * must then find its target as that engine says ({@link ContinuationEngine#currentTarget()}).
     *
     * @param <T> the type of the target
     * @param entry what the coroutine runs, given the target
     * @param target what the coroutine runs for
     * @return a coroutine that has not started
     */
    <T> Coroutine create(Consumer<? super T> entry, T target);

    /**
     * Suspends the coroutine that is running on the calling thread, returning to its
     * {@link Coroutine#resume()} caller. Returns when it is resumed.
     *
     * <p>If it throws, it did not suspend: the coroutine is still running and nothing else ran
     * meanwhile, so the caller can undo what it prepared for the suspension (Task.park does) and
     * the error goes on up the coroutine's own stack. An engine must never throw once it has let
     * anything else run.
     *
     * @throws IllegalStateException if the calling code cannot be suspended here (for example a
     *         native frame on the stack), with the reason in the message
     * @throws StackOverflowError    if the stack is too deep for the engine to save it
     */
    void suspend();

    /**
     * True if the caller is running inside a coroutine made by this engine.
     *
     * @return whether the caller runs in one of this engine's coroutines
     */
    boolean inCoroutine();

    /**
     * True if coroutine bodies run on the thread that calls {@link Coroutine#resume()} (the loop
     * thread), false if they run on threads of their own.
     *
     * @return whether bodies run on the resuming thread
     */
    boolean runsOnResumingThread();

    /**
     * A short name for logs and the README: {@code continuation} or {@code portable}.
     *
     * @return the engine's name
     */
    String name();
}
