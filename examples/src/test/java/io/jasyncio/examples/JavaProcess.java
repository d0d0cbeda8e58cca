package io.jasyncio.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in a new JVM of the JDK this test runs on ({@code java.home}) and collects its
 * exit status and both output streams. For the tests that need what a user sees: the exact
 * stderr of a real process, its real exit status, or the JVM reading a jar's manifest.
 */
final class JavaProcess {

    /** What one run produced. */
    record Result(int status, String out, String err) {

        /** The stderr lines, without blank ones. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit status " + status + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private JavaProcess() {
    }

    /** {@code java} of the running JDK. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * Runs {@code java args...} in {@code dir} and waits for it, at most {@code limit}. The
     * {@code JAVA_TOOL_OPTIONS} family is removed from the environment: the JVM would print a
     * "Picked up" line for it, and could carry the very flag a test wants absent. So is
     * {@code JASYNCIO_TRACE}.
     */
    static Result run(Path dir, Duration limit, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove(Main.TRACE); // a developer's setting would add stack traces to what users see
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("still running after " + limit + ": " + command + "\n--- stdout:\n"
                        + out.join() + "--- stderr:\n" + err.join());
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A thread per stream, so that neither pipe fills up and blocks the child. */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("(could not read: " + e + ")");
            }
        });
        return text;
    }
}
