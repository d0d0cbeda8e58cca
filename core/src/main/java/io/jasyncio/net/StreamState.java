package io.jasyncio.net;

import io.jasyncio.EventLoop;

/**
 * The life of a stream transport (the write side and the whole; the read side's end of stream is
 * the reader's own fact), one field per transport. The table, and the only transitions allowed:
 *
 * <pre>
 *   state        writes            reads            may become
 *   OPEN         yes               yes              EOF_PENDING OUTPUT_SHUT CLOSING CLOSED ABORTED FAILED
 *   EOF_PENDING  StreamClosed..    yes              OUTPUT_SHUT CLOSING CLOSED ABORTED FAILED
 *                (writeEof() with bytes queued: the output is shut once they are flushed)
 *   OUTPUT_SHUT  StreamClosed..    yes              CLOSED ABORTED FAILED
 *   CLOSING      StreamClosed..    yes              CLOSED ABORTED FAILED
 *                (close() with bytes queued: closed once they are flushed)
 *   CLOSED       StreamClosed..    StreamClosed..   (final; closed in order, nothing dropped)
 *   ABORTED      StreamClosed..    StreamClosed..   (final; abort(), or closed with bytes dropped)
 *   FAILED       the fault         the fault        (final; a reset, a broken pipe, an idle timeout)
 * </pre>
 *
 * The channel is open in the first four and closed (key cancelled, waiters woken) in the last three.
 * A transition not in the table is a bug: {@link #check} reports it under {@code -ea} (the tests)
 * and in the loop's debug mode.
 */
enum StreamState {
    OPEN, EOF_PENDING, OUTPUT_SHUT, CLOSING, CLOSED, ABORTED, FAILED;

    private static final boolean ASSERTS = StreamState.class.desiredAssertionStatus();

    /** True once the channel is closed: the final states. */
    boolean isFinal() {
        return this == CLOSED || this == ABORTED || this == FAILED;
    }

    /** True when new writes are refused. */
    boolean refusesWrites() {
        return this != OPEN;
    }

    boolean canBecome(StreamState next) {
        return switch (this) {
            case OPEN -> next != OPEN;
            case EOF_PENDING -> next != OPEN && next != EOF_PENDING;
            case OUTPUT_SHUT, CLOSING -> next.isFinal();
            case CLOSED, ABORTED, FAILED -> false;
        };
    }

    /** Returns {@code next} after checking the transition (under -ea and in debug mode). */
    StreamState check(StreamState next, EventLoop loop, Object owner) {
        if ((ASSERTS || loop.isDebug()) && !canBecome(next)) {
            throw new AssertionError("stream state " + this + " -> " + next + " is not in the table (" + owner + ")");
        }
        return next;
    }
}
