package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandPrintsUsageAndExitsTwo() {
        Outcome o = main("frobnicate");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("unknown command 'frobnicate'"), o.err());
        assertTrue(o.err().contains("usage: ./jasyncio"), o.err());
    }

    @Test
    void badExampleNamesAndOptionsExitTwo() {
        assertEquals(2, main("example").status());
        assertEquals(2, main("example", "nope").status());
        assertEquals(2, main("example", "say-after", "--bogus").status());
        assertEquals(2, main("example", "counters", "--count").status());
        assertEquals(2, main("example", "counters", "--count", "many").status());
        assertEquals(2, main("example", "say-after", "--scale", "0").status());
        assertEquals(2, main("tour", "--unknown").status());
    }

    @Test
    void helpAndListDescribeEveryExample() {
        Outcome help = main("help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("tour") && help.out().contains("demo"), help.out());
        assertEquals(help.out(), main().out());
        Outcome list = main("list");
        assertEquals(0, list.status());
        for (String name : List.of("round-robin", "countdown", "say-after", "routines", "counters", "fetcher-monitor",
                "shared-socket", "udp-requests", "echo-server", "echo-client", "nio-echo-server")) {
            assertTrue(list.out().contains("./jasyncio example " + name), name + " missing in\n" + list.out());
            assertTrue(Examples.find(name).isPresent());
        }
        assertEquals(6, Examples.ALL.size());
    }

    @Test
    void exampleRunsWithItsOptions() {
        Outcome o = main("example", "counters", "--count", "2", "--tasks", "3");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("task0: 0\n  task1: 0\n  task2: 0\n  task0: 1"), o.out());
        assertTrue(o.out().contains("next task in turn: true"), o.out());
        Outcome fast = main("example", "say-after", "--scale=0.01");
        assertEquals(0, fast.status(), fast.err());
        assertTrue(fast.out().contains("unscaled"), fast.out());
    }

    @Test
    void tourRunsAllSixAndSaysItIsScaled() {
        Outcome o = main("tour", "--scale", "0.01");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("Delays scaled ×0.01"), o.out());
        for (int i = 1; i <= 6; i++) {
            assertTrue(o.out().contains("── " + i + "/6  " + Examples.ALL.get(i - 1).name()), o.out());
        }
        assertTrue(o.out().contains("Summary"), o.out());
        assertTrue(o.out().contains("with yields: 012301230123; without: 000111222333"), o.out());
    }

    /** The demo itself runs in DemoTest; here, that the command reaches it and checks its options. */
    @Test
    void demoIsWiredToTheDemo() {
        Outcome o = main("demo", "--conns", "0");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("--conns must be between 1 and 1,000,000, not 0"), o.err());
        assertTrue(main("help").out().contains("demo [--conns N]"));
    }
}
