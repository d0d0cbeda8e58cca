package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * {@code jasyncio.jmx}: by default the beans follow the platform MBean server rather than start it
 * (it costs 13 MiB of resident memory in an idle server); {@code true} starts it with the first
 * loop; {@code false} registers nothing. Each case runs in a JVM of its own, since a test JVM's
 * MBean server, once started, stays.
 */
class JmxModeTest {

    @Test
    void byDefaultTheBeansWaitForSomeoneToStartTheMBeanServer() throws Exception {
        assertEquals(List.of("server after three ticks: no", "bean once the server is up: yes"), runChild(null));
    }

    @Test
    void trueStartsTheMBeanServerWithTheFirstLoop() throws Exception {
        assertEquals(List.of("server after three ticks: yes", "bean once the server is up: yes"), runChild("true"));
    }

    @Test
    void falseRegistersNoBean() throws Exception {
        assertEquals(List.of("server after three ticks: no", "bean once the server is up: no"), runChild("false"));
    }

    @Test
    void anUnknownValueIsRefusedWithTheValuesItTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Watchdog.JmxMode.parse("yes"));
        assertTrue(e.getMessage().contains("auto (the default), true or false, not 'yes'"), e.getMessage());
        assertEquals(Watchdog.JmxMode.AUTO, Watchdog.JmxMode.parse(" Auto "));
    }

    private static List<String> runChild(String mode) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        cmd.add("-Djasyncio.engine=" + System.getProperty("jasyncio.engine", "auto"));
        cmd.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        if (mode != null) {
            cmd.add("-Djasyncio.jmx=" + mode);
        }
        cmd.add(Child.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
            }
        } finally {
            assertTrue(p.waitFor(TestSupport.REAL_TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not exit");
        }
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines;
    }

    /** The program each case runs in its own JVM. */
    public static final class Child {
        /**
         * Opens a loop (which starts the watchdog), lets the watchdog tick three times, says whether
         * an MBean server exists, then starts the platform one and says whether the bean appears.
         *
         * @param args none
         * @throws Exception if the bean's name is malformed
         */
        public static void main(String[] args) throws Exception {
            try (EventLoop loop = new EventLoop()) {
                ObjectName bean = new ObjectName(JmxBeans.PROCESS_BEAN);
                if (Watchdog.JMX_MODE == Watchdog.JmxMode.EAGER) {
                    // the watchdog starts the server off its own thread: give it the time that takes
                    until(() -> !MBeanServerFactory.findMBeanServer(null).isEmpty());
                }
                waitTicks(3);
                System.out.println("server after three ticks: "
                        + (MBeanServerFactory.findMBeanServer(null).isEmpty() ? "no" : "yes"));
                var server = ManagementFactory.getPlatformMBeanServer();
                if (Watchdog.JMX) {
                    until(() -> server.isRegistered(bean));
                } else {
                    waitTicks(3);
                }
                System.out.println("bean once the server is up: " + (server.isRegistered(bean) ? "yes" : "no"));
            }
        }

        /** Waits until the watchdog thread has begun {@code n} more ticks (each stamps the coarse clock). */
        private static void waitTicks(int n) {
            for (int i = 0; i < n; i++) {
                int seen = LoopWatch.coarseStamp;
                until(() -> LoopWatch.coarseStamp != seen);
            }
        }

        private static void until(BooleanSupplier condition) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.REAL_TIMEOUT_SECONDS);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out");
                }
                LockSupport.parkNanos(5_000_000);
            }
        }
    }
}
