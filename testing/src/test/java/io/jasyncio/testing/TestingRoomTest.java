package io.jasyncio.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The top room: the testing kit uses jasyncio's exported rooms only ({@code io.jasyncio},
 * {@code lowlevel}, {@code time}, ...), never its internals, as its module could not on the module
 * path (docs/architecture.md; core's ArchitectureTest checks the rooms below).
 */
class TestingRoomTest {

    @Test
    void theKitUsesNoInternalRoom() {
        JavaClasses kit = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jasyncio.testing");
        noClasses().that().resideInAPackage("io.jasyncio.testing..")
                .should().dependOnClassesThat().resideInAPackage("io.jasyncio.internal..")
                .because("the testing module reads only what io.jasyncio exports")
                .check(kit);
    }
}
