/**
 * jasyncio's testing kit: the {@code @AsyncTest} JUnit 5 extension, seeded schedules and the
 * checks that nothing is left behind. Requires jasyncio and JUnit Jupiter's API, which a test
 * using the kit reads through this module.
 */
module io.jasyncio.testing {
    requires transitive io.jasyncio;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.commons;

    exports io.jasyncio.testing;
    // JUnit instantiates the extension reflectively.
    opens io.jasyncio.testing to org.junit.platform.commons;
}
