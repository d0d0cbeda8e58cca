package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ./jasyncio demo}: a small real run, its command line, and its arithmetic. */
class DemoTest {

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Three child JVMs in turn (and one client JVM throughout), 50 connections, 1 s measured each. */
    @Test
    @Timeout(120)
    void smallRunServesEveryConnectionOnAllThreeServersAndLosesNoByte() {
        Outcome o = main("demo", "--conns", "50", "--duration", "1", "--warmup", "0.5", "--tour-scale", "0.05");
        assertEquals(0, o.status(), o.out() + o.err());
        String out = o.out();
        for (String label : List.of("jasyncio", "platform threads", "virtual threads")) {
            // server, conns, msgs/s, p50, p99, server CPU, CPU/msg, threads (OS), heap, RSS, errors
            Matcher m = Pattern.compile("(?m)^" + label + " +50 +([0-9,]+) +([0-9.,]+ (?:µs|ms)) +([0-9.,]+ (?:µs|ms))"
                    + " +[0-9.]+ cores +([0-9.]+) µs +([0-9,]+)(?: virtual)? \\(([0-9,]+)\\) +([0-9,]+) MiB +([0-9,]+) MiB +([0-9,]+)$")
                    .matcher(out);
            assertTrue(m.find(), "no complete row for " + label + " in:\n" + out);
            assertTrue(number(m.group(1)) > 0, label + " echoed nothing:\n" + out);
            assertEquals(0, number(m.group(9)), label + " had errors:\n" + out);
            assertTrue(number(m.group(8)) > 0, label + " RSS missing:\n" + out);
            long serverThreads = number(m.group(5));
            assertEquals(label.equals("jasyncio") ? 1 : 51, serverThreads, label + ": threads serving 50 connections\n" + out);
        }
        assertTrue(out.contains("say-after     awaited in turn"), out);
        assertTrue(out.contains("udp-requests  awaited in turn"), out);
        assertTrue(out.contains("delays ×0.05"), out);
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("Not a byte lost: ") && last.contains("over 150 connections"), last);
        assertFalse(out.contains("error:"), out);
    }

    private static long number(String s) {
        return Long.parseLong(s.replace(",", ""));
    }

    @Test
    void badOptionsAreUsageErrors() {
        for (String[] bad : List.of(
                new String[] {"--conns", "0"},
                new String[] {"--conns", "many"},
                new String[] {"--conns", "2000000"},
                new String[] {"--size", "0"},
                new String[] {"--size", "2000000"},
                new String[] {"--duration", "0"},
                new String[] {"--duration", "-1"},
                new String[] {"--duration", "NaN"},
                new String[] {"--duration", "601"},
                new String[] {"--warmup", "-0.5"},
                new String[] {"--servers", "netty"},
                new String[] {"--servers", "jasyncio,jasyncio"},
                new String[] {"--servers", ""},
                new String[] {"--tour-scale", "2"},
                new String[] {"--tour-scale", "0"},
                new String[] {"--threads", "4"},
                new String[] {"--conns"},
                new String[] {"extra"})) {
            String[] args = new String[bad.length + 1];
            args[0] = "demo";
            System.arraycopy(bad, 0, args, 1, bad.length);
            Outcome o = main(args);
            assertEquals(2, o.status(), String.join(" ", args) + " was accepted:\n" + o.out() + o.err());
            assertTrue(o.err().startsWith("jasyncio: "), o.err());
            assertTrue(o.err().contains("usage: ./jasyncio"), o.err());
            assertEquals("", o.out(), "nothing runs on a bad command line");
        }
        Outcome o = main("demo", "--servers", "netty");
        assertTrue(o.err().contains("no server called 'netty' (choose from jasyncio, platform, virtual)"), o.err());
    }

    @Test
    void optionsParseWithDefaultsAndInOrder() {
        DemoOptions d = DemoOptions.parse(List.of());
        assertEquals(10_000, d.conns());
        assertEquals(1024, d.size());
        assertEquals(List.of(DemoOptions.Server.JASYNCIO, DemoOptions.Server.PLATFORM, DemoOptions.Server.VIRTUAL), d.servers());
        DemoOptions o = DemoOptions.parse(List.of("--conns", "7", "--size=64", "--duration", "2.5", "--warmup", "0",
                "--servers", "virtual, jasyncio", "--tour-scale", "1"));
        assertEquals(7, o.conns());
        assertEquals(64, o.size());
        assertEquals(2.5, o.duration());
        assertEquals(0, o.warmup());
        assertEquals(List.of(DemoOptions.Server.VIRTUAL, DemoOptions.Server.JASYNCIO), o.servers());
        assertEquals(1.0, o.tourScale());
    }

    @Test
    void connectionsFitTheDescriptorLimitOfEachProcess() {
        DemoOptions.Plan fits = DemoOptions.plan(10_000, 20_000, 28_232);
        assertEquals(10_000, fits.granted());
        assertEquals(List.of(), fits.notes());
        assertFalse(fits.reduced(10_000));

        // A process holds one end of each connection plus FD_RESERVE of its own.
        assertEquals(10_000, DemoOptions.plan(10_000, 10_000 + DemoOptions.FD_RESERVE, 28_232).granted());
        DemoOptions.Plan low = DemoOptions.plan(10_000, 1024, 28_232);
        assertEquals(1024 - DemoOptions.FD_RESERVE, low.granted());
        assertTrue(low.reduced(10_000));
        assertEquals(1, low.notes().size());
        assertTrue(low.notes().get(0).contains("descriptor limit is 1,024 per process (ulimit -n)"), low.notes().get(0));
        assertTrue(low.notes().get(0).contains("running 924 connections instead of 10,000"), low.notes().get(0));

        assertEquals(1, DemoOptions.plan(10_000, DemoOptions.FD_RESERVE + 1, 28_232).granted());
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> DemoOptions.plan(10_000, DemoOptions.FD_RESERVE, 28_232));
        assertTrue(none.getMessage().contains("raise it (ulimit -n"), none.getMessage());

        // An unknown limit (not Unix) does not cut; the port range does.
        assertEquals(10_000, DemoOptions.plan(10_000, Long.MAX_VALUE, 0).granted());
        DemoOptions.Plan ports = DemoOptions.plan(50_000, 1_000_000, 28_232);
        assertEquals(28_232, ports.granted());
        assertTrue(ports.notes().get(0).contains("ephemeral port range has 28,232 ports"), ports.notes().get(0));
        DemoOptions.Plan both = DemoOptions.plan(50_000, 20_000, 10_000);
        assertEquals(10_000, both.granted());
        assertEquals(2, both.notes().size());
    }

    @Test
    void thisMachinesLimitsAreReadable() {
        assertTrue(DemoOptions.descriptorLimit() > DemoOptions.FD_RESERVE, "ulimit -n seen as " + DemoOptions.descriptorLimit());
        if (System.getProperty("os.name").equals("Linux")) {
            assertTrue(DemoOptions.ephemeralPorts() > 0);
            Map<String, String> status = Demo.procStatus(ProcessHandle.current().pid());
            assertTrue(status.get("VmRSS").endsWith("kB"), status.toString());
            assertTrue(Demo.cpuNanos(ProcessHandle.current().pid()) > 0);
        }
    }

    @Test
    void progressIsRewrittenOnATerminalAndPrintedAsLinesOtherwise() {
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        Demo.Progress p = new Demo.Progress(new PrintStream(tty, true, StandardCharsets.UTF_8), true, "jasyncio", 100, 0.5, 3);
        p.update(DemoWire.fields("PROGRESS stage=connect opened=40 failed=0 messages=0 elapsed_ms=10 exchange_ms=0"));
        p.update(DemoWire.fields("PROGRESS stage=exchange opened=100 failed=2 messages=1234 elapsed_ms=900 exchange_ms=800"));
        p.done();
        String t = tty.toString(StandardCharsets.UTF_8);
        assertEquals("\r  jasyncio: connecting, 40 of 100 connections open"
                + "\r  jasyncio: 100 connections open, 1,234 messages echoed, measuring (0.3 of 3 s), 2 errors\n", t.replaceAll(" +\r", "\r"));
        assertEquals(1, t.split("\n", -1).length - 1, "one line in the end");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Demo.Progress q = new Demo.Progress(new PrintStream(log, true, StandardCharsets.UTF_8), false, "virtual", 100, 0.5, 3);
        q.update(DemoWire.fields("PROGRESS stage=connect opened=40 failed=0 messages=0 elapsed_ms=10 exchange_ms=0"));
        q.update(DemoWire.fields("PROGRESS stage=exchange opened=100 failed=0 messages=99 elapsed_ms=200 exchange_ms=100"));
        q.done();
        String l = log.toString(StandardCharsets.UTF_8);
        assertFalse(l.contains("\r"), l);
        // the first update is printed at once; later ones at most every two seconds; the last one at the end
        assertEquals("  virtual: connecting, 40 of 100 connections open\n"
                + "  virtual: 100 connections open, 99 messages echoed, warming up (0.1 of 0.5 s)\n", l);
    }

    @Test
    void wireLinesCarryTheirFields() {
        String line = DemoWire.line("RESULT", "conns", 3, "p50_us", 120L);
        assertEquals("RESULT conns=3 p50_us=120", line);
        assertEquals("RESULT", DemoWire.word(line));
        assertEquals(Map.of("conns", "3", "p50_us", "120"), DemoWire.fields(line));
        assertEquals("HOLD", DemoWire.word("HOLD"));
        assertEquals(Map.of(), DemoWire.fields("HOLD"));
    }

    /** A child started by the demo exits by itself when its stdin closes, as when the parent dies. */
    @Test
    @Timeout(60)
    void childrenExitWhenTheirStdinCloses() throws Exception {
        for (Class<?> main : List.of(DemoClient.class, DemoServer.class)) {
            String[] args = main == DemoClient.class ? new String[] {"600"} : new String[] {"jasyncio", "600"};
            DemoChild child = DemoChild.start(main.getSimpleName(), main, args);
            String first = child.await(main == DemoClient.class ? "HELLO" : "READY", Duration.ofSeconds(30), l -> { });
            assertTrue(DemoWire.fields(first).containsKey("pid"), first);
            ProcessHandle h = ProcessHandle.of(child.pid()).orElseThrow();
            child.send("nonsense"); // ignored, with a note on stderr
            assertTrue(h.isAlive());
            child.close(Duration.ofSeconds(30)); // closes stdin first; kills only after 30 s
            h.onExit().get(1, TimeUnit.SECONDS);
            assertFalse(h.isAlive(), main.getSimpleName() + " outlived its stdin");
        }
    }

    /** The watchdog: a child whose parent never closes its stdin still stops at its lifetime. */
    @Test
    @Timeout(60)
    void childrenStopAtTheirLifetime() throws Exception {
        DemoChild child = DemoChild.start("server", DemoServer.class, "platform", "3");
        child.await("READY", Duration.ofSeconds(30), l -> { });
        ProcessHandle h = ProcessHandle.of(child.pid()).orElseThrow();
        h.onExit().get(30, TimeUnit.SECONDS);
        DemoChild.Failure f = assertThrows(DemoChild.Failure.class, () -> child.next(Duration.ofSeconds(10)));
        assertTrue(f.getMessage().contains("exited with status 4"), f.getMessage());
        assertTrue(f.getMessage().contains("time limit of 3 s reached"), f.getMessage());
        child.close();
    }
}
