package io.jasyncio.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * Turns the JDK's I/O exceptions into the typed ones of this package. The JDK reports a reset as a
 * plain {@link IOException} or {@link SocketException} whose only distinguishing mark is its
 * message ("Connection reset", "Connection reset by peer", "Broken pipe"), so that is what we look at.
 */
final class Faults {

    private Faults() {
    }

    static IOException onReadOrWrite(IOException e, String what) {
        if (e instanceof ConnectionResetException || e instanceof ClosedChannelException) {
            return e;
        }
        String m = e.getMessage();
        if (m != null && (m.contains("reset") || m.contains("Broken pipe") || m.contains("broken pipe")
                || m.contains("Connection aborted"))) {
            return new ConnectionResetException("the peer reset the connection during " + what + " (" + m + ")", e);
        }
        return e;
    }

    static IOException onConnect(IOException e, SocketAddress to) {
        if (e instanceof ConnectionRefusedException) {
            return e;
        }
        if (e instanceof ConnectException && (e.getMessage() == null || e.getMessage().contains("refused"))) {
            ConnectionRefusedException r = new ConnectionRefusedException("connection refused by " + to);
            r.initCause(e);
            return r;
        }
        return e;
    }
}
