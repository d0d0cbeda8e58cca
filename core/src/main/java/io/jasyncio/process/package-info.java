/**
 * Child processes on the event loop: start them, talk to them through their stdin, stdout and
 * stderr as streams, wait for them, signal them, and never leave one behind.
 *
 * <h2>Map (asyncio → here)</h2>
 * <pre>
 *   create_subprocess_exec(*cmd, stdin=, stdout=, stderr=, cwd=, env=, limit=)
 *                                    Processes.exec(ProcessOptions, cmd...) → Subprocess
 *   create_subprocess_shell(cmd)     Processes.shell(ProcessOptions, cmd)   (/bin/sh -c)
 *   subprocess.PIPE / DEVNULL / STDOUT / None / a file
 *                                    Stdio.PIPE / DEVNULL / STDOUT / INHERIT / Stdio.file(path)
 *   proc.pid, proc.returncode        pid(), returnCode() (null while running; -N when killed by signal N)
 *   proc.stdin / stdout / stderr     stdin() → StreamWriter, stdout() / stderr() → StreamReader
 *   await proc.wait()                await()    (and await(Duration): wait_for(proc.wait(), t))
 *   await proc.communicate(input)    communicate(input) → ProcessResult(returnCode, stdout, stderr)
 *   proc.terminate / kill / send_signal(sig)
 *                                    terminate() / kill() / sendSignal(Signal)
 *   loop.add_signal_handler / remove_signal_handler
 *                                    EventLoop.addSignalHandler / removeSignalHandler (io.jasyncio.Signal)
 * </pre>
 *
 * <h2>How the bytes reach the loop</h2>
 * The JDK's process pipes are blocking streams that no {@link java.nio.channels.Selector} can
 * watch. Each piped stream gets one platform thread, its pump (see {@code PipeSource} and
 * {@code PipeSink}): the stdout and stderr pumps block in {@code read} and hand each chunk to the
 * loop with {@link io.jasyncio.EventLoop#callSoonThreadsafe}; the stdin pump takes what the loop
 * queued and blocks in {@code write}. Backpressure is credit-based: an output pump reads only
 * while fewer than the stream's limit (64 KiB by default) bytes are waiting in this JVM, so a
 * child that writes faster than its reader reads blocks in its own write, and the heap holds at
 * most the limit per stream. The loop thread never blocks on a pipe. The cost is one thread per
 * piped stream (started with the child, ended when the pipe closes) and one hand-off to the loop
 * per chunk of up to 64 KiB: docs/processes.md has the figures. Unpiped streams (inherited,
 * discarded, files) cost nothing.
 *
 * <h2>Nothing left behind</h2>
 * A child is stopped (SIGTERM, then SIGKILL after {@link io.jasyncio.process.ProcessOptions#killGrace})
 * and reaped when the task waiting for it is cancelled, when it is {@code close()}d (use
 * try-with-resources), and when its loop closes; its pipes are closed with it. See
 * {@link io.jasyncio.process.Subprocess}.
 */
package io.jasyncio.process;
