/**
 * Internal, not exported: {@link io.jasyncio.internal.timer.TimerHeap}, the loop's timers in
 * parallel arrays, holding opaque targets whose liveness the owner answers for. Uses only the JDK.
 */
package io.jasyncio.internal.timer;
