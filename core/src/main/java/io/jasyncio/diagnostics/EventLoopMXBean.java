package io.jasyncio.diagnostics;

/**
 * One loop's JMX bean, {@code io.jasyncio:type=EventLoop,id=N}: its {@link LoopMetrics} as
 * attributes, and a dump of its tasks. Registered by the watchdog thread within a tick of the
 * loop's creation (or of the platform MBean server's start, whichever comes later: see
 * {@link DiagnosticsMXBean}), unregistered when the loop closes.
 */
public interface EventLoopMXBean {

    /**
     * The loop thread's name.
     *
     * @return the name
     */
    String getThread();

    /**
     * Live tasks.
     *
     * @return see {@link LoopMetrics#liveTasks()}
     */
    int getLiveTasks();

    /**
     * Ready-queue length.
     *
     * @return see {@link LoopMetrics#readyQueue()}
     */
    int getReadyQueue();

    /**
     * Steps run.
     *
     * @return see {@link LoopMetrics#steps()}
     */
    long getSteps();

    /**
     * Iterations.
     *
     * @return see {@link LoopMetrics#iterations()}
     */
    long getIterations();

    /**
     * Time busy.
     *
     * @return see {@link LoopMetrics#busyNanos()}
     */
    long getBusyNanos();

    /**
     * Time waiting in select.
     *
     * @return see {@link LoopMetrics#waitingNanos()}
     */
    long getWaitingNanos();

    /**
     * Stalls reported.
     *
     * @return see {@link LoopMetrics#stalls()}
     */
    long getStalls();

    /**
     * Registered channels.
     *
     * @return see {@link LoopMetrics#registeredChannels()}
     */
    int getRegisteredChannels();

    /**
     * Pending timers.
     *
     * @return see {@link LoopMetrics#timers()}
     */
    int getTimers();

    /**
     * A dump of this loop's tasks.
     *
     * @param format {@code tree}, {@code table} or {@code json}
     * @return the dump
     */
    String dumpTasks(String format);
}
