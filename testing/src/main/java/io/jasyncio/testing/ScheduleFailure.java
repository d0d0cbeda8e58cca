package io.jasyncio.testing;

/**
 * A test failed under one schedule seed. The message names the seed and how to rerun only that
 * seed; the cause is the failure itself. Under the same seed the same program fails the same way.
 */
public final class ScheduleFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    /** The seed, also in the message, for tools that rerun it. */
    private final long seed;

    ScheduleFailure(long seed, String rerun, Throwable cause) {
        super("failed under schedule seed " + seed + ": " + cause
                + "\n  Rerun only this seed with -D" + AsyncTestExtension.SEED_PROPERTY + "=" + seed
                + (rerun == null ? "" : ":\n    " + rerun), cause);
        this.seed = seed;
    }

    /**
     * The schedule seed that failed.
     *
     * @return the seed; {@code -Djasyncio.seed=}<i>seed</i> reruns only this schedule
     */
    public long seed() {
        return seed;
    }
}
