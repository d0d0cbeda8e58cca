package io.jasyncio;

/**
 * How an awaitable ended, as a value: what {@link Async#gatherSettled} returns for each input
 * (asyncio's {@code gather(..., return_exceptions=True)}, typed).
 */
public sealed interface Outcome<T> {

    /** Ended with a value. */
    record Success<T>(T value) implements Outcome<T> {
    }

    /** Ended with an exception; a cancellation is a {@link CancelledException} here. */
    record Failure<T>(Throwable error) implements Outcome<T> {
    }

    /** The value, or throws the failure (unchecked as is, checked wrapped in CompletionException). */
    default T get() {
        if (this instanceof Success<T> s) {
            return s.value();
        }
        throw Async.unchecked(((Failure<T>) this).error());
    }

    default boolean isSuccess() {
        return this instanceof Success<T>;
    }
}
