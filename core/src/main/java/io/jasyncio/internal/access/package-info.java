/**
 * Internal, not exported: the kernel's door for the low-level room (the JDK's "shared secrets"
 * pattern). {@link io.jasyncio.internal.access.KernelAccess} says what {@code io.jasyncio.lowlevel}
 * may do to tasks and loops beyond their public API; the kernel implements it and registers it in
 * {@link io.jasyncio.internal.access.Access}. Generic over the kernel's types, so this room names
 * nothing above it and uses only the JDK.
 */
package io.jasyncio.internal.access;
