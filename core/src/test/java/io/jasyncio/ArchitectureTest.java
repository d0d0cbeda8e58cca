package io.jasyncio;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rooms of core and which way their arrows run (docs/architecture.md draws them). A room may
 * use the rooms below it, never one above or beside it:
 * <pre>
 *   process                   io.jasyncio.process (a child's pipes are net's streams)
 *   net, sync                 io.jasyncio.net, io.jasyncio.sync..
 *   tls (used by net only)    io.jasyncio.net.tls..
 *   lowlevel                  io.jasyncio.lowlevel
 *   api (the kernel)          io.jasyncio
 *   time                      io.jasyncio.time
 *   internal                  io.jasyncio.internal.access, .engine, .timer, .io (none uses another)
 * </pre>
 * A layer with no class fails the rule (ArchUnit's default), so a room renamed without this rule
 * cannot silently stop being checked.
 *
 * <p>The module descriptor enforces the exports for modular applications; this test enforces the
 * arrows for everyone, class-path users included, and inside the jar, where exports do not reach.
 */
class ArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jasyncio");
    }

    /** The rooms as layers; the JDK and anything outside them is not checked. */
    static final ArchRule ROOMS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("process").definedBy("io.jasyncio.process..")
            .layer("net").definedBy("io.jasyncio.net")
            .layer("tls").definedBy("io.jasyncio.net.tls..")
            .layer("sync").definedBy("io.jasyncio.sync..")
            .layer("lowlevel").definedBy("io.jasyncio.lowlevel..")
            .layer("api").definedBy("io.jasyncio")
            .layer("time").definedBy("io.jasyncio.time..")
            .layer("diagnostics").definedBy("io.jasyncio.diagnostics..")
            .layer("access").definedBy("io.jasyncio.internal.access..")
            .layer("engine").definedBy("io.jasyncio.internal.engine..")
            .layer("timer").definedBy("io.jasyncio.internal.timer..")
            .layer("io").definedBy("io.jasyncio.internal.io..")

            .whereLayer("process").mayNotBeAccessedByAnyLayer()
            .whereLayer("net").mayOnlyBeAccessedByLayers("process")
            .whereLayer("tls").mayOnlyBeAccessedByLayers("net")
            .whereLayer("sync").mayNotBeAccessedByAnyLayer()
            .whereLayer("lowlevel").mayOnlyBeAccessedByLayers("process", "net", "sync")
            .whereLayer("api").mayOnlyBeAccessedByLayers("process", "lowlevel", "net", "sync")
            .whereLayer("time").mayOnlyBeAccessedByLayers("api", "lowlevel", "process", "net", "sync")
            .whereLayer("diagnostics").mayOnlyBeAccessedByLayers("api", "lowlevel", "process", "net", "sync")
            .whereLayer("access").mayOnlyBeAccessedByLayers("api", "lowlevel")
            .whereLayer("engine").mayOnlyBeAccessedByLayers("api")
            .whereLayer("timer").mayOnlyBeAccessedByLayers("api")
            .whereLayer("io").mayOnlyBeAccessedByLayers("api")
            .because("an arrow between rooms may only run down (docs/architecture.md)");

    @Test
    void everyArrowBetweenRoomsRunsDown() {
        ROOMS.check(core);
    }
}
