package io.jasyncio;

/**
 * A block of code run inline by the current task (a cancel scope's body, a timeout's body, a
 * shielded section). Its checked exception type is inferred from the lambda, so a body that
 * throws {@code IOException} makes the enclosing call throw {@code IOException}, and a body that
 * throws nothing checked makes it throw nothing checked. Return {@code null} from a body that has
 * no value.
 *
 * @param <T> the type of the value
 * @param <E> the checked exception the body may throw, inferred from the lambda
 */
@FunctionalInterface
public interface ThrowingSupplier<T, E extends Exception> {
    /**
     * Runs the block.
     *
     * @return its value, or {@code null} for none
     * @throws E the block's exception
     */
    T get() throws E;
}
