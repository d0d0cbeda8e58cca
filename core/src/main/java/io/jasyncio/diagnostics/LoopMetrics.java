package io.jasyncio.diagnostics;

/**
 * A loop's counters, read from any thread without stopping it (each value as the loop last wrote
 * it; the values are not one atomic snapshot). The JMX attribute of each is its name with a
 * capital letter; a metrics binder names them {@code jasyncio.loop.<name>} (see
 * {@code docs/observability.md}).
 *
 * @param liveTasks          tasks spawned and not finished
 * @param readyQueue         entries (tasks and callbacks) ready to run
 * @param steps              task steps and callbacks run since the loop was made
 * @param iterations         loop iterations (each polls I/O once) since the loop was made
 * @param busyNanos          time spent running, outside blocking waits for I/O or timers
 * @param waitingNanos       time spent blocked waiting for I/O or timers (in select)
 * @param stalls             steps that held the loop longer than the watchdog's threshold
 * @param registeredChannels channels registered with the loop's selector
 * @param timers             timers pending, sleeps included (cancelled ones until pruned)
 */
public record LoopMetrics(int liveTasks, int readyQueue, long steps, long iterations, long busyNanos, long waitingNanos,
                          long stalls, int registeredChannels, int timers) {
}
