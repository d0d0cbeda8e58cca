package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.pattern;
import static io.jasyncio.net.NetTesting.peer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class UnixSocketTest {

    @TempDir
    Path dir;

    /** Our Unix server, an independent blocking JDK client; the socket file is removed on close. */
    @Test
    void serverAgainstBlockingClient() throws Exception {
        Path path = dir.resolve("echo.sock");
        byte[] back = Async.run(() -> {
            StreamServer server = Net.startUnixServer(conn -> {
                assertInstanceOf(UnixDomainSocketAddress.class, conn.localAddress());
                conn.writer().write(conn.reader().readAll());
            }, path);
            assertTrue(Files.exists(path));
            assertEquals(UnixDomainSocketAddress.of(path), server.addresses().get(0));
            CompletableFuture<byte[]> client = peer(() -> {
                try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                    s.write(ByteBuffer.wrap(pattern(500_000, 4)));
                    s.shutdownOutput();
                    return Channels.newInputStream(s).readAllBytes();
                }
            });
            byte[] got = Async.await(client);
            server.close();
            server.awaitClosed();
            assertFalse(Files.exists(path), "the socket file is deleted");
            return got;
        });
        assertArrayEquals(pattern(500_000, 4), back);
    }

    /** Our Unix client, an independent blocking JDK server. */
    @Test
    void connectionAgainstBlockingServer() throws Exception {
        Path path = dir.resolve("plain.sock");
        try (ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ss.bind(UnixDomainSocketAddress.of(path));
            peer(() -> {
                try (SocketChannel s = ss.accept()) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(Channels.newInputStream(s), US_ASCII));
                    String line = in.readLine();
                    s.write(ByteBuffer.wrap(("got " + line + "\n").getBytes(US_ASCII)));
                }
                return null;
            });
            String reply = Async.run(() -> {
                try (StreamConnection c = Net.openUnixConnection(path)) {
                    c.writer().write("unix\n", US_ASCII);
                    return c.reader().readLine(US_ASCII);
                }
            });
            assertEquals("got unix", reply);
        }
    }

    @Test
    void staleSocketFileIsReplacedAndMissingServerIsRefused() throws Exception {
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(path)); // closing does not remove the file
        }
        assertTrue(Files.exists(path));
        Async.run(() -> {
            IOException e = assertThrows(IOException.class, () -> Net.openUnixConnection(path));
            assertInstanceOf(ConnectionRefusedException.class, e);
            StreamServer server = Net.startUnixServer(conn -> conn.writer().write("new\n", US_ASCII), path);
            try (StreamConnection c = Net.openUnixConnection(path)) {
                assertEquals("new", c.reader().readLine(US_ASCII));
            }
            server.close();
            return null;
        });
    }
}
