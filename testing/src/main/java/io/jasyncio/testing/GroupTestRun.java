package io.jasyncio.testing;

import io.jasyncio.ErrorReport;
import io.jasyncio.LoopGroup;
import io.jasyncio.time.DeadlockException;
import io.jasyncio.time.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One deterministic run of a multi-loop program: a {@link LoopGroup} whose loops all run on the
 * calling thread, one iteration at a time, on one {@link VirtualClock}, interleaved by a seed
 * (which loop steps next, and within each loop the order of its ready tasks). A cross-loop race
 * found under a seed replays from that seed exactly, as a single-loop one does under
 * {@link AsyncTestRun}.
 *
 * <pre>{@code
 * GroupTestRun.seeded(3, 17).run(group -> {
 *     ... main task on loop 0; Async.awaitOn(group.loop(1), ...), CrossLoopChannel, ...
 *     return null;
 * });
 * Optional<AsyncTestRun.SeedFailure> f = GroupTestRun.findFailingSeed(3, 0, 1000, group -> scenario(group));
 * }</pre>
 *
 * <p>The thread rules are those of a threaded group: a task of one loop that touches another
 * loop's objects directly fails with {@link WrongThreadException}, so a test catches what would
 * race in production. After main, the group shuts down as {@link LoopGroup#run} does (tasks left
 * are cancelled and awaited); errors that reached any loop's exception handler (a failed task
 * nobody awaited, a callback that threw) then fail the run with {@link LeftoverWorkError}.
 * Real I/O works, but time does not move while it is awaited (no autojump here).
 */
public final class GroupTestRun {

    /**
     * A multi-loop program's main task: runs on loop 0 and gets the group.
     *
     * @param <T> the program's value type
     */
    @FunctionalInterface
    public interface GroupMain<T> {
        /**
         * The program.
         *
         * @param group the group whose loop 0 runs this
         * @return the program's value
         * @throws Exception the program's failure
         */
        T run(LoopGroup group) throws Exception;
    }

    private final int loops;
    private final Long seed;
    private final VirtualClock clock = new VirtualClock();
    private boolean used;

    private GroupTestRun(int loops, Long seed) {
        if (loops < 1) {
            throw new IllegalArgumentException("a loop group needs at least one loop, not " + loops);
        }
        this.loops = loops;
        this.seed = seed;
    }

    /**
     * A run that steps the loops in turn and each loop in FIFO order.
     *
     * @param loops how many loops
     * @return a new run, used once
     */
    public static GroupTestRun fifo(int loops) {
        return new GroupTestRun(loops, null);
    }

    /**
     * A run interleaved by {@code seed}: same seed, same interleaving.
     *
     * @param loops how many loops
     * @param seed the schedule seed
     * @return a new run, used once
     */
    public static GroupTestRun seeded(int loops, long seed) {
        return new GroupTestRun(loops, seed);
    }

    /**
     * The virtual clock every loop of the run shares.
     *
     * @return the clock
     */
    public VirtualClock clock() {
        return clock;
    }

    /**
     * The seed; empty for the round-robin, FIFO run.
     *
     * @return the seed, or empty
     */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * Runs {@code main} as the main task of loop 0 of a fresh interleaved group, shuts the group
     * down, checks for unreceived errors and returns main's value.
     *
     * @param <T> main's value type
     * @param main the program
     * @return main's value
     * @throws Exception main's failure, as thrown (a checked one unwrapped)
     * @throws LeftoverWorkError if errors reached a loop's exception handler
     * @throws DeadlockException if every task of every loop waits for something that cannot happen
     */
    public <T> T run(GroupMain<T> main) throws Exception {
        Objects.requireNonNull(main, "main");
        if (used) {
            throw new IllegalStateException("a GroupTestRun runs once; make a new one");
        }
        used = true;
        List<ErrorReport> errors = new ArrayList<>();
        LoopGroup group = LoopGroup.builder().loops(loops).interleaved(clock, seed)
                .exceptionHandler((loop, report) -> errors.add(report))
                .build();
        T value;
        try {
            value = group.run(() -> main.run(group));
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Exception checked) {
                throw checked;
            }
            throw e;
        }
        if (!errors.isEmpty()) {
            List<String> problems = new ArrayList<>();
            List<Throwable> causes = new ArrayList<>();
            for (ErrorReport r : errors) {
                problems.add(r.message());
                if (r.exception() != null) {
                    causes.add(r.exception());
                }
            }
            throw new LeftoverWorkError(problems, causes);
        }
        return value;
    }

    /**
     * Runs {@code main} under seeds {@code firstSeed}, {@code firstSeed + 1}, ... ({@code count}
     * of them), each in a fresh {@link #seeded} run of {@code loops} loops, and returns the first
     * seed under which it failed, or empty.
     *
     * @param loops how many loops
     * @param firstSeed the first seed
     * @param count how many seeds
     * @param main the program
     * @return the first failing seed and its failure, or empty
     */
    public static Optional<AsyncTestRun.SeedFailure> findFailingSeed(int loops, long firstSeed, int count,
                                                                   GroupMain<?> main) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        for (int i = 0; i < count; i++) {
            long s = firstSeed + i;
            try {
                seeded(loops, s).run(main);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                    throw vme;
                }
                return Optional.of(new AsyncTestRun.SeedFailure(s, t));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "GroupTestRun[loops=" + loops + ", " + (seed == null ? "fifo" : "seed " + seed) + ", " + clock + "]";
    }
}
