package io.jasyncio.net.tls;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The TLS room's one rule: nothing in {@code io.jasyncio.net.tls} uses {@code io.jasyncio.net}
 * (the arrow runs from net to net.tls only). Read from the compiled classes: a class's references
 * to other classes are in its constant pool as internal names ({@code io/jasyncio/net/Net}), while
 * Javadoc links leave nothing there, so a comment may still point at net.
 */
class TlsRoomTest {

    private static final Pattern NET_CLASS = Pattern.compile("io/jasyncio/net/(?!tls/)[A-Za-z0-9_$/]+");

    @Test
    void netTlsUsesNothingOfNet() throws Exception {
        URL here = TlsConfig.class.getResource("TlsConfig.class");
        assertEquals("file", here.getProtocol(), "the test reads the class files of a directory: " + here);
        Path dir = Path.of(here.toURI()).getParent();
        List<String> offences = new ArrayList<>();
        int classes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                classes++;
                String pool;
                try (InputStream in = Files.newInputStream(f)) {
                    pool = new String(in.readAllBytes(), ISO_8859_1);
                }
                Matcher m = NET_CLASS.matcher(pool);
                while (m.find()) {
                    offences.add(f.getFileName() + " uses " + m.group());
                }
            }
        }
        assertTrue(classes >= 4, "found only " + classes + " classes in " + dir);
        assertTrue(offences.isEmpty(), "io.jasyncio.net.tls must not use io.jasyncio.net: " + offences);
    }
}
