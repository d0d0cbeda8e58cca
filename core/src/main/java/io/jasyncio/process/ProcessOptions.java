package io.jasyncio.process;

import io.jasyncio.net.StreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a child: its working directory, environment, where its standard streams go, the
 * read limit of its output streams and how long it gets between SIGTERM and SIGKILL. Immutable;
 * each setter returns a copy.
 *
 * <pre>{@code
 * ProcessOptions o = ProcessOptions.defaults()
 *         .directory(Path.of("/tmp"))
 *         .env("LC_ALL", "C")
 *         .stdout(Stdio.PIPE)
 *         .stderr(Stdio.STDOUT);
 * }</pre>
 *
 * <p>The defaults are asyncio's: every stream inherited from this JVM, this JVM's directory and
 * environment.
 */
public final class ProcessOptions {

    /** Trio's default for {@code run_process}: SIGTERM, then SIGKILL five seconds later. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

    private static final ProcessOptions DEFAULTS = new ProcessOptions(null, null, Map.of(), Stdio.INHERIT, Stdio.INHERIT,
            Stdio.INHERIT, StreamReader.DEFAULT_LIMIT, DEFAULT_KILL_GRACE);

    final Path directory;
    /** The whole environment, or null for this JVM's. */
    final Map<String, String> environment;
    /** Added to (or replacing in) the environment. */
    final Map<String, String> extraEnv;
    final Stdio stdin, stdout, stderr;
    final int limit;
    final Duration killGrace;

    private ProcessOptions(Path directory, Map<String, String> environment, Map<String, String> extraEnv, Stdio stdin,
                           Stdio stdout, Stdio stderr, int limit, Duration killGrace) {
        this.directory = directory;
        this.environment = environment;
        this.extraEnv = extraEnv;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.limit = limit;
        this.killGrace = killGrace;
    }

    /**
     * The defaults: inherited streams, directory and environment; 64 KiB limit; 5 s grace.
     *
     * @return the default options
     */
    public static ProcessOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults with stdin, stdout and stderr all piped.
     *
     * @return options with every stream piped
     */
    public static ProcessOptions piped() {
        return DEFAULTS.stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);
    }

    /**
     * The child's working directory (asyncio's {@code cwd}); null for this JVM's.
     *
     * @param dir the directory, or {@code null}
     * @return the new options
     */
    public ProcessOptions directory(Path dir) {
        return new ProcessOptions(dir, environment, extraEnv, stdin, stdout, stderr, limit, killGrace);
    }

    /**
     * The child's whole environment (asyncio's {@code env}), instead of a copy of this JVM's.
     * {@link #env} entries still apply on top.
     *
     * @param env the environment, copied
     * @return the new options
     */
    public ProcessOptions environment(Map<String, String> env) {
        return new ProcessOptions(directory, Map.copyOf(env), extraEnv, stdin, stdout, stderr, limit, killGrace);
    }

    /**
     * One variable set in the child's environment, on top of the inherited (or given) one.
     *
     * @param name the variable
     * @param value its value
     * @return the new options
     */
    public ProcessOptions env(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(extraEnv);
        m.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new ProcessOptions(directory, environment, Map.copyOf(m), stdin, stdout, stderr, limit, killGrace);
    }

    /**
     * Where the child's stdin comes from: {@link Stdio#PIPE} (then write it with
     * {@link Subprocess#stdin()}), {@link Stdio#INHERIT}, {@link Stdio#DEVNULL} or {@link Stdio#file}.
     *
     * @param where the source
     * @return the new options
     * @throws IllegalArgumentException for {@link Stdio#STDOUT} or {@link Stdio#appendTo}
     */
    public ProcessOptions stdin(Stdio where) {
        Objects.requireNonNull(where, "where");
        if (where.kind == Stdio.Kind.STDOUT || where.kind == Stdio.Kind.APPEND) {
            throw new IllegalArgumentException("stdin cannot be " + where + ": use PIPE, INHERIT, DEVNULL or file(path)");
        }
        return new ProcessOptions(directory, environment, extraEnv, where, stdout, stderr, limit, killGrace);
    }

    /**
     * Where the child's stdout goes: {@link Stdio#PIPE} (then read it with
     * {@link Subprocess#stdout()}), {@link Stdio#INHERIT}, {@link Stdio#DEVNULL}, a file.
     *
     * @param where the destination
     * @return the new options
     * @throws IllegalArgumentException for {@link Stdio#STDOUT}
     */
    public ProcessOptions stdout(Stdio where) {
        Objects.requireNonNull(where, "where");
        if (where.kind == Stdio.Kind.STDOUT) {
            throw new IllegalArgumentException("Stdio.STDOUT is for stderr only");
        }
        return new ProcessOptions(directory, environment, extraEnv, stdin, where, stderr, limit, killGrace);
    }

    /**
     * Where the child's stderr goes: as for {@link #stdout}, or {@link Stdio#STDOUT} to merge it
     * into stdout.
     *
     * @param where the destination
     * @return the new options
     */
    public ProcessOptions stderr(Stdio where) {
        return new ProcessOptions(directory, environment, extraEnv, stdin, stdout, Objects.requireNonNull(where, "where"),
                limit, killGrace);
    }

    /**
     * The limit of the stdout and stderr readers (asyncio's {@code limit}, 64 KiB by default): the
     * most {@code readLine} and {@code readUntil} return, and the most bytes of the child's output
     * held in this JVM at a time; past it the child blocks in its write until this side reads.
     *
     * @param bytes the limit, positive
     * @return the new options
     */
    public ProcessOptions limit(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + bytes);
        }
        return new ProcessOptions(directory, environment, extraEnv, stdin, stdout, stderr, bytes, killGrace);
    }

    /**
     * How long a child gets to exit after SIGTERM before SIGKILL, when its task is cancelled or it
     * is closed while running. Default 5 s; zero kills at once.
     *
     * @param grace the grace period, not negative
     * @return the new options
     */
    public ProcessOptions killGrace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("killGrace must not be negative: " + grace);
        }
        return new ProcessOptions(directory, environment, extraEnv, stdin, stdout, stderr, limit, grace);
    }

    /** The ProcessBuilder these options describe. */
    ProcessBuilder toBuilder(java.util.List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        if (environment != null) {
            pb.environment().clear();
            pb.environment().putAll(environment);
        }
        pb.environment().putAll(extraEnv);
        pb.redirectInput(switch (stdin.kind) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case DEVNULL -> ProcessBuilder.Redirect.from(new java.io.File("/dev/null"));
            case FILE -> ProcessBuilder.Redirect.from(stdin.path.toFile());
            default -> throw new AssertionError(stdin);
        });
        pb.redirectOutput(output(stdout));
        if (stderr.kind == Stdio.Kind.STDOUT) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(output(stderr));
        }
        return pb;
    }

    private static ProcessBuilder.Redirect output(Stdio s) {
        return switch (s.kind) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case DEVNULL -> ProcessBuilder.Redirect.DISCARD;
            case FILE -> ProcessBuilder.Redirect.to(s.path.toFile());
            case APPEND -> ProcessBuilder.Redirect.appendTo(s.path.toFile());
            case STDOUT -> throw new AssertionError(s);
        };
    }

    @Override
    public String toString() {
        return "ProcessOptions[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr
                + (directory != null ? ", directory=" + directory : "") + (environment != null ? ", environment=(replaced)" : "")
                + (extraEnv.isEmpty() ? "" : ", env+=" + extraEnv.keySet()) + ", limit=" + limit + ", killGrace=" + killGrace + "]";
    }
}
