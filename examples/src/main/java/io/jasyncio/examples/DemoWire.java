package io.jasyncio.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The line protocol between {@code ./jasyncio demo} and its child processes, and the rules every
 * child follows so that none outlives the demo.
 *
 * <p>A line is a word and then {@code key=value} fields: {@code READY port=41234 pid=812}. The
 * parent writes commands to a child's stdin; the child answers on stdout. A child exits when its
 * stdin closes (the parent closed it, or died and the kernel closed it), when the parent process
 * exits, or when its own time limit passes; each of these stops it at once, whatever it is doing.
 */
final class DemoWire {

    private DemoWire() {
    }

    /** {@code word k1=v1 k2=v2 ...}; values must not contain spaces. */
    static String line(String word, Object... keyValues) {
        StringBuilder b = new StringBuilder(word);
        for (int i = 0; i < keyValues.length; i += 2) {
            b.append(' ').append(keyValues[i]).append('=').append(keyValues[i + 1]);
        }
        return b.toString();
    }

    /** The first word of a line. */
    static String word(String line) {
        int sp = line.indexOf(' ');
        return sp < 0 ? line : line.substring(0, sp);
    }

    /** The {@code key=value} fields of a line, in order. */
    static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] parts = line.trim().split(" +");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                m.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        return m;
    }

    /** Writes one line to stdout at once (the parent is reading it live). */
    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * {@link #guard(Duration, Consumer)} with the lines put on a queue.
     */
    static BlockingQueue<String> guard(Duration lifetime) {
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        guard(lifetime, commands::add);
        return commands;
    }

    /**
     * Arranges for this child process to stop by itself: a daemon thread reads stdin, hands each
     * line to {@code commands} and halts the process at end of input; the parent's exit halts it
     * too; and after {@code lifetime}, a watchdog halts it whatever it is doing. Both threads are
     * made here, at start, so that a child never needs a new thread later (when the machine may
     * have none left to give: a platform-thread server with 10,000 connections uses 10,000).
     */
    static void guard(Duration lifetime, Consumer<String> commands) {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        Thread.ofPlatform().name("demo-stdin").daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    commands.accept(l);
                }
            } catch (IOException e) {
                // the parent is gone either way
            }
            System.out.flush();
            Runtime.getRuntime().halt(0);
        });
        Thread.ofPlatform().name("demo-watchdog").daemon().start(() -> {
            long deadline = System.nanoTime() + lifetime.toNanos();
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                try {
                    Thread.sleep(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    // keep watching
                }
            }
            System.err.println("demo child: time limit of " + lifetime.toSeconds() + " s reached; exiting");
            Runtime.getRuntime().halt(4);
        });
    }
}
