package io.jasyncio.net;

/**
 * Serves one accepted connection (asyncio's {@code client_connected_cb}); runs as its own task.
 * When it returns the connection is closed (after its queued bytes are sent); when it throws,
 * the connection is aborted and the exception goes to the loop's exception handler.
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Serves {@code connection} until done; the connection is closed after this returns.
     *
     * @param connection the accepted connection
     * @throws Exception any failure: the connection is aborted and the exception reported to the loop's
     *     exception handler
     */
    void handle(StreamConnection connection) throws Exception;
}
