package io.jasyncio;

/**
 * Receives the errors nobody else can (asyncio's {@code loop.set_exception_handler}). Called on
 * the loop's thread. The default logs through {@link System.Logger} at ERROR under the logger
 * name {@code io.jasyncio}. A handler that throws is itself logged, never propagated.
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * Handles {@code report}; on the loop's thread, and should not block.
     *
     * @param loop the loop the error happened on
     * @param report what happened
     */
    void handle(EventLoop loop, ErrorReport report);
}
