package io.jasyncio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every failure of a {@link TaskGroup}'s children, in the order they happened. The first is also
 * the {@linkplain #getCause() cause} and the others are {@linkplain #getSuppressed() suppressed},
 * so a plain stack trace shows all of them. Cancellations of children are not failures and do not
 * appear here.
 *
 * <p>While the group is still shutting down (the owner saw this exception at a suspension point
 * inside the group's body) the list can grow; by the time the {@code try} block that owns the
 * group has been left, it is complete.
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> exceptions = new ArrayList<>();

    TaskGroupException(Throwable first) {
        super("a task in the group failed: " + first, first);
        exceptions.add(first);
    }

    void add(Throwable t) {
        exceptions.add(t);
        addSuppressed(t);
    }

    /**
     * The group failure carried by {@code e} as a suppressed exception, or null. Java's
     * try-with-resources attaches a group's failure from {@code close()} to the cancellation that
     * unwound the body; cancel scopes and tasks use this to let the failure win over the
     * cancellation, as asyncio does, instead of swallowing it with the cancellation.
     */
    static TaskGroupException ridingOn(CancelledException e) {
        for (Throwable s : e.getSuppressed()) {
            if (s instanceof TaskGroupException g) {
                return g;
            }
        }
        return null;
    }

    /**
     * All failures, first one first. Unmodifiable view.
     *
     * @return the failures
     */
    public List<Throwable> exceptions() {
        return Collections.unmodifiableList(exceptions);
    }

    @Override
    public String getMessage() {
        int n = exceptions.size();
        return n == 1 ? super.getMessage()
                : n + " tasks in the group failed; first: " + exceptions.get(0);
    }
}
