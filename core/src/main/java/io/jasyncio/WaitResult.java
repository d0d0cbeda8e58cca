package io.jasyncio;

import java.util.Set;

/**
 * What {@link Async#wait} returns: the awaitables that were done and those still pending when it
 * returned, each set in the order the awaitables were given.
 *
 * @param <T> the type of the awaitables' values
 * @param done the awaitables done when {@code wait} returned
 * @param pending those still pending then
 */
public record WaitResult<T>(Set<Awaitable<T>> done, Set<Awaitable<T>> pending) {
}
