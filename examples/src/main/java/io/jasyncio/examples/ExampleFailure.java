package io.jasyncio.examples;

import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A failure at run time that the example has put into words: what went wrong, where, and what to
 * do about it. {@link Main} prints the message on one line after the example's name and exits
 * with status 1, with no stack trace: the message is the whole story. (A bad command line is an
 * {@link Args.UsageException} instead, status 2.)
 */
final class ExampleFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExampleFailure(String problemAndFix) {
        super(problemAndFix);
    }

    ExampleFailure(String problemAndFix, Throwable cause) {
        super(problemAndFix, cause);
    }

    /**
     * Why a server could not listen on {@code host:port}: {@code e} is what binding or resolving
     * threw. Names the address, since the JDK's {@link BindException} does not.
     */
    static ExampleFailure cannotListen(String host, int port, IOException e) {
        String where = "cannot listen on " + Addresses.of(host, port) + ": ";
        if (e instanceof UnknownHostException) {
            return new ExampleFailure("cannot resolve the host '" + host + "'; give --host an address of this machine,"
                    + " such as 127.0.0.1 or 0.0.0.0", e);
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("already in use")) {
            return new ExampleFailure(where + "the address is already in use; stop the program that uses it, or choose"
                    + " another port with --port (--port 0 takes any free one)", e);
        }
        if (m.contains("cannot assign requested address")) {
            return new ExampleFailure(where + "that is not an address of this machine; give --host one that is, such as"
                    + " 127.0.0.1 or 0.0.0.0", e);
        }
        if (m.contains("permission denied") || m.contains("access denied")) {
            return new ExampleFailure(where + "permission denied (ports below 1024 need privileges); choose a port from"
                    + " 1024 up with --port", e);
        }
        return new ExampleFailure(where + e.getMessage() + "; check --host and --port", e);
    }

    /** The first {@code type} in {@code t}'s cause chain, or null. */
    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
