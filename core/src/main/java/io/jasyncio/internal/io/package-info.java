/**
 * Internal, not exported: the loop's I/O backend behind one small seam,
 * {@link io.jasyncio.internal.io.IoBackend} (register interest, poll with a deadline, wake up from
 * another thread, close a channel), and {@link io.jasyncio.internal.io.SelectorBackend}, the JDK
 * {@code Selector} behind it. A backend holds opaque targets and hands them back through the loop's
 * {@link io.jasyncio.internal.io.IoBackend.Dispatcher}; it never names a task or a loop, and uses only
 * the JDK. A second backend is one class implementing {@code IoBackend}.
 */
package io.jasyncio.internal.io;
