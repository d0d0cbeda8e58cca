package io.jasyncio.process;

import io.jasyncio.Async;
import io.jasyncio.CancelledException;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Starting child processes from a task (asyncio's {@code create_subprocess_exec} and
 * {@code create_subprocess_shell}).
 *
 * <pre>{@code
 * try (Subprocess p = Processes.exec(ProcessOptions.defaults().stdout(Stdio.PIPE), "ls", "-l")) {
 *     String line;
 *     while ((line = p.stdout().readLine(UTF_8)) != null) {
 *         System.out.println(line);
 *     }
 *     int code = p.await();
 * }
 * }</pre>
 *
 * <p>The JDK's {@link ProcessBuilder#start()} blocks its caller until the child has been forked
 * and has run its {@code exec} (about a millisecond), so the start runs on the loop's default
 * executor while the calling task waits; the loop keeps running. A task cancelled while the
 * child starts gets its {@link CancelledException}, and the child, once it exists, is killed and
 * reaped: none is left behind.
 */
public final class Processes {

    private Processes() {
    }

    /**
     * Starts {@code command} with its streams inherited (asyncio's {@code create_subprocess_exec}
     * with its defaults).
     *
     * @param command the program and its arguments
     * @return the running child
     * @throws IOException if it cannot be started (no such program, not executable, no such directory)
     */
    public static Subprocess exec(String... command) throws IOException {
        return exec(ProcessOptions.defaults(), Arrays.asList(command));
    }

    /**
     * Starts {@code command} with {@code options}.
     *
     * @param options where its streams go, its directory and environment
     * @param command the program and its arguments
     * @return the running child
     * @throws IOException if it cannot be started
     */
    public static Subprocess exec(ProcessOptions options, String... command) throws IOException {
        return exec(options, Arrays.asList(command));
    }

    /**
     * Starts {@code command} with {@code options}.
     *
     * @param options where its streams go, its directory and environment
     * @param command the program and its arguments
     * @return the running child
     * @throws IOException if it cannot be started
     */
    public static Subprocess exec(ProcessOptions options, List<String> command) throws IOException {
        List<String> cmd = List.copyOf(command);
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        Async.currentTask(); // outside a task: IllegalStateException, with the usual message
        EventLoop loop = Async.currentLoop();
        ProcessBuilder pb = options.toBuilder(cmd);
        CompletableFuture<Process> started = new CompletableFuture<>();
        loop.defaultExecutor().execute(() -> {
            try {
                started.complete(pb.start());
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        Process process;
        try {
            process = Async.await(started);
        } catch (CancelledException e) {
            started.thenAccept(Processes::discard); // started or about to be: kill and reap it
            throw e;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
        return new Subprocess(loop, process, cmd, options);
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c} (asyncio's {@code create_subprocess_shell}),
     * its streams inherited. The shell expands the command: never build it from untrusted input.
     *
     * @param command the shell command
     * @return the running shell
     * @throws IOException if the shell cannot be started
     */
    public static Subprocess shell(String command) throws IOException {
        return shell(ProcessOptions.defaults(), command);
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c} and {@code options}.
     *
     * @param options where its streams go, its directory and environment
     * @param command the shell command
     * @return the running shell
     * @throws IOException if the shell cannot be started
     */
    public static Subprocess shell(ProcessOptions options, String command) throws IOException {
        return exec(options, List.of("/bin/sh", "-c", command));
    }

    /** A child nobody will own: kill it, release its pipes; the JDK's reaper reaps it. */
    private static void discard(Process p) {
        p.destroyForcibly();
        try {
            p.getOutputStream().close();
            p.getInputStream().close();
            p.getErrorStream().close();
        } catch (IOException ignored) {
            // released either way
        }
    }
}
