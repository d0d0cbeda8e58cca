/**
 * For library authors and test harnesses (Trio's {@code trio.lowlevel}): what a program's own
 * code does not need, and what a new primitive or transport is built from.
 * <ul>
 *   <li>{@link io.jasyncio.lowlevel.Suspension}, {@link io.jasyncio.lowlevel.Waker} and
 *       {@link io.jasyncio.lowlevel.Abort}: the one suspension primitive, with a typed waker and
 *       an abort that may answer "too late";</li>
 *   <li>{@link io.jasyncio.lowlevel.ParkingLot}: a FIFO of parked tasks, the waiting structure of
 *       {@code io.jasyncio.sync};</li>
 *   <li>{@link io.jasyncio.lowlevel.Readiness}: waits and callbacks on NIO channels' readiness,
 *       and closing a channel the loop knows, which {@code io.jasyncio.net} is built on;</li>
 *   <li>{@link io.jasyncio.lowlevel.Loops}: the current loop without an exception, and per-thread
 *       loop defaults for harnesses.</li>
 * </ul>
 *
 * <p>This room may use {@code io.jasyncio}, {@link io.jasyncio.time} and the kernel's access door
 * ({@code io.jasyncio.internal.access}); {@code sync} and {@code net} are built on it, and the
 * kernel never names it.
 */
package io.jasyncio.lowlevel;
