package io.jasyncio.process;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * What {@link Subprocess#communicate} returns: the exit code and everything the child wrote to
 * its piped stdout and stderr (Python's {@code CompletedProcess}; asyncio's {@code communicate}
 * returns the two outputs and sets {@code returncode}).
 *
 * @param returnCode the exit code, or minus the signal that killed it (see {@link Subprocess#returnCode()})
 * @param stdout     everything written to stdout, or {@code null} if stdout was not piped
 * @param stderr     everything written to stderr, or {@code null} if stderr was not piped
 */
public record ProcessResult(int returnCode, byte[] stdout, byte[] stderr) {

    /**
     * stdout as UTF-8 text.
     *
     * @return the text, or {@code null} if stdout was not piped
     */
    public String stdoutText() {
        return text(stdout, StandardCharsets.UTF_8);
    }

    /**
     * stderr as UTF-8 text.
     *
     * @return the text, or {@code null} if stderr was not piped
     */
    public String stderrText() {
        return text(stderr, StandardCharsets.UTF_8);
    }

    private static String text(byte[] b, Charset cs) {
        return b == null ? null : new String(b, cs);
    }
}
