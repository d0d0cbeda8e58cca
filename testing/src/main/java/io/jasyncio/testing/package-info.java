/**
 * Deterministic tests for jasyncio code.
 *
 * <ul>
 * <li>{@link io.jasyncio.time.VirtualClock}: virtual time that jumps to the next timer when
 *     every task waits, so sleeping an hour takes microseconds;
 * <li>seeded schedules: the core loop's {@code scheduleSeed} mode explores the orders in which
 *     ready tasks could run, reproducibly;
 * <li>{@link io.jasyncio.testing.AsyncTest} and {@link io.jasyncio.testing.Schedules}: a JUnit 5
 *     extension that runs a test method as the main coroutine of a fresh loop on virtual time,
 *     under one or many seeds, and fails it for leftover tasks, unretrieved errors and open
 *     channels;
 * <li>{@link io.jasyncio.testing.AsyncTestRun}: the same run without JUnit.
 * </ul>
 * See {@code docs/testing.md} for the guide.
 */
package io.jasyncio.testing;
