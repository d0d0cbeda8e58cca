package io.jasyncio.process;

import io.jasyncio.Async;
import io.jasyncio.CancelScope;
import io.jasyncio.CancelledException;
import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.Handle;
import io.jasyncio.Signal;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import io.jasyncio.net.Streams;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running child process started by {@link Processes#exec} or {@link Processes#shell} (asyncio's
 * {@code asyncio.subprocess.Process}). It belongs to the loop that started it; every method is
 * for that loop's thread.
 *
 * <h2>Lifetime: nothing left behind</h2>
 * <ul>
 *   <li>{@link #await()} and {@link #communicate} cancelled while they wait: the child gets
 *       SIGTERM, then SIGKILL after {@link ProcessOptions#killGrace} if it is still there; its
 *       pipes are closed and it is reaped before the {@link CancelledException} goes on. So a
 *       task group whose failure cancels the task awaiting a child stops that child too.</li>
 *   <li>{@link #close()} does the same at any time: use try-with-resources, and a cancellation
 *       that hits a read or write of the child's streams inside the block stops the child when
 *       the block unwinds. (A read or write cancelled on its own loses nothing and leaves the
 *       child alone, as on a socket.)</li>
 *   <li>Closing the loop kills (SIGKILL) and reaps every child of it still running, and closes
 *       the pipes.</li>
 * </ul>
 * A piped stream holds a pump thread and a descriptor until the child's output has been read to
 * its end (or its stdin closed), until {@link #close()}, or until the loop closes: a long-lived
 * loop that starts many children should close each one, which try-with-resources does.
 *
 * <p>"Reaped" means the OS has let go of the process entry: no zombie is left in {@code /proc}. The
 * JDK reaps each child on its own "process reaper" thread as soon as it exits; {@code await}
 * returns only after that.
 *
 * <h2>Exit codes</h2>
 * {@link #returnCode()} is the child's exit status, or minus the signal that ended it (asyncio's
 * convention: -9 after {@link #kill()}, -15 after {@link #terminate()}). One limit of the JDK:
 * it reports a child ended by signal N as the exit status 128 + N, the same number a shell
 * reports for a child of its own that was killed. jasyncio turns 128 + N into -N when it sent
 * signal N to the child itself; a child killed by a signal from elsewhere reads as 128 + N.
 */
public final class Subprocess implements AutoCloseable {

    /** Stack size of a pipe's pump thread: it only loops over a read or a write. */
    static final long PUMP_STACK = 256 * 1024;

    /** How long to wait for a killed child to be reaped before reporting it (SIGKILL cannot be ignored). */
    private static final Duration REAP_BOUND = Duration.ofSeconds(30);

    /** How long closing waits for a pump thread to finish closing its pipe. */
    private static final Duration PUMP_BOUND = Duration.ofSeconds(5);

    private final EventLoop loop;
    private final Process process;
    private final List<String> command;
    private final ProcessOptions options;
    private final CompletableFuture<Process> exit;
    final PipeSink stdinPipe;
    final PipeSource stdoutPipe, stderrPipe;
    private final StreamWriter stdin;
    private final StreamReader stdout, stderr;
    private final Handle closeHook;
    /** Bit N set once this side has sent signal N: tells "killed by N" from "exited with 128 + N". */
    private long signalsSent;
    private boolean closed;

    Subprocess(EventLoop loop, Process process, List<String> command, ProcessOptions options) {
        this.loop = loop;
        this.process = process;
        this.command = command;
        this.options = options;
        this.exit = process.onExit();
        String tag = "jasyncio-pipe-" + process.pid() + "-";
        this.stdinPipe = options.stdin.kind == Stdio.Kind.PIPE ? new PipeSink(loop, process.getOutputStream(), tag + "stdin") : null;
        this.stdoutPipe = options.stdout.kind == Stdio.Kind.PIPE
                ? new PipeSource(loop, process.getInputStream(), options.limit, tag + "stdout") : null;
        this.stderrPipe = options.stderr.kind == Stdio.Kind.PIPE
                ? new PipeSource(loop, process.getErrorStream(), options.limit, tag + "stderr") : null;
        this.stdin = stdinPipe == null ? null : Streams.writer(stdinPipe);
        this.stdout = stdoutPipe == null ? null : Streams.reader(stdoutPipe, options.limit);
        this.stderr = stderrPipe == null ? null : Streams.reader(stderrPipe, options.limit);
        this.closeHook = loop.atClose(this::killAtLoopClose);
    }

    /**
     * The child's stdin, when {@link ProcessOptions#stdin} is {@link Stdio#PIPE} (asyncio's
     * {@code proc.stdin}): the same {@link StreamWriter} as a socket's. {@code write} suspends
     * past the high-water mark (64 KiB) while the child does not read; {@code close()} or
     * {@code writeEof()} sends the end of the input once everything written has gone. Writing
     * after the child exited throws {@link BrokenPipeException}.
     *
     * @return the writer
     * @throws IllegalStateException if stdin is not piped
     */
    public StreamWriter stdin() {
        if (stdin == null) {
            throw new IllegalStateException("stdin is " + options.stdin + ", not piped: start with ProcessOptions.stdin(Stdio.PIPE)");
        }
        return stdin;
    }

    /**
     * The child's stdout, when {@link ProcessOptions#stdout} is {@link Stdio#PIPE} (asyncio's
     * {@code proc.stdout}): the same {@link StreamReader} as a socket's ({@code readLine},
     * {@code readUntil}, {@code readExactly}, the limit, the end of the stream). At most
     * {@link ProcessOptions#limit} bytes of output wait in this JVM; beyond that the child blocks
     * in its write until this side reads.
     *
     * @return the reader
     * @throws IllegalStateException if stdout is not piped
     */
    public StreamReader stdout() {
        if (stdout == null) {
            throw new IllegalStateException("stdout is " + options.stdout + ", not piped: start with ProcessOptions.stdout(Stdio.PIPE)");
        }
        return stdout;
    }

    /**
     * The child's stderr, when {@link ProcessOptions#stderr} is {@link Stdio#PIPE}; as {@link #stdout()}.
     *
     * @return the reader
     * @throws IllegalStateException if stderr is not piped
     */
    public StreamReader stderr() {
        if (stderr == null) {
            throw new IllegalStateException("stderr is " + options.stderr + ", not piped: start with ProcessOptions.stderr(Stdio.PIPE)");
        }
        return stderr;
    }

    /**
     * Sends {@code input} to stdin (if piped) and closes it, reads stdout and stderr (those piped)
     * to their end at once, waits for the child to exit, and returns all of it (asyncio's
     * {@code communicate}). The outputs are held in memory whole. A child that exits without
     * reading all its input is not an error ({@link BrokenPipeException} is ignored, as asyncio
     * does). Cancelled, it stops and reaps the child as {@link #await()} does.
     *
     * @param input the bytes for stdin, or {@code null} for none (stdin is still closed, if piped)
     * @return the exit code and both outputs
     * @throws IOException if reading the output fails
     */
    public ProcessResult communicate(byte[] input) throws IOException {
        try {
            byte[] out, err;
            try (TaskGroup g = Async.taskGroup()) {
                if (stdin != null) {
                    g.spawn(() -> feed(input));
                }
                Task<byte[]> errTask = stderr != null ? g.spawn(stderr::readAll) : null;
                out = stdout != null ? stdout.readAll() : null;
                err = errTask != null ? errTask.await() : null;
            }
            Async.await(exit);
            return new ProcessResult(returnCode(), out, err);
        } catch (CancelledException e) {
            close();
            throw e;
        }
    }

    /**
     * {@link #communicate(byte[])} with no input.
     *
     * @return the exit code and both outputs
     * @throws IOException if reading the output fails
     */
    public ProcessResult communicate() throws IOException {
        return communicate(null);
    }

    private Void feed(byte[] input) throws IOException {
        try {
            if (input != null && input.length > 0) {
                stdin.write(input);
            }
            stdin.close();
            stdin.awaitClosed();
        } catch (BrokenPipeException childStoppedReading) {
            stdin.abort();
        }
        return null;
    }

    /**
     * The child's process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The command the child runs, as started.
     *
     * @return the command and its arguments
     */
    public List<String> command() {
        return command;
    }

    /**
     * The exit code once the child has exited and been reaped (asyncio's {@code returncode}):
     * its exit status, or minus the signal that killed it when this side sent that signal
     * (see the class comment); {@code null} while it runs.
     *
     * @return the exit code, or {@code null} while the child runs
     */
    public Integer returnCode() {
        if (!exit.isDone()) {
            return null;
        }
        int status = process.exitValue();
        int signal = status - 128;
        if (signal > 0 && signal < 64 && (signalsSent & (1L << signal)) != 0) {
            return -signal;
        }
        return status;
    }

    /**
     * True until the child has exited and been reaped.
     *
     * @return whether the child is still running
     */
    public boolean isRunning() {
        return !exit.isDone();
    }

    /**
     * Waits for the child to exit and returns its exit code (asyncio's {@code wait()}). If the
     * calling task is cancelled meanwhile, the child is stopped and reaped first (SIGTERM, SIGKILL
     * after the grace period; see the class comment). With its stdout or stderr piped, read them
     * meanwhile (or use {@link #communicate}): a child whose output nobody reads blocks once the
     * pipe and the reader's limit are full, and never exits.
     *
     * @return the exit code, see {@link #returnCode()}
     */
    public int await() {
        try {
            Async.await(exit);
        } catch (CancelledException e) {
            close();
            throw e;
        }
        return returnCode();
    }

    /**
     * Waits at most {@code timeout} for the child to exit (asyncio's {@code wait_for(proc.wait(), t)}).
     * On timeout the child keeps running: {@link #close()} or {@link #kill()} it if that is what
     * you want. A cancellation of the calling task from elsewhere stops it as {@link #await()} does.
     *
     * @param timeout how long to wait
     * @return the exit code
     * @throws io.jasyncio.AsyncTimeoutException if the child is still running after {@code timeout}
     */
    public int await(Duration timeout) {
        CancelScope deadline = CancelScope.failAfter(timeout);
        return deadline.run(() -> {
            try {
                Async.await(exit);
            } catch (CancelledException e) {
                if (!deadline.isCancelled()) {
                    close(); // cancelled from outside: as await()
                }
                throw e;
            }
            return returnCode();
        });
    }

    /**
     * Asks the child to stop: SIGTERM (asyncio's {@code terminate()}). Does nothing once it has exited.
     */
    public void terminate() {
        if (isRunning()) {
            signalsSent |= 1L << Signal.TERM.number();
            process.destroy();
        }
    }

    /**
     * Ends the child at once: SIGKILL (asyncio's {@code kill()}). Does nothing once it has exited.
     */
    public void kill() {
        if (isRunning()) {
            signalsSent |= 1L << Signal.KILL.number();
            process.destroyForcibly();
        }
    }

    /**
     * Sends {@code signal} to the child (asyncio's {@code send_signal}); does nothing once it has
     * exited. TERM and KILL go through the JDK ({@link #terminate()}, {@link #kill()}); the JDK
     * has no call for the others, so they are sent by running {@code kill -s NAME pid} on a
     * worker thread, and this suspends until that has returned (a few milliseconds).
     *
     * @param signal the signal
     * @throws IOException if {@code kill} could not be run or refused
     */
    public void sendSignal(Signal signal) throws IOException {
        if (signal == Signal.TERM) {
            terminate();
            return;
        }
        if (signal == Signal.KILL) {
            kill();
            return;
        }
        if (!isRunning()) {
            return;
        }
        signalsSent |= 1L << signal.number();
        String pid = Long.toString(pid());
        int status = Async.toThread(() -> {
            Process k = new ProcessBuilder("kill", "-s", signal.name(), pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return k.waitFor();
        });
        if (status != 0 && isRunning()) {
            throw new IOException("kill -s " + signal + " " + pid + " failed with status " + status);
        }
    }

    /**
     * Stops the child if it is still running (SIGTERM; SIGKILL after
     * {@link ProcessOptions#killGrace}), waits until it is reaped, and closes its pipes, dropping
     * what was not read. Shielded: a cancelled task may call it in its cleanup and it still
     * finishes. Idempotent. To let a child finish on its own instead, close its stdin and
     * {@link #await()} it first.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Async.shield(() -> {
            if (isRunning()) {
                terminate();
                if (!exitedWithin(options.killGrace)) {
                    kill();
                    if (!exitedWithin(REAP_BOUND)) {
                        loop.callExceptionHandler(new ErrorReport("child " + pid() + " " + command
                                + " still not reaped " + REAP_BOUND.toSeconds() + " s after SIGKILL", null, null, null));
                    }
                }
            }
            closePipes(true);
            awaitPumps();
            closeHook.cancel();
            return null;
        });
    }

    private boolean exitedWithin(Duration d) {
        if (d.isZero()) {
            return !isRunning();
        }
        return Async.moveOnAfter(d, () -> Async.await(exit)) != null;
    }

    private void closePipes(boolean streams) {
        if (streams && stdin != null) {
            stdin.abort();
        }
        if (stdinPipe != null) {
            stdinPipe.abort();
        }
        if (stdoutPipe != null) {
            stdoutPipe.close();
        }
        if (stderrPipe != null) {
            stderrPipe.close();
        }
    }

    /**
     * The stdin pump closes its pipe itself as it ends (closing it from the loop could block behind
     * the pump's write): wait for that, so no descriptor outlives close(). It ends at once once the
     * child is gone. The output pipes need no wait: {@link PipeSource#close()} has closed their
     * descriptors already, even under a pump still blocked in a read (one a grandchild holding the
     * pipe open keeps there).
     */
    private void awaitPumps() {
        if (stdinPipe != null) {
            Async.moveOnAfter(PUMP_BOUND, () -> Async.await(stdinPipe.finished));
        }
    }

    /** The loop is closing with this child alive: kill it and reap it now, blocking the closing loop briefly. */
    private void killAtLoopClose() {
        closed = true;
        if (isRunning()) {
            signalsSent |= 1L << Signal.KILL.number();
            process.destroyForcibly();
        }
        closePipes(false); // the loop is not running: the streams above cannot be used, the pipes can
        try {
            process.waitFor(REAP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            exit.get(REAP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            if (stdinPipe != null) {
                stdinPipe.finished.get(PUMP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            loop.callExceptionHandler(new ErrorReport("child " + pid() + " " + command + " not reaped when its loop closed",
                    e, null, null));
        }
    }

    @Override
    public String toString() {
        Integer rc = returnCode();
        return "Subprocess[pid=" + pid() + ", " + (rc == null ? "running" : "returncode=" + rc) + ", " + command + "]";
    }
}
