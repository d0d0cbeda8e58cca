package io.jasyncio;

/**
 * How an awaitable ended, as a value: what {@link Async#gatherSettled} returns for each input
 * (asyncio's {@code gather(..., return_exceptions=True)}, typed).
 *
 * @param <T> the type of the value
 */
public sealed interface Outcome<T> {

    /**
     * Ended with a value.
     *
     * @param <T> the type of the value
     * @param value the value
     */
    record Success<T>(T value) implements Outcome<T> {
    }

    /**
     * Ended with an exception; a cancellation is a {@link CancelledException} here.
     *
     * @param <T> the type the value would have had
     * @param error the exception
     */
    record Failure<T>(Throwable error) implements Outcome<T> {
    }

    /**
     * The value, or throws the failure (unchecked as is, checked wrapped in CompletionException).
     *
     * @return the value
     */
    default T get() {
        if (this instanceof Success<T> s) {
            return s.value();
        }
        throw Async.unchecked(((Failure<T>) this).error());
    }

    /**
     * True for a {@link Success}.
     *
     * @return whether it ended with a value
     */
    default boolean isSuccess() {
        return this instanceof Success<T>;
    }
}
