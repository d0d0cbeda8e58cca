package io.jasyncio;

/**
 * An error that no caller could receive, handed to the loop's {@link ExceptionHandler}: a
 * callback that threw, a task that failed and whose exception nobody retrieved, a failure during
 * shutdown.
 *
 * @param message   what happened, for a human
 * @param exception the error, or null
 * @param task      the task concerned, or null
 * @param handle    the callback concerned, or null
 */
public record ErrorReport(String message, Throwable exception, Task<?> task, Handle handle) {
}
