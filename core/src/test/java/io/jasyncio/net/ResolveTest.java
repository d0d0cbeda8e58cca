package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ResolveTest {

    @Test
    void resolutionRunsOffTheLoopThread() {
        List<String> threads = new ArrayList<>();
        Async.run(() -> {
            String loopThread = Thread.currentThread().getName();
            Resolver r = host -> {
                threads.add(Thread.currentThread().getName());
                return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
            };
            List<InetSocketAddress> a = Net.resolve("example.test", 80, r);
            assertEquals(List.of(new InetSocketAddress(InetAddress.getByAddress("example.test", new byte[] {127, 0, 0, 1}), 80)), a);
            assertEquals(1, threads.size());
            assertNotEquals(loopThread, threads.get(0));
            assertTrue(threads.get(0).startsWith("jasyncio-worker"), threads.get(0));
            return null;
        });
    }

    @Test
    void ipLiteralsNeedNoLookup() {
        Async.run(() -> {
            Resolver never = host -> {
                throw new AssertionError("a literal must not be looked up: " + host);
            };
            assertEquals("127.0.0.1", Net.resolve("127.0.0.1", 1, never).get(0).getAddress().getHostAddress());
            assertTrue(Net.resolve("::1", 1, never).get(0).getAddress().isLoopbackAddress());
            assertTrue(Net.resolve("[::1]", 1, never).get(0).getAddress().isLoopbackAddress());
            return null;
        });
    }

    @Test
    void theLoopKeepsRunningWhileAResolutionBlocks() {
        Async.run(() -> {
            CountDownLatch release = new CountDownLatch(1);
            Resolver slow = host -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new UnknownHostException("interrupted");
                }
                return List.of(InetAddress.getLoopbackAddress());
            };
            var resolving = Async.spawn(() -> Net.resolve("slow.test", 9, slow));
            int ticks = 0;
            for (int i = 0; i < 5; i++) {
                Async.sleep(Duration.ofMillis(5));
                ticks++;
            }
            assertEquals(5, ticks);
            release.countDown();
            assertEquals(9, resolving.await().get(0).getPort());
            return null;
        });
    }

    @Test
    void unknownHostIsTyped() {
        Async.run(() -> {
            Resolver none = host -> {
                throw new UnknownHostException(host + ": no such host");
            };
            assertThrows(UnknownHostException.class, () -> Net.openConnection("nowhere.test", 80, ConnectOptions.defaults().resolver(none)));
            return null;
        });
    }

    @Test
    void localhostResolvesWithTheSystemResolver() {
        Async.run(() -> {
            List<InetSocketAddress> a = Net.resolve("localhost", 5);
            assertTrue(a.stream().allMatch(x -> x.getAddress().isLoopbackAddress()), a.toString());
            return null;
        });
    }

    /** The first address refuses, the second (127.0.0.2, also loopback) accepts: connecting tries each in turn. */
    @Test
    void connectTriesEachAddressInTurn() {
        String reply = Async.run(() -> {
            StreamServer server = Net.startServer(conn -> conn.writer().write("from 127.0.0.2\n", US_ASCII), "127.0.0.2", 0);
            List<String> asked = new ArrayList<>();
            Resolver two = host -> {
                asked.add(host);
                return List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"));
            };
            try (StreamConnection c = Net.openConnection("two.test", server.port(), ConnectOptions.defaults().resolver(two))) {
                assertEquals("127.0.0.2", ((InetSocketAddress) c.remoteAddress()).getAddress().getHostAddress());
                assertEquals(List.of("two.test"), asked);
                String line = c.reader().readLine(US_ASCII);
                server.close();
                return line;
            }
        });
        assertEquals("from 127.0.0.2", reply);
    }

    @Test
    void whenEveryAddressFailsTheFirstErrorCarriesTheOthers() throws Exception {
        int port;
        try (var ss = NetTesting.blockingServer()) {
            port = ss.getLocalPort();
        }
        Async.run(() -> {
            Resolver two = host -> List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.3"));
            ConnectionRefusedException e = assertThrows(ConnectionRefusedException.class,
                    () -> Net.openConnection("two.test", port, ConnectOptions.defaults().resolver(two)));
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
            assertEquals(1, e.getSuppressed().length);
            assertTrue(e.getSuppressed()[0].getMessage().contains("127.0.0.3"));
            return null;
        });
    }
}
