/**
 * Seeing inside running loops: task dumps ({@link io.jasyncio.diagnostics.TaskDump}, from
 * {@code EventLoop.dumpTasks()} and {@code EventLoop.dumpAllLoops()}), typed wait descriptions
 * ({@link io.jasyncio.diagnostics.Wait}), deadlocks, per-loop metrics
 * ({@link io.jasyncio.diagnostics.LoopMetrics}) and the JMX interfaces. Plain data: nothing here
 * touches a loop. The guide is {@code docs/observability.md}.
 */
package io.jasyncio.diagnostics;
