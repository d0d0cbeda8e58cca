package io.jasyncio;

/** When {@link Async#wait} returns (asyncio's {@code return_when}). */
public enum WaitMode {
    /** As soon as any one is done. */
    FIRST_COMPLETED,
    /** As soon as any one fails or is cancelled, or when all are done. */
    FIRST_EXCEPTION,
    /** When all are done. */
    ALL_COMPLETED
}
