package io.jasyncio.testing;

import java.util.List;

/**
 * A test's main coroutine ended but left work behind: tasks still running, channels still open, or
 * errors that reached the loop's exception handler because nobody could receive them (a task that
 * failed and was never awaited, a callback that threw). The message lists each; the errors are
 * attached as suppressed exceptions so their stack traces are printed.
 */
public final class LeftoverWorkError extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    LeftoverWorkError(List<String> problems, List<Throwable> causes) {
        super(message(problems));
        this.problems = List.copyOf(problems);
        for (Throwable t : causes) {
            addSuppressed(t);
        }
    }

    private static String message(List<String> problems) {
        StringBuilder sb = new StringBuilder("the test left work behind:");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }

    /**
     * One line (or block) per kind of leftover: tasks, channels, errors.
     *
     * @return the leftovers, one entry per kind
     */
    public List<String> problems() {
        return problems;
    }
}
