package io.jasyncio.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test under many schedules: in FIFO order (unless {@link #fifo()} is false), then under
 * seeds {@link #firstSeed()}, {@code firstSeed + 1}, ... ({@link #seeds()} of them), each in a fresh
 * loop on virtual time whose ready tasks run in an order drawn from that seed (the core loop's
 * {@code scheduleSeed} mode). The same seed gives the same schedule on every run and both engines.
 *
 * <p>On an {@link AsyncTest} method, or on a class of them, each schedule is a separate invocation
 * named {@code fifo order} or {@code seed N}. On a class of plain {@code @Test} methods that start
 * their own loops ({@code Async.run}, {@code new EventLoop()}, {@code EventLoop.builder()...build()}),
 * each such method (each invocation of a {@code @ParameterizedTest} or {@code @RepeatedTest}) is
 * run once per schedule, in the same invocation, with every loop it creates on
 * the test thread given a fresh {@link io.jasyncio.time.VirtualClock} and the seed (through
 * {@link io.jasyncio.lowlevel.Loops#setThreadDefaults}); settings the test makes itself win, and
 * {@code @BeforeEach}/{@code @AfterEach} run once around all the schedules. Errors reaching such a
 * loop's exception handler fail the method.
 *
 * <p>A failure under a seed is reported as a {@link ScheduleFailure} naming the seed and the
 * command that reruns only it. Two properties (system properties, or JUnit configuration
 * parameters) steer every {@code @Schedules} test:
 * <ul>
 * <li>{@value AsyncTestExtension#SEED_PROPERTY}{@code =N}: run only seed N (the rerun);
 * <li>{@value AsyncTestExtension#SEEDS_PROPERTY}{@code =N}: use N seeds instead of {@link #seeds()}
 *     (for example more of them in a nightly build).
 * </ul>
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@ExtendWith(AsyncTestExtension.class)
public @interface Schedules {

    /**
     * How many seeded schedules to run.
     *
     * @return the number of seeds, 100 by default
     */
    int seeds() default 100;

    /**
     * The first seed; the others follow it.
     *
     * @return the first seed, 0 by default
     */
    long firstSeed() default 0;

    /**
     * Whether to run the FIFO order as well, first.
     *
     * @return true (the default) to run FIFO order before the seeds
     */
    boolean fifo() default true;
}
