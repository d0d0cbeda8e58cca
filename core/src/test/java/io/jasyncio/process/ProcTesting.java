package io.jasyncio.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the process tests look at: zombies in /proc, this JVM's descriptors, its children. */
final class ProcTesting {

    private ProcTesting() {
    }

    /** The state letter of {@code pid} in /proc (R, S, Z, ...), or null if there is no such process. */
    static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if {@code pid} is gone from /proc altogether: exited and reaped, no zombie. */
    static boolean reaped(long pid) {
        return state(pid) == null;
    }

    /** How many descriptors this JVM has open now. */
    static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This JVM's live child processes. */
    static long children() {
        return ProcessHandle.current().children().count();
    }
}
