/**
 * What programs call: {@link io.jasyncio.Async} (the static face of {@code asyncio}'s module
 * functions), {@link io.jasyncio.EventLoop}, {@link io.jasyncio.Task}, {@link io.jasyncio.Promise}
 * and the {@link io.jasyncio.Awaitable} they share, {@link io.jasyncio.CancelScope},
 * {@link io.jasyncio.TaskGroup}, the outcomes and handles, and the typed exceptions. This is also
 * the kernel: the scheduler, the one suspension primitive and the cancellation model live here and
 * nowhere else.
 *
 * <p>This room may use {@link io.jasyncio.time} and the internal rooms (the coroutine engines, the
 * timer heap, the I/O backend, and the access door it registers for the low-level room). It never
 * names a room above it ({@code lowlevel}, {@code sync}, {@code net}); what those need from the
 * kernel beyond this public API goes through {@code io.jasyncio.internal.access}. The arrows are
 * checked by core's {@code ArchitectureTest} and drawn in docs/architecture.md.
 */
package io.jasyncio;
