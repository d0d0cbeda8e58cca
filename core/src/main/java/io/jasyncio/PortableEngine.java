package io.jasyncio;

import java.util.concurrent.locks.LockSupport;

/**
 * Coroutines on virtual threads with a baton: each coroutine body runs on its own virtual
 * thread, and the loop thread and that thread hand control back and forth so that exactly one
 * of them runs at any moment. This keeps the model (one runner, suspension only at explicit
 * points, no data races) on any JDK 21+ without the {@code jdk.internal.vm} export, at the cost
 * of two thread hand-offs (a few microseconds) per resume.
 *
 * <p>Memory visibility: every hand-off is a volatile write of {@code turn} followed by an
 * unpark, and the receiving side reads {@code turn} before going on, so whatever one side wrote
 * before handing over is visible to the other.
 */
final class PortableEngine implements CoroutineEngine {

    private static final ThreadLocal<BatonCoroutine> CURRENT = new ThreadLocal<>();
    private static final Thread.Builder THREADS = Thread.ofVirtual().name("jasyncio-coroutine-", 0);

    private static final class BatonCoroutine implements Coroutine, Runnable {
        private static final int LOOP = 0, COROUTINE = 1;

        private final Runnable body;
        private Thread thread;
        private volatile Thread driver;
        private volatile int turn = LOOP;
        private volatile boolean done;

        BatonCoroutine(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            CURRENT.set(this);
            try {
                waitForTurn();
                body.run();
            } finally {
                done = true;
                turn = LOOP;
                LockSupport.unpark(driver);
            }
        }

        private void waitForTurn() {
            while (turn != COROUTINE) {
                LockSupport.park(this);
            }
        }

        @Override
        public void resume() {
            if (done) {
                throw new IllegalStateException("coroutine already finished");
            }
            driver = Thread.currentThread();
            if (thread == null) {
                thread = THREADS.unstarted(this);
                turn = COROUTINE;
                thread.start();
            } else {
                turn = COROUTINE;
                LockSupport.unpark(thread);
            }
            while (turn != LOOP) {
                LockSupport.park(this);
            }
        }

        void suspendHere() {
            turn = LOOP;
            LockSupport.unpark(driver);
            waitForTurn();
        }

        @Override
        public boolean isDone() {
            return done;
        }
    }

    @Override
    public Coroutine create(Task<?> task) {
        return new BatonCoroutine(task::runBody);
    }

    @Override
    public void suspend() {
        BatonCoroutine c = CURRENT.get();
        if (c == null) {
            throw new IllegalStateException("not inside a coroutine");
        }
        c.suspendHere();
    }

    @Override
    public boolean inCoroutine() {
        return CURRENT.get() != null;
    }

    @Override
    public String name() {
        return "portable";
    }
}
