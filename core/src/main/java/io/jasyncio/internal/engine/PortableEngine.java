package io.jasyncio.internal.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

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
 *
 * <p>A stack too deep to unmount. Parking a virtual thread freezes its stack, and the JDK throws
 * {@link StackOverflowError} from {@code LockSupport.park} when the stack is too deep to freeze
 * (JDK 25: the freeze recurses natively once per frame). By then the coroutine has handed the baton
 * to the loop, which is running: an error thrown out of the wait would run the coroutine's code
 * beside the loop's and leave the task parked in the loop's books. So such a wait goes on on the
 * coroutine's monitor instead, which blocks the carrier thread when the virtual thread cannot
 * unmount; the loop notifies it there. The suspension then succeeds, only more expensively, and
 * {@link #suspend()} throws only before the hand-off, as the engine contract asks.
 */
public final class PortableEngine implements CoroutineEngine {

    private static final ThreadLocal<BatonCoroutine> CURRENT = new ThreadLocal<>();
    private static final Thread.Builder THREADS = Thread.ofVirtual().name("jasyncio-coroutine-", 0);

    private static final class BatonCoroutine implements Coroutine, Runnable {
        private static final int LOOP = 0, COROUTINE = 1;

        private final Runnable body;
        private volatile Thread thread;
        private volatile Thread driver;
        private volatile int turn = LOOP;
        private volatile boolean done;
        /** Set while the coroutine waits for its turn on this object's monitor, not by parking. */
        private volatile boolean waitingOnMonitor;

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
                try {
                    LockSupport.park(this);
                } catch (Throwable e) {
                    // A stack too deep to unmount (see the class comment): the baton is the
                    // loop's already, so this wait must not end in an error.
                    waitForTurnOnMonitor();
                }
            }
        }

        private void waitForTurnOnMonitor() {
            boolean interrupted = false;
            synchronized (this) {
                // The flag is raised before turn is read, and the loop reads it after writing
                // turn (both volatile): either this sees the turn, or the loop sees the flag and
                // notifies, which it can only do once wait() has released the monitor.
                waitingOnMonitor = true;
                try {
                    while (turn != COROUTINE) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                } finally {
                    waitingOnMonitor = false;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
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
                if (waitingOnMonitor) {
                    synchronized (this) {
                        notifyAll();
                    }
                }
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

        @Override
        public StackTraceElement[] suspendedStack(int max) {
            StackTraceElement[] s = ownThreadStack();
            return s.length <= max ? s : java.util.Arrays.copyOf(s, max);
        }

        @Override
        public StackTraceElement[] ownThreadStack() {
            Thread t = thread;
            return t == null ? new StackTraceElement[0] : t.getStackTrace();
        }
    }

    /** An engine; any JDK 21+ can run it. */
    public PortableEngine() {
    }

    @Override
    public <T> Coroutine create(Consumer<? super T> entry, T target) {
        return new BatonCoroutine(() -> entry.accept(target));
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
    public boolean runsOnResumingThread() {
        return false;
    }

    @Override
    public String name() {
        return "portable";
    }
}
