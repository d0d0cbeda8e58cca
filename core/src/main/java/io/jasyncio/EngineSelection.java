package io.jasyncio;

import java.lang.System.Logger.Level;

/**
 * Chooses the coroutine engine once per JVM.
 *
 * <p>The system property {@value #PROPERTY} decides: {@code continuation} forces the JDK
 * continuation engine (failing loudly if the export is missing), {@code portable} forces the
 * virtual-thread engine, and {@code auto} (the default) takes the continuation engine when
 * {@code java.base/jdk.internal.vm} is exported to us and otherwise the portable one, logging one
 * warning that names the flag.
 */
final class EngineSelection {

    static final String PROPERTY = "jasyncio.engine";
    static final String FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    private static final CoroutineEngine DEFAULT = choose(System.getProperty(PROPERTY, "auto"));

    private EngineSelection() {
    }

    static CoroutineEngine defaultEngine() {
        return DEFAULT;
    }

    /** True if the continuation engine can be used in this JVM. */
    static boolean continuationsAvailable() {
        Module base = Object.class.getModule();
        return base.isExported("jdk.internal.vm", EngineSelection.class.getModule());
    }

    static CoroutineEngine choose(String wanted) {
        switch (wanted.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "continuation":
                if (!continuationsAvailable()) {
                    throw new IllegalStateException("-D" + PROPERTY + "=continuation needs the JVM flag " + FLAG);
                }
                return new ContinuationEngine();
            case "portable":
                return new PortableEngine();
            case "auto":
            case "":
                if (continuationsAvailable()) {
                    return new ContinuationEngine();
                }
                System.getLogger("io.jasyncio").log(Level.WARNING,
                        "jasyncio: jdk.internal.vm is not exported; using the portable coroutine engine"
                                + " (virtual threads, several times slower per suspension). Add the JVM flag "
                                + FLAG + " for the continuation engine.");
                return new PortableEngine();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, continuation or portable, not '"
                        + wanted + "'");
        }
    }
}
