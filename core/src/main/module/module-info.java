/**
 * jasyncio's runtime: an event loop running coroutines on JDK continuations, with its low-level
 * API, time, synchronisation primitives, networking and child processes. No dependency beyond the
 * JDK's own {@code java.base} and {@code jdk.unsupported} (for {@code sun.misc.Signal}).
 *
 * <p>Exported, top of the layering first: {@code io.jasyncio.process} (on net's streams), {@code io.jasyncio.net} and {@code io.jasyncio.sync}
 * (built on the rooms below them only), {@code io.jasyncio.lowlevel} (for library authors and
 * test harnesses), {@code io.jasyncio} (what programs call) and {@code io.jasyncio.time}. The
 * {@code io.jasyncio.internal.*} packages are not exported.
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
    exports io.jasyncio.process;

    // sun.misc.Signal: signal handlers on the loop and Ctrl-C in Async.run (SunMiscSignals). Every
    // JDK ships this module; requiring it puts it in a modular application's graph.
    requires jdk.unsupported;
}
