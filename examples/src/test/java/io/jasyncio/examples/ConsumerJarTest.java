package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's own application needs for the continuation engine, checked on a real one
 * ({@link ConsumerApp}): the JVM reads {@code Add-Exports} only from the manifest of the jar it
 * starts with {@code java -jar}, so the entry in jasyncio's own jar does nothing for an app that
 * has jasyncio on its class path. The README's "JDK and engines" section says what to add.
 */
class ConsumerJarTest {

    private static final String WARNING = "jdk.internal.vm is not exported; using the portable coroutine engine";
    private static final String FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    @TempDir
    Path dir;

    private ConsumerApp app;

    @BeforeEach
    void compileTheApp() throws Exception {
        app = ConsumerApp.in(dir).compile("app/Main.java", ConsumerApp.ENGINE_PROBE, List.of());
    }

    @Test
    void addExportsInTheAppsOwnManifestGivesTheContinuationEngine() throws Exception {
        app.jar("app.jar", Map.of("Main-Class", "app.Main", "Class-Path", ConsumerApp.CORE_JAR,
                "Add-Exports", "java.base/jdk.internal.vm"));
        JavaProcess.Result r = app.run("-jar", "app.jar");
        assertEquals(0, r.status(), r.toString());
        assertEquals("engine=continuation", r.out().strip(), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void withoutItTheAppGetsThePortableEngineAndOneWarningDespiteTheLibrarysManifest() throws Exception {
        // jasyncio's jar carries the entry itself; this is the case that shows it does not count.
        assertEquals("java.base/jdk.internal.vm", app.coreManifest().getValue("Add-Exports"));
        app.jar("app.jar", Map.of("Main-Class", "app.Main", "Class-Path", ConsumerApp.CORE_JAR));
        JavaProcess.Result r = app.run("-jar", "app.jar");
        assertEquals(0, r.status(), r.toString());
        assertEquals("engine=portable", r.out().strip(), r.toString());
        assertTrue(r.err().contains(WARNING) && r.err().contains(FLAG), r.toString());
        assertEquals(1, r.err().split(WARNING, -1).length - 1, "one warning:\n" + r);
    }

    @Test
    void onTheClassPathTheFlagOnTheCommandLineDoesIt() throws Exception {
        String cp = "classes" + java.io.File.pathSeparator + ConsumerApp.CORE_JAR;
        JavaProcess.Result with = app.run("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-cp", cp, "app.Main");
        assertEquals("engine=continuation", with.out().strip(), with.toString());
        assertEquals("", with.err(), with.toString());
        JavaProcess.Result without = app.run("-cp", cp, "app.Main");
        assertEquals("engine=portable", without.out().strip(), without.toString());
        assertTrue(without.err().contains(WARNING), without.toString());
    }
}
