package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The three stalls of docs/observability.md, each in a JVM of its own, looked at from this one
 * the way {@code ./jasyncio ps PID} does (Attach API, JMX): the dump names the resource waited
 * on, its owner and the cycle; the watchdog's log names the blocking task and frame.
 */
class StallsTest {

    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** A child JVM running the example, with its output lines collected as they come. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> out = new LinkedBlockingQueue<>();
        final List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
        final String pid;

        Child(String mode) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(JavaProcess.java().toString()));
            String engine = System.getProperty("jasyncio.engine", "auto");
            if (!engine.equals("portable")) {
                cmd.addAll(List.of("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"));
            }
            cmd.addAll(List.of("-Djasyncio.engine=" + engine, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "example", "stalls", "--mode", mode, "--seconds", "60"));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            process = pb.start();
            pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), out::add);
            pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), err::add);
            String line = out.poll(60, TimeUnit.SECONDS);
            assertTrue(line != null && line.contains("running in process " + process.pid()), () -> "first line: " + line
                    + "\nstderr: " + err);
            pid = Long.toString(process.pid());
        }

        private static void pump(BufferedReader r, java.util.function.Consumer<String> to) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (String l; (l = r.readLine()) != null; ) {
                        to.accept(l);
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            });
        }

        /** Dumps (as ps does) until {@code done} holds for the text, at most a minute. */
        String dumpUntil(String format, Predicate<String> done) {
            long deadline = System.nanoTime() + LIMIT_NANOS;
            String d;
            do {
                d = Inspect.dump(pid, format);
                if (done.test(d)) {
                    return d;
                }
                LockSupport.parkNanos(50_000_000);
            } while (System.nanoTime() < deadline);
            throw new AssertionError("the dump never showed what was expected; last:\n" + d);
        }

        String stderr() {
            synchronized (err) {
                return String.join("\n", err);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void deadlockThroughTwoLocks() throws Exception {
        try (Child c = new Child("deadlock")) {
            String ps = c.dumpUntil("table", d -> d.contains("DEADLOCK"));
            assertTrue(ps.contains("DEADLOCK: 2 tasks wait for each other in a cycle:"), ps);
            assertTrue(ps.matches("(?s).*#3 'transfer alice->bob' acquiring a lock held by #4 'transfer bob->alice'.*"), ps);
            assertTrue(ps.matches("(?s).*#4 'transfer bob->alice' acquiring a lock held by #3 'transfer alice->bob'.*"), ps);
            assertTrue(ps.contains("io.jasyncio.examples.Stalls.transfer(Stalls.java:"), ps);
            String json = c.dumpUntil("json", d -> true);
            assertTrue(json.contains("\"deadlocks\":[{\"tasks\":[{\"id\":3,\"name\":\"transfer alice->bob\"}"), json);
            assertTrue(json.contains("\"kind\":\"lock\""), json);
            assertFalse(c.stderr().contains("stalled"), c.stderr()); // a deadlock does not block the loop thread
        }
    }

    @Test
    void aReplyThatNeverComes() throws Exception {
        try (Child c = new Child("no-reply")) {
            String tree = c.dumpUntil("tree", d -> d.contains("socket read"));
            assertTrue(tree.matches("(?s).*#3 'price-lookup' PARKED for .*: socket read on tcp 127\\.0\\.0\\.1:\\d+ <-> 127\\.0\\.0\\.1:\\d+.*"),
                    tree);
            assertTrue(tree.contains("at io.jasyncio.net.StreamReader.readLine("), tree);
            assertTrue(tree.contains("at io.jasyncio.examples.Stalls.priceLookup(Stalls.java:"), tree);
            assertFalse(tree.contains("DEADLOCK"), tree);
            assertFalse(c.stderr().contains("stalled"), c.stderr());
        }
    }

    @Test
    void threadSleepOnTheLoop() throws Exception {
        try (Child c = new Child("sleep")) {
            String ps = c.dumpUntil("tree", d -> d.contains(": stalled for"));
            assertTrue(ps.contains("at io.jasyncio.examples.Stalls$LegacyClient.fetchAuditLog(Stalls.java:"), ps);
            assertTrue(ps.matches("(?s).*#3 'audit' RUNNING.*"), ps);
            // Starved: its timer is overdue, or it is ready and never runs.
            assertTrue(ps.matches("(?s).*#2 'heartbeat' (SCHEDULED|PARKED for [^\n]*: sleep, overdue by).*"), ps);
            long deadline = System.nanoTime() + LIMIT_NANOS;
            while (!c.stderr().contains("ended after about") && System.nanoTime() < deadline) {
                LockSupport.parkNanos(50_000_000);
            }
            String log = c.stderr();
            assertTrue(log.contains("is stalled: task #3 'audit' has held it for"), log);
            assertTrue(log.contains("\tat io.jasyncio.examples.Stalls$LegacyClient.fetchAuditLog(Stalls.java:"), log);
            assertTrue(log.contains("\tat java.base/java.lang.Thread.sleep("), log);
            assertTrue(log.matches("(?s).*the stall in task #3 'audit' ended after about \\d+ ms.*"), log);
        }
    }
}
