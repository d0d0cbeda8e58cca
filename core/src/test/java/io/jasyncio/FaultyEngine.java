package io.jasyncio;

import io.jasyncio.internal.engine.CoroutineEngine;
import io.jasyncio.internal.engine.EngineSelection;
import java.util.function.Consumer;

/**
 * This JVM's coroutine engine with faults that a test can arm: the next suspension of a chosen
 * task throws {@link EngineFault} instead of suspending, as the continuation engine does when the
 * JDK cannot freeze a stack (too deep, or pinned); or a chosen task's coroutine cannot be made. It
 * throws before the real engine is asked, so it honours the engine contract on either engine: a
 * suspension that throws did not suspend.
 */
final class FaultyEngine implements CoroutineEngine {

    /** What a faulty suspension throws: a {@link StackOverflowError}, like the real engine's failure. */
    static final class EngineFault extends StackOverflowError {
        EngineFault() {
            super("injected by FaultyEngine: the engine could not suspend this task");
        }
    }

    /** What a faulty coroutine creation throws. */
    static final class CreateFault extends OutOfMemoryError {
        CreateFault() {
            super("injected by FaultyEngine: no coroutine for this task");
        }
    }

    private final CoroutineEngine real = EngineSelection.defaultEngine();
    private volatile Task<?> failCreateOf;
    /** Written by a task, read by the same or another task: the engines' hand-offs order it. */
    private volatile Task<?> failNextSuspendOf;

    /** Makes the next suspension of {@code task} throw {@link EngineFault}. */
    void failNextSuspendOf(Task<?> task) {
        failNextSuspendOf = task;
    }

    /** Makes the creation of {@code task}'s coroutine (at its first step) throw {@link CreateFault}, once. */
    void failCreateOf(Task<?> task) {
        failCreateOf = task;
    }

    /** True if a fault is armed and has not been thrown yet. */
    boolean armed() {
        return failNextSuspendOf != null;
    }

    @Override
    public <T> Coroutine create(Consumer<? super T> entry, T target) {
        if (target == failCreateOf) {
            failCreateOf = null;
            throw new CreateFault();
        }
        return real.create(entry, target);
    }

    @Override
    public void suspend() {
        Task<?> target = failNextSuspendOf;
        if (target != null && target == EventLoop.current().currentTask) {
            failNextSuspendOf = null;
            throw new EngineFault();
        }
        real.suspend();
    }

    @Override
    public boolean inCoroutine() {
        return real.inCoroutine();
    }

    @Override
    public boolean runsOnResumingThread() {
        return real.runsOnResumingThread();
    }

    @Override
    public String name() {
        return real.name();
    }
}
