package io.jasyncio.internal.engine;

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
public final class EngineSelection {

    /** The system property that chooses the engine. */
    public static final String PROPERTY = "jasyncio.engine";

    /**
     * The JVM flag that gives the continuation engine its JDK API, as this JVM needs it: exported
     * to {@code io.jasyncio} when jasyncio runs as a named module (the module path), to
     * {@code ALL-UNNAMED} on the class path.
     */
    public static final String FLAG = "--add-exports java.base/jdk.internal.vm="
            + exportTarget(EngineSelection.class.getModule());

    private static final CoroutineEngine DEFAULT = choose(System.getProperty(PROPERTY, "auto"));

    private EngineSelection() {
    }

    /**
     * The module name the export must name for {@code module}: its own if it is named,
     * {@code ALL-UNNAMED} for code on the class path.
     */
    static String exportTarget(Module module) {
        return module.isNamed() ? module.getName() : "ALL-UNNAMED";
    }

    /**
     * The engine of this JVM, chosen once by {@value #PROPERTY}.
     *
     * @return the JVM-wide engine
     */
    public static CoroutineEngine defaultEngine() {
        return DEFAULT;
    }

    /**
     * True if the continuation engine can be used in this JVM.
     *
     * @return whether {@code jdk.internal.vm} is exported to jasyncio
     */
    public static boolean continuationsAvailable() {
        Module base = Object.class.getModule();
        return base.isExported("jdk.internal.vm", EngineSelection.class.getModule());
    }

    /**
     * The engine {@code wanted} names: {@code continuation}, {@code portable} or {@code auto}.
     *
     * @param wanted the engine's name
     * @return a new engine
     * @throws IllegalStateException    if {@code continuation} is asked for without the export
     * @throws IllegalArgumentException if the name is none of the three
     */
    public static CoroutineEngine choose(String wanted) {
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
