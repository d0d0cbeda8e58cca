package io.jasyncio;

import java.util.Set;

/**
 * What {@link Async#wait} returns: the awaitables that were done and those still pending when it
 * returned, each set in the order the awaitables were given.
 */
public record WaitResult<T>(Set<Awaitable<T>> done, Set<Awaitable<T>> pending) {
}
