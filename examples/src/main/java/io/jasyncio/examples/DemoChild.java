package io.jasyncio.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The parent's side of one demo child JVM (see {@link DemoWire}): started with the same JDK and
 * class path as this JVM, its stdout read line by line into a queue, the tail of its stderr kept
 * for error messages. Every wait has a time limit.
 */
final class DemoChild implements AutoCloseable {

    /** Why a child did not answer as expected. */
    static final class Failure extends Exception {
        /** The child that failed to answer. */
        final transient DemoChild child;

        Failure(DemoChild child, String message) {
            super(message);
            this.child = child;
        }
    }

    private static final String END = "\u0000end of output";
    private static final int STDERR_LINES = 12;

    final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread stderrReader;
    private boolean ended;

    /**
     * Children still running, for Ctrl-C: the demo's orchestration runs on plain threads, where the
     * JVM's SIGINT handling runs the shutdown hooks and exits with 130; the hook stops the server
     * and client JVMs with it, so none outlives the demo (a terminal's Ctrl-C reaches them too, a
     * {@code kill -INT} of the demo alone would not).
     */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.destroyForcibly();
            }
            for (Process p : LIVE) {
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "demo-children-stopper"));
    }

    private DemoChild(String name, Process process) {
        this.name = name;
        this.process = process;
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().name(name + "-stdout").daemon().start(() -> {
            try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the child is gone
            }
            lines.add(END);
        });
        stderrReader = Thread.ofPlatform().name(name + "-stderr").daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (stderrTail) {
                        if (stderrTail.size() == STDERR_LINES) {
                            stderrTail.removeFirst();
                        }
                        stderrTail.addLast(l);
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
    }

    /** Starts {@code main} with {@code args} in a new JVM like this one. */
    static DemoChild start(String name, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.vm=ALL-UNNAMED");
        String engine = System.getProperty("jasyncio.engine");
        if (engine != null) {
            cmd.add("-Djasyncio.engine=" + engine);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        return new DemoChild(name, p);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends one command line; a child that has gone away is noticed by the next wait. */
    void send(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            // the child is gone
        }
    }

    /** The next line, or null if none came within {@code timeout}. */
    String next(Duration timeout) throws Failure {
        if (ended) {
            throw gone();
        }
        String l;
        try {
            l = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(this, "interrupted while waiting for the " + name);
        }
        if (END.equals(l)) {
            ended = true;
            throw gone();
        }
        return l;
    }

    /**
     * Waits for a line starting with {@code word}, handing any other line to {@code others};
     * fails if none comes within {@code timeout} or the child ends first.
     */
    String await(String word, Duration timeout, Consumer<String> others) throws Failure {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            String l = left > 0 ? next(Duration.ofNanos(left)) : null;
            if (l == null) {
                throw new Failure(this, "the " + name + " did not answer " + word + " within " + timeout.toSeconds() + " s" + stderr());
            }
            if (DemoWire.word(l).equals(word)) {
                return l;
            }
            others.accept(l);
        }
    }

    private Failure gone() {
        String status = "";
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                status = " with status " + process.exitValue();
                stderrReader.join(Duration.ofSeconds(2)); // its last words
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Failure(this, "the " + name + " (pid " + process.pid() + ") exited" + status + stderr());
    }

    private String stderr() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; its last error output:\n    " + String.join("\n    ", stderrTail);
        }
    }

    /** Closes its stdin (it exits on that), waits up to {@code grace}, then kills it. */
    void close(Duration grace) {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
