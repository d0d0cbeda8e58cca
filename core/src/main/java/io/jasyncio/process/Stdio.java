package io.jasyncio.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one of a child's standard streams goes: asyncio's {@code stdin=}/{@code stdout=}/{@code stderr=}
 * arguments ({@code subprocess.PIPE}, {@code None}, {@code DEVNULL}, {@code STDOUT}, a file).
 * Set with {@link ProcessOptions#stdin}, {@link ProcessOptions#stdout} and {@link ProcessOptions#stderr}.
 */
public final class Stdio {

    /** The kinds of destination. */
    enum Kind { PIPE, INHERIT, DEVNULL, STDOUT, FILE, APPEND }

    /**
     * A pipe to this process: the child's stream is {@link Subprocess#stdin()},
     * {@link Subprocess#stdout()} or {@link Subprocess#stderr()} (asyncio's {@code PIPE}).
     */
    public static final Stdio PIPE = new Stdio(Kind.PIPE, null);

    /** The child shares this JVM's stream (asyncio's {@code None}, the default). */
    public static final Stdio INHERIT = new Stdio(Kind.INHERIT, null);

    /** {@code /dev/null}: the child reads nothing, or what it writes is dropped (asyncio's {@code DEVNULL}). */
    public static final Stdio DEVNULL = new Stdio(Kind.DEVNULL, null);

    /** For stderr only: into the same place as stdout (asyncio's {@code STDOUT}). */
    public static final Stdio STDOUT = new Stdio(Kind.STDOUT, null);

    final Kind kind;
    final Path path;

    private Stdio(Kind kind, Path path) {
        this.kind = kind;
        this.path = path;
    }

    /**
     * A file: stdin reads from it; stdout or stderr replace its contents (creating it).
     *
     * @param file the file
     * @return the destination
     */
    public static Stdio file(Path file) {
        return new Stdio(Kind.FILE, Objects.requireNonNull(file, "file"));
    }

    /**
     * For stdout or stderr: appended to a file (creating it).
     *
     * @param file the file
     * @return the destination
     */
    public static Stdio appendTo(Path file) {
        return new Stdio(Kind.APPEND, Objects.requireNonNull(file, "file"));
    }

    @Override
    public String toString() {
        return path == null ? kind.name() : kind + "(" + path + ")";
    }
}
