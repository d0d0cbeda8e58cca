package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C (SIGINT sent to the JVM that {@code ./jasyncio example countdown} execs) during the
 * countdown: the counters' {@code finally} blocks run and the JVM exits with status 130.
 */
class CtrlCTest {

    private static final long BOUND_SECONDS = 30;

    /** The launcher's command ({@code java --add-exports ... -jar}) with this test's class path instead of the jar. */
    static Process launch(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JavaProcess.java().toString(), "--add-exports",
                "java.base/jdk.internal.vm=ALL-UNNAMED", "-Djasyncio.engine=" + System.getProperty("jasyncio.engine", "auto"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        return pb.start();
    }

    static void sigint(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", "INT", Long.toString(p.pid())).start();
        assertTrue(kill.waitFor(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    @Test
    void ctrlCDuringTheCountdownRunsItsFinallyBlocksAndExits130() throws Exception {
        Process p = launch("example", "countdown", "--scale", "0.2");
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            List<String> lines = new ArrayList<>();
            for (String l; (l = out.readLine()) != null; ) {
                lines.add(l);
                if (l.contains("count_down 9")) { // a second in: both counters are sleeping
                    sigint(p);
                }
            }
            assertTrue(p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "still running: " + lines);
            assertEquals(130, p.exitValue(), String.join("\n", lines));
            String all = String.join("\n", lines);
            assertTrue(all.contains("interrupted (Ctrl-C): cancelling the counters"), all);
            assertTrue(all.contains("count_down stopped at 9 (its finally block ran)")
                    || all.contains("count_down stopped at 8 (its finally block ran)"), all);
            assertTrue(all.contains("count_up stopped at 0 (its finally block ran)"), all);
            assertTrue(!all.contains("together they took"), "it ran to the end: " + all);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void ctrlCDuringTheDemoStopsItsChildJvmsAndExits130() throws Exception {
        Process p = launch("demo", "--conns", "10", "--duration", "60", "--servers", "jasyncio");
        List<ProcessHandle> children = new ArrayList<>();
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            List<String> lines = new ArrayList<>();
            for (String l; (l = out.readLine()) != null; ) {
                lines.add(l);
                if (children.isEmpty() && l.contains("measuring")) { // the client and a server JVM are running
                    children.addAll(p.descendants().toList());
                    sigint(p);
                }
            }
            assertTrue(p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "still running: " + lines);
            assertEquals(130, p.exitValue(), String.join("\n", lines));
            assertEquals(2, children.size(), "the client and the server JVMs: " + children);
            for (ProcessHandle c : children) {
                c.onExit().get(BOUND_SECONDS, TimeUnit.SECONDS); // each one ends with the demo
                assertTrue(!c.isAlive());
            }
        } finally {
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
