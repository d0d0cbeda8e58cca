package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jasyncio in a modular application ({@link ConsumerApp}): the app's {@code module-info} requires
 * {@code io.jasyncio}, javac resolves that module from the core jar on the module path, and the app
 * runs on the module path. There the export has to name jasyncio's module, which is the module-path
 * row of docs/your-build.md's table. The class-path rows are {@link ConsumerJarTest}'s.
 */
class ModularConsumerTest {

    private static final String WARNING = "jdk.internal.vm is not exported; using the portable coroutine engine";

    private static final String MODULE_INFO = """
            module app {
                requires io.jasyncio;
            }
            """;

    /**
     * Prints the engine and the module each side runs in, so that a run that silently fell back to
     * the class path (an unnamed module) cannot pass for a modular one.
     */
    private static final String MAIN = """
            package app;

            import io.jasyncio.Async;

            public class Main {
                public static void main(String[] args) {
                    String engine = Async.run(() -> Async.currentLoop().engineName());
                    System.out.println("engine=" + engine + " app=" + Main.class.getModule().getName()
                            + " jasyncio=" + Async.class.getModule().getName());
                }
            }
            """;

    private static final String MODULE_PATH = "app.jar" + File.pathSeparator + ConsumerApp.CORE_JAR;

    @TempDir
    Path dir;

    private ConsumerApp app;

    @BeforeEach
    void compileTheAppAsAModule() throws Exception {
        app = ConsumerApp.in(dir);
        app.compile(Map.of("module-info.java", MODULE_INFO, "app/Main.java", MAIN),
                List.of("--module-path", dir.resolve(ConsumerApp.CORE_JAR).toString()));
        app.jar("app.jar", Map.of());
    }

    @Test
    void theExportToJasynciosModuleGivesTheContinuationEngine() {
        JavaProcess.Result r = app.run("--add-exports", "java.base/jdk.internal.vm=io.jasyncio",
                "--module-path", MODULE_PATH, "-m", "app/app.Main");
        assertEquals(0, r.status(), r.toString());
        assertEquals("engine=continuation app=app jasyncio=io.jasyncio", r.out().strip(), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void withoutItTheAppGetsThePortableEngineAndOneWarning() {
        JavaProcess.Result r = app.run("--module-path", MODULE_PATH, "-m", "app/app.Main");
        assertEquals(0, r.status(), r.toString());
        assertEquals("engine=portable app=app jasyncio=io.jasyncio", r.out().strip(), r.toString());
        // On the module path the flag must name jasyncio's module, and the warning says so.
        assertTrue(r.err().contains("--add-exports java.base/jdk.internal.vm=io.jasyncio "), "the warning names the flag:\n" + r);
        assertEquals(1, r.err().split(WARNING, -1).length - 1, "one warning:\n" + r);
    }

    @Test
    void theClassPathFormOfTheFlagDoesNotReachTheModule() {
        // ALL-UNNAMED exports to class-path code only, and jasyncio is a named module here.
        JavaProcess.Result r = app.run("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "--module-path", MODULE_PATH, "-m", "app/app.Main");
        assertEquals(0, r.status(), r.toString());
        assertEquals("engine=portable app=app jasyncio=io.jasyncio", r.out().strip(), r.toString());
        assertEquals(1, r.err().split(WARNING, -1).length - 1, "one warning:\n" + r);
        assertTrue(r.err().contains("--add-exports java.base/jdk.internal.vm=io.jasyncio "), "the flag it needs:\n" + r);
    }

    @Test
    void theModuleExportsItsRoomsAndHidesItsInternals() {
        JavaProcess.Result r = app.run("--module-path", MODULE_PATH, "--describe-module", "io.jasyncio");
        assertEquals(0, r.status(), r.toString());
        for (String room : List.of("io.jasyncio", "io.jasyncio.time", "io.jasyncio.lowlevel", "io.jasyncio.sync",
                "io.jasyncio.net", "io.jasyncio.net.tls")) {
            assertTrue(r.out().contains("exports " + room + "\n"), room + " is exported:\n" + r);
        }
        assertTrue(r.out().contains("contains io.jasyncio.internal.engine"), "internal packages are not exported:\n" + r);
        assertTrue(!r.out().contains("exports io.jasyncio.internal"), "internal packages are not exported:\n" + r);
    }
}
