package io.jasyncio.testing;

import java.time.Duration;

/**
 * An {@link AsyncTest} (or {@link AsyncTestRun}) that did not finish within its real-time
 * timeout. The message carries the loop's task dump at that moment: each task, what it waits on
 * (a socket read, a lock and its holder, a worker thread...), who waits for it, and its stack.
 */
public final class TestTimeoutError extends AssertionError {

    private static final long serialVersionUID = 1L;

    /** How long the test was given. */
    private final transient Duration timeout;

    TestTimeoutError(Duration timeout, String dump) {
        super("the test did not finish within " + timeout.toMillis() + " ms of real time (its tasks have been cancelled;"
                + " set @AsyncTest(timeoutMillis = ...) or -Djasyncio.test.timeout=SECONDS to change it). The task dump"
                + " when it timed out:\n" + dump);
        this.timeout = timeout;
    }

    /**
     * How long the test was given, in real time.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }
}
