package io.jasyncio.diagnostics;

import java.util.List;

/**
 * What a parked task waits for, as a typed description: each kind of wait has its record, and
 * its {@link #kind()} is the {@code wait.kind} of the JSON form (see {@code docs/observability.md}).
 */
public sealed interface Wait {

    /**
     * The kind, as in the JSON form: {@code sleep}, {@code task}, {@code promise}, {@code join},
     * {@code task-group}, {@code lock}, {@code semaphore}, {@code queue}, {@code event},
     * {@code condition}, {@code barrier}, {@code socket}, {@code worker}, {@code future} or
     * {@code other}.
     *
     * @return the kind
     */
    String kind();

    /**
     * One line for the text dumps, naming the resource and, where there is one, its owner.
     *
     * @return the description
     */
    String describe();

    /**
     * The tasks this wait can only end through (the awaited task, a lock's holder, a group's
     * children): the edges of the dump's tree and of its deadlock search.
     *
     * @return the tasks waited for, possibly empty
     */
    default List<TaskRef> waitsFor() {
        return List.of();
    }

    /**
     * A sleep (or any wait for a timer).
     *
     * @param deadlineNanos  when it ends, on the loop's clock ({@code EventLoop.time()})
     * @param remainingNanos how long from when the dump read it
     */
    record Sleep(long deadlineNanos, long remainingNanos) implements Wait {
        @Override
        public String kind() {
            return "sleep";
        }

        @Override
        public String describe() {
            return remainingNanos >= 0 ? "sleep, " + Durations.format(remainingNanos) + " left"
                    : "sleep, overdue by " + Durations.format(-remainingNanos) + " (the loop has not got to its timer)";
        }
    }

    /**
     * An await on another task.
     *
     * @param task the awaited task
     */
    record OnTask(TaskRef task) implements Wait {
        @Override
        public String kind() {
            return "task";
        }

        @Override
        public String describe() {
            return "awaiting task " + task;
        }

        @Override
        public List<TaskRef> waitsFor() {
            return List.of(task);
        }
    }

    /**
     * An await on a promise (nobody in particular owns a promise).
     *
     * @param promise the promise, as its {@code toString}
     */
    record OnPromise(String promise) implements Wait {
        @Override
        public String kind() {
            return "promise";
        }

        @Override
        public String describe() {
            return "awaiting " + promise;
        }
    }

    /**
     * A gather, wait or asCompleted over several awaitables.
     *
     * @param mode    {@code all}, {@code first}, {@code first-failure} or the like
     * @param tasks   the tasks among the inputs still pending
     * @param pending how many inputs (tasks and promises) are still pending
     */
    record OnAll(String mode, List<TaskRef> tasks, int pending) implements Wait {
        @Override
        public String kind() {
            return "join";
        }

        @Override
        public String describe() {
            return "awaiting " + mode + " of " + pending + " pending: " + Durations.refs(tasks);
        }

        @Override
        public List<TaskRef> waitsFor() {
            return tasks;
        }
    }

    /**
     * A task group's close, waiting for its children.
     *
     * @param children the children still running
     */
    record OnGroup(List<TaskRef> children) implements Wait {
        @Override
        public String kind() {
            return "task-group";
        }

        @Override
        public String describe() {
            return "closing its task group, waiting for " + Durations.refs(children);
        }

        @Override
        public List<TaskRef> waitsFor() {
            return children;
        }
    }

    /**
     * Acquiring a lock.
     *
     * @param lock   the lock, as its {@code toString}
     * @param holder the task holding it, or null (free, or held by a plain callback)
     * @param queued how many tasks wait for it, this one included
     */
    record OnLock(String lock, TaskRef holder, int queued) implements Wait {
        @Override
        public String kind() {
            return "lock";
        }

        @Override
        public String describe() {
            return "acquiring a lock " + (holder != null ? "held by " + holder : "(free, being handed over)") + ", "
                    + queued + " queued";
        }

        @Override
        public List<TaskRef> waitsFor() {
            return holder == null ? List.of() : List.of(holder);
        }
    }

    /**
     * Acquiring a semaphore.
     *
     * @param semaphore the semaphore, as its {@code toString}
     * @param available its free permits
     * @param queued    how many tasks wait for it
     */
    record OnSemaphore(String semaphore, int available, int queued) implements Wait {
        @Override
        public String kind() {
            return "semaphore";
        }

        @Override
        public String describe() {
            return "acquiring a semaphore, " + available + " permits free, " + queued + " queued";
        }
    }

    /**
     * A queue operation that waits.
     *
     * @param queue     the queue, as its {@code toString}
     * @param operation {@code get}, {@code put} or {@code join}
     * @param size      how many items it holds
     * @param capacity  its capacity, 0 for unbounded
     */
    record OnQueue(String queue, String operation, int size, int capacity) implements Wait {
        @Override
        public String kind() {
            return "queue";
        }

        @Override
        public String describe() {
            return "queue " + operation + ", " + size + " items" + (capacity > 0 && capacity < Integer.MAX_VALUE ? " of " + capacity : "");
        }
    }

    /**
     * Waiting for an event to be set.
     *
     * @param event the event, as its {@code toString}
     */
    record OnEvent(String event) implements Wait {
        @Override
        public String kind() {
            return "event";
        }

        @Override
        public String describe() {
            return "awaiting an event (" + event + ")";
        }
    }

    /**
     * Waiting on a condition for a signal.
     *
     * @param condition the condition, as its {@code toString}
     */
    record OnCondition(String condition) implements Wait {
        @Override
        public String kind() {
            return "condition";
        }

        @Override
        public String describe() {
            return "awaiting a condition (" + condition + ")";
        }
    }

    /**
     * Waiting at a barrier.
     *
     * @param barrier the barrier, as its {@code toString}
     * @param parties how many it needs
     * @param waiting how many are waiting
     */
    record OnBarrier(String barrier, int parties, int waiting) implements Wait {
        @Override
        public String kind() {
            return "barrier";
        }

        @Override
        public String describe() {
            return "at a barrier, " + waiting + " of " + parties + " arrived";
        }
    }

    /**
     * Waiting for a socket (or any selectable channel) to become readable or writable.
     *
     * @param operation {@code read}, {@code write}, {@code accept} or {@code connect}
     * @param channel   the channel's kind, for example {@code tcp} or {@code udp}
     * @param local     the local address, or null
     * @param remote    the remote address, or null
     */
    record OnSocket(String operation, String channel, String local, String remote) implements Wait {
        @Override
        public String kind() {
            return "socket";
        }

        @Override
        public String describe() {
            return "socket " + operation + " on " + channel + " " + (local != null ? local : "?")
                    + (remote != null ? " <-> " + remote : "");
        }
    }

    /**
     * Waiting for a call running on a worker thread ({@code Async.toThread}, {@code runInExecutor}).
     *
     * @param call   the call, as its {@code toString}
     * @param thread the worker thread running it, or null if it has not started
     */
    record OnWorker(String call, String thread) implements Wait {
        @Override
        public String kind() {
            return "worker";
        }

        @Override
        public String describe() {
            return "worker-thread call " + call + (thread != null ? " on thread '" + thread + "'" : " (queued)");
        }
    }

    /**
     * Waiting for a future another thread completes ({@code Async.await(CompletionStage)}).
     *
     * @param future the future, as its {@code toString}
     */
    record OnFuture(String future) implements Wait {
        @Override
        public String kind() {
            return "future";
        }

        @Override
        public String describe() {
            return "awaiting cross-thread future " + future;
        }
    }

    /**
     * Anything else: a suspension whose hook does not describe itself.
     *
     * @param description what is known about it
     */
    record Other(String description) implements Wait {
        @Override
        public String kind() {
            return "other";
        }

        @Override
        public String describe() {
            return description;
        }
    }
}
