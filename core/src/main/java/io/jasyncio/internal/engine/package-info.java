/**
 * Internal, not exported: the coroutine engines behind one small seam,
 * {@link io.jasyncio.internal.engine.CoroutineEngine} (the JDK's continuation, or a virtual thread
 * per coroutine with a baton), and {@link io.jasyncio.internal.engine.EngineSelection}, which picks
 * one per JVM. An engine runs an opaque target through a function the kernel hands it; it never
 * names a task or a loop, and uses only the JDK.
 */
package io.jasyncio.internal.engine;
