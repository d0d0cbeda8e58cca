package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a user sees when an example meets bad input or a failing network, in a real JVM (the real
 * exit status and everything on stderr, the event loop's own reports included): one line that
 * names the problem and the fix, no stack trace, exit status 2 for a bad command line and 1 for a
 * failure at run time. Each case runs through the launcher's entry point ({@code ./jasyncio
 * example NAME}) and through the example's own {@code main}, which the benchmark scripts call.
 */
class ExampleErrorsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** {@code ./jasyncio example NAME args...}, as the launcher runs it. */
    private static JavaProcess.Result launcher(String name, String... args) {
        List<String> a = new ArrayList<>(List.of("example", name));
        a.addAll(List.of(args));
        return jvm(Main.class, a);
    }

    private static JavaProcess.Result jvm(Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-Djasyncio.engine=" + System.getProperty("jasyncio.engine", "auto"),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        return JavaProcess.run(Path.of("."), LIMIT, cmd);
    }

    /** Exit status {@code status} and a stderr of one line (a usage error may add the usage line) containing each of {@code parts}. */
    private static String assertOneLine(JavaProcess.Result r, int status, String... parts) {
        assertEquals(status, r.status(), r.toString());
        assertFalse(r.err().contains("\tat "), "a stack trace:\n" + r);
        assertFalse(r.err().contains("never retrieved"), "a loop report:\n" + r);
        List<String> lines = r.errLines();
        assertFalse(lines.isEmpty(), r.toString());
        String first = lines.get(0);
        assertTrue(first.startsWith("jasyncio: "), r.toString());
        for (String p : parts) {
            assertTrue(first.contains(p), "'" + p + "' missing from the first line:\n" + r);
        }
        if (status == 2) {
            assertTrue(lines.size() <= 2, r.toString());
            if (lines.size() == 2) {
                assertTrue(lines.get(1).startsWith("usage: ./jasyncio example "), r.toString());
            }
        } else {
            assertEquals(1, lines.size(), r.toString());
        }
        return first;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        assertOneLine(launcher("echo-server", "--port", "99999"), 2, "--port", "0 to 65535", "99999");
        assertOneLine(launcher("echo-client", "--port", "0"), 2, "--port", "1 to 65535", "0");
        assertOneLine(launcher("nio-echo-server", "--port", "-1"), 2, "--port", "-1");
        assertOneLine(launcher("udp-requests", "--connect", "127.0.0.1:70000"), 2, "--connect", "70000");
        assertOneLine(jvm(EchoServerExample.class, List.of("--port", "99999")), 2, "--port", "99999");
    }

    @Test
    void aBadNumberIsAUsageError() {
        assertOneLine(launcher("echo-client", "--conns", "abc"), 2, "--conns", "whole number", "'abc'");
        assertOneLine(launcher("echo-client", "--duration", "0"), 2, "--duration", "0");
        assertOneLine(launcher("udp-requests", "--connect", "localhost"), 2, "--connect", "HOST:PORT");
        assertOneLine(launcher("counters", "--tasks", "0"), 2, "--tasks", "0");
        assertOneLine(launcher("shared-socket", "--clients", "1"), 2, "--clients", "2");
        assertOneLine(jvm(EchoClientExample.class, List.of("--conns", "abc")), 2, "--conns", "'abc'");
    }

    @Test
    void aPortInUseNamesTheAddressAndExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(taken.getLocalPort());
            String address = "127.0.0.1:" + port;
            String line = assertOneLine(launcher("echo-server", "--port", port), 1, address, "already in use", "--port");
            assertFalse(line.contains("Exception"), line);
            assertOneLine(jvm(EchoServerExample.class, List.of("--port", port)), 1, address, "already in use");
            assertOneLine(jvm(PlainNioEchoServer.class, List.of("--port", port)), 1, address, "already in use");
        }
    }

    @Test
    void aRefusedConnectionIsOneCleanLine() throws Exception {
        String port = String.valueOf(freePort());
        String address = "127.0.0.1:" + port;
        assertOneLine(launcher("echo-client", "--port", port, "--conns", "3", "--duration", "1"), 1,
                "refused", address, "echo-server --port " + port);
        assertOneLine(jvm(EchoClientExample.class, List.of("--port", port, "--duration", "1")), 1, "refused", address);
    }
}
