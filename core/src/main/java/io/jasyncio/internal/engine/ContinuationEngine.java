package io.jasyncio.internal.engine;

import java.util.function.Consumer;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * Coroutines as the JDK's one-shot delimited continuations: the same machinery virtual threads
 * are built on, without a scheduler around it. A resume/suspend pair costs about 100 ns and a
 * suspended coroutine keeps only its live frames on the heap.
 *
 * <p>Linking this class needs {@code jdk.internal.vm} exported to our module; {@link
 * EngineSelection} checks that before touching it, so a JVM without the flag never loads it.
 */
public final class ContinuationEngine implements CoroutineEngine {

    private static final ContinuationScope SCOPE = new ContinuationScope("jasyncio");

    /**
     * One Runnable shared by every coroutine: it finds its target through the current
     * continuation, which saves a lambda object per task (tasks are the thing there are a million of).
     */
    private static final Runnable ENTRY = () ->
            ((JdkCoroutine) Continuation.getCurrentContinuation(SCOPE)).enter();

    private static final class JdkCoroutine extends Continuation implements Coroutine {
        private final Consumer<Object> entry;
        private final Object target;

        JdkCoroutine(Consumer<Object> entry, Object target) {
            super(SCOPE, ENTRY);
            this.entry = entry;
            this.target = target;
        }

        void enter() {
            entry.accept(target);
        }

        @Override
        public void resume() {
            run();
        }

        @Override
        public StackTraceElement[] suspendedStack(int max) {
            return stackWalker().walk(s -> s.limit(max).map(StackWalker.StackFrame::toStackTraceElement)
                    .toArray(StackTraceElement[]::new));
        }

        @Override
        public StackTraceElement[] ownThreadStack() {
            return null;
        }

        @Override
        protected void onPinned(Continuation.Pinned reason) {
            // The JDK refuses to unmount a stack holding a native frame (or, before JDK 24, a
            // monitor). Say so in terms of our API rather than the JDK's.
            throw new IllegalStateException("cannot suspend this coroutine: its stack is pinned ("
                    + reason + "); a native frame or, before JDK 24, a synchronized block is on the stack"
                    + " between the task's start and this await");
        }
    }

    /** An engine; construct it only once {@link EngineSelection#continuationsAvailable()} said yes. */
    public ContinuationEngine() {
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Coroutine create(Consumer<? super T> entry, T target) {
        return new JdkCoroutine((Consumer<Object>) entry, target);
    }

    @Override
    public void suspend() {
        Continuation.yield(SCOPE);
    }

    @Override
    public boolean inCoroutine() {
        return Continuation.getCurrentContinuation(SCOPE) != null;
    }

    @Override
    public boolean runsOnResumingThread() {
        return true;
    }

    @Override
    public String name() {
        return "continuation";
    }
}
