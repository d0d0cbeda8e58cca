/**
 * Networking on the event loop: TCP and Unix domain streams, servers, UDP datagrams and TLS, all
 * on the loop's single {@link java.nio.channels.Selector}; nothing here blocks the loop thread.
 *
 * <h2>Map (asyncio → here)</h2>
 * <pre>
 *   open_connection / open_unix_connection   Net.openConnection / Net.openUnixConnection → StreamConnection
 *   start_server / start_unix_server         Net.startServer / Net.startUnixServer → StreamServer
 *   StreamReader / StreamWriter              StreamReader / StreamWriter (conn.reader(), conn.writer())
 *   writer.start_tls                         StreamConnection.startTls(TlsConfig)
 *   create_datagram_endpoint                 Net.openDatagram(DatagramOptions) → DatagramEndpoint
 *   loop.sock_accept / sock_connect / sock_recv(_into) / sock_sendall / sock_recvfrom / sock_sendto
 *                                            Sockets.accept / connect / recv(Into) / sendAll / recvFrom / sendTo
 *   loop.add_reader / add_writer (+ remove)  Readiness.addReader / addWriter (+ remove), io.jasyncio.lowlevel
 *   loop.getaddrinfo                         Net.resolve (off the loop thread)
 * </pre>
 *
 * <h2>How it is built</h2>
 * A stream is a {@code Transport} under a reader and a writer: {@code SocketTransport} over a
 * non-blocking {@code SocketChannel}, and {@code TlsTransport} ({@code SSLEngine}) over that.
 * Reads are pulled by the reading task straight from the socket (no background reader task, no
 * unbounded buffering); writes go to the socket at once and only the rest is queued, flushed by a
 * writability callback. One direct read buffer and one direct write buffer per loop serve every
 * socket, because nothing stays in them across a suspension. A stream that is not a socket (a
 * subprocess pipe) implements {@link io.jasyncio.net.StreamTransport} and gets its reader and
 * writer from {@link io.jasyncio.net.Streams}, through the package-private {@code PlainTransport}.
 *
 * <p>This room may use {@code io.jasyncio}, {@code io.jasyncio.lowlevel} (readiness waits, the
 * parking lot) and {@code io.jasyncio.time}, and nothing of the kernel's internals or of
 * {@code io.jasyncio.sync}: a transport of your own can be written the same way outside jasyncio.
 *
 * <h2>Errors</h2>
 * Checked {@link java.io.IOException}s, typed: {@link io.jasyncio.net.ConnectionRefusedException},
 * {@link io.jasyncio.net.ConnectionResetException}, {@link io.jasyncio.net.ConnectTimeoutException},
 * {@link io.jasyncio.net.IdleTimeoutException}, {@link io.jasyncio.net.DatagramTooLargeException},
 * {@link io.jasyncio.net.IncompleteReadException}, {@link io.jasyncio.net.LimitOverrunException},
 * {@link io.jasyncio.net.StreamClosedException}, {@link io.jasyncio.net.tls.TlsHandshakeException} and
 * its {@link io.jasyncio.net.tls.TlsCertificateException} and
 * {@link io.jasyncio.net.tls.TlsHandshakeTimeoutException}; {@link java.net.UnknownHostException} and
 * {@link java.net.PortUnreachableException} from the JDK. Cancellation is
 * {@link io.jasyncio.CancelledException} at the suspension point, as everywhere; a cancelled
 * connect or handshake closes its socket, a cancelled read or drain loses nothing.
 *
 * <h2>Conventions</h2>
 * Methods that may suspend say so; {@code *Nowait} never suspends; {@code await*} waits for a
 * state; {@code close()} never suspends (it starts an orderly close, {@code awaitClosed()} waits for
 * it), {@code closeWithin(d)} waits at most {@code d} for it and then aborts, and {@code abort()}
 * drops what is queued. Options classes are fluent, mutable, and copied when
 * used.
 */
package io.jasyncio.net;
