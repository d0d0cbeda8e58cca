package io.jasyncio.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test method that runs as the main coroutine of a fresh {@link io.jasyncio.EventLoop} on a
 * {@link io.jasyncio.time.VirtualClock}: it may sleep, await, spawn tasks and open task groups directly.
 *
 * <pre>{@code
 * @AsyncTest
 * void timesOut(VirtualClock clock) {
 *     assertThrows(AsyncTimeoutException.class,
 *             () -> Async.withTimeout(Duration.ofSeconds(5), () -> { Async.sleep(Duration.ofHours(1)); return null; }));
 *     assertEquals(Duration.ofSeconds(5), clock.elapsed());
 * }
 * }</pre>
 *
 * <ul>
 * <li>Parameters of type {@link io.jasyncio.EventLoop}, {@link io.jasyncio.time.VirtualClock} and {@link AsyncTestRun}
 *     are injected (in {@code @BeforeEach} methods too, which run outside the loop).
 * <li>By default the method runs once, in the loop's FIFO order. With {@link Schedules} on the
 *     method or its class it runs once per schedule seed, each a separate invocation named after
 *     its seed; a failure names the seed and the command that reruns only that seed.
 * <li>After the method, leftover tasks, errors nobody retrieved and channels left open fail the
 *     test (see {@link AsyncTestRun}); leftovers are then cancelled and the loop is closed.
 * <li>A loop that nothing can ever wake fails with {@link io.jasyncio.time.DeadlockException} instead of hanging,
 *     with the loop's task dump in its message.
 * <li>A test still running after {@link #timeoutMillis()} of real time (default 60 s) fails with
 *     {@link TestTimeoutError}, whose message is the task dump taken at that moment: a hang on
 *     real I/O, a task blocking the loop thread, a wait that never ends.
 * </ul>
 *
 * <p>The method must return {@code void} (it is a JUnit test template). Lifecycle methods
 * ({@code @BeforeEach}, {@code @AfterEach}) run on the test thread outside the loop.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(AsyncTestExtension.class)
public @interface AsyncTest {

    /**
     * The real-time limit in milliseconds: -1 (the default) for the system property
     * {@code jasyncio.test.timeout} in seconds, else 60 s; 0 for none.
     *
     * @return the limit in milliseconds, -1 for the default, 0 for none
     */
    long timeoutMillis() default -1;
}
