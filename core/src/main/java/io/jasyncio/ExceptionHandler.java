package io.jasyncio;

/**
 * Receives the errors nobody else can (asyncio's {@code loop.set_exception_handler}). Called on
 * the loop's thread. The default logs through {@link System.Logger} at ERROR under the logger
 * name {@code io.jasyncio}. A handler that throws is itself logged, never propagated.
 */
@FunctionalInterface
public interface ExceptionHandler {
    void handle(EventLoop loop, ErrorReport report);
}
