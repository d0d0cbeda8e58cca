package io.jasyncio.diagnostics;

/**
 * The process-wide JMX bean {@code io.jasyncio:type=Diagnostics}, registered in the platform
 * MBean server by the watchdog thread (not by a loop) once the process has one (a JMX agent or
 * the application starts it; {@code -Djasyncio.jmx=true} starts it with the first loop), unless
 * {@code -Djasyncio.jmx=false}. Its operations run on the JMX connection's thread and never need
 * a loop to run any code, so they work on a loop that is stalled or deadlocked: this is what
 * {@code ./jasyncio ps PID} calls.
 */
public interface DiagnosticsMXBean {

    /**
     * A dump of every loop's tasks.
     *
     * @param format {@code tree}, {@code table} or {@code json} (see {@link TaskDump#format})
     * @return the dump
     */
    String dumpTasks(String format);

    /**
     * How many loops are open.
     *
     * @return the number of loops
     */
    int getLoopCount();

    /**
     * How many tasks are live, over all loops.
     *
     * @return the number of live tasks
     */
    long getLiveTasks();

    /**
     * How many stalls the watchdog has reported, over all open loops.
     *
     * @return the number of stalls
     */
    long getStalls();
}
