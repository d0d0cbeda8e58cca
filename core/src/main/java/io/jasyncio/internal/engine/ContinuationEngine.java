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
     * What the continuation runs: one Runnable per entry function, shared by every coroutine with
     * that entry (a kernel has one: Task's), which finds its target through the current
     * continuation. So a coroutine holds only its target, and is 48 bytes rather than 56 with the
     * entry beside it; the entry is the continuation's own {@code target} field (issue 14: tasks
     * are the thing there are a million of).
     */
    private record Entry(Consumer<Object> entry) implements Runnable {
        @Override
        public void run() {
            // The target is read here rather than in a method of JdkCoroutine: one frame fewer
            // under every suspended coroutine, and frames below the park are frozen with it.
            entry.accept(((JdkCoroutine) Continuation.getCurrentContinuation(SCOPE)).target);
        }
    }

    /**
     * The Entry of the last entry function asked for: the next coroutine most likely has it too.
     * Plain, not volatile: loops on other threads may race on it, and at worst make an Entry more
     * (a record's final field is safe to read through a racy reference).
     */
    private Entry lastEntry;

    private static final class JdkCoroutine extends Continuation implements Coroutine {
        private final Object target;

        JdkCoroutine(Runnable entry, Object target) {
            super(SCOPE, entry);
            this.target = target;
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

    /**
     * The target of the coroutine running on the calling thread, for an entry function that is
     * also a {@link Runnable}: {@link #create} runs such an entry as the continuation's body
     * itself, and its {@code run()} finds its target here. Call it only from that {@code run()}.
     *
     * @return the target the running coroutine was created with
     */
    public static Object currentTarget() {
        return ((JdkCoroutine) Continuation.getCurrentContinuation(SCOPE)).target;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An {@code entry} that is also a {@link Runnable} is the continuation's body itself: the
     * continuation calls its {@code run()}, which reads the target through {@link #currentTarget()},
     * rather than an {@link Entry} calling {@code entry.accept(target)}. One frame fewer under every
     * suspended coroutine (frames below the park are frozen with it, for as long as it is parked).
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Coroutine create(Consumer<? super T> entry, T target) {
        if (entry instanceof Runnable r) {
            return new JdkCoroutine(r, target);
        }
        Entry e = lastEntry;
        if (e == null || e.entry() != entry) {
            lastEntry = e = new Entry((Consumer<Object>) entry);
        }
        return new JdkCoroutine(e, target);
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
