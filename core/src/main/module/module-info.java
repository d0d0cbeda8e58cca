/**
 * jasyncio's runtime: an event loop running coroutines on JDK continuations, with its low-level
 * API, time, synchronisation primitives, networking, child processes and diagnostics. No
 * dependency beyond the JDK (for {@code sun.misc.Signal}, its {@code jdk.unsupported} module).
 *
 * <p>Exported, top of the layering first: {@code io.jasyncio.process} (on net's streams),
 * {@code io.jasyncio.net} (with {@code io.jasyncio.net.tls}) and {@code io.jasyncio.sync}
 * (built on the rooms below them only), {@code io.jasyncio.lowlevel} (for library authors and
 * test harnesses), {@code io.jasyncio} (what programs call) and {@code io.jasyncio.time}. The
 * {@code io.jasyncio.internal.*} packages are not exported. {@code io.jasyncio.diagnostics} holds
 * the plain data of task dumps and metrics and the JMX interfaces; the watchdog registers its JMX
 * beans through {@code java.management} and the runtime's JFR events use {@code jdk.jfr}, both
 * modules of the JDK.
 *
 * <p>The continuation engine needs {@code jdk.internal.vm} from {@code java.base}: run a modular
 * application with {@code --add-exports java.base/jdk.internal.vm=io.jasyncio} (on the class path
 * the flag names {@code ALL-UNNAMED} instead). Without it the portable engine runs, with one
 * warning that names the flag.
 */
module io.jasyncio {
    exports io.jasyncio;
    exports io.jasyncio.time;
    exports io.jasyncio.lowlevel;
    exports io.jasyncio.sync;
    exports io.jasyncio.net;
    exports io.jasyncio.net.tls;
    exports io.jasyncio.diagnostics;
    exports io.jasyncio.process;

    requires java.management;
    requires jdk.jfr;
    // sun.misc.Signal: signal handlers on the loop and Ctrl-C in Async.run (SunMiscSignals). Every
    // JDK ships this module; requiring it puts it in a modular application's graph.
    requires jdk.unsupported;
}
