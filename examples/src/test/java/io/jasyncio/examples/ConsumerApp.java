package io.jasyncio.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A throw-away application that uses jasyncio as a user's own would: its source compiled here
 * against the core jar, packaged into a jar of its own beside {@code lib/jasyncio-core.jar}, and
 * started in a new JVM of the JDK running the tests. One place for every consumer test: a class
 * path app started with {@code java -jar}, and (with {@link #compile}'s options and
 * {@link #run}'s arguments) a module path one.
 *
 * <p>Layout in its directory: {@code src/} the sources, {@code classes/} what they compile to,
 * {@code lib/jasyncio-core.jar}, and the jars {@link #jar} writes.
 */
final class ConsumerApp {

    /** The core jar's path inside the app's directory, as a manifest's Class-Path names it. */
    static final String CORE_JAR = "lib/jasyncio-core.jar";

    /** An app whose main prints {@code engine=<the engine jasyncio chose>}. */
    static final String ENGINE_PROBE = """
            package app;

            import io.jasyncio.Async;

            public class Main {
                public static void main(String[] args) {
                    System.out.println("engine=" + Async.run(() -> Async.currentLoop().engineName()));
                }
            }
            """;

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final Path dir;

    private ConsumerApp(Path dir) {
        this.dir = dir;
    }

    /**
     * A new app in {@code dir}, with jasyncio's core jar copied to {@link #CORE_JAR}: the jar the
     * build made, or, when the tests run before packaging ({@code mvn test}), a jar of core's
     * classes with the same manifest entries as core's pom gives its jar.
     */
    static ConsumerApp in(Path dir) throws IOException {
        ConsumerApp app = new ConsumerApp(dir);
        Path core = coreLocation();
        Path target = dir.resolve(CORE_JAR);
        Files.createDirectories(target.getParent());
        if (Files.isDirectory(core)) {
            jar(target, core, Map.of("Add-Exports", "java.base/jdk.internal.vm", "Automatic-Module-Name", "io.jasyncio"));
        } else {
            Files.copy(core, target);
        }
        return app;
    }

    /** Where the class path of this JVM has jasyncio's core: its jar, or its classes directory. */
    private static Path coreLocation() {
        try {
            return Path.of(io.jasyncio.Async.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The core jar's manifest attributes, for tests that rely on what it carries. */
    Attributes coreManifest() throws IOException {
        try (JarFile j = new JarFile(dir.resolve(CORE_JAR).toFile())) {
            return j.getManifest().getMainAttributes();
        }
    }

    /**
     * Compiles {@code source} (a compilation unit whose path under {@code src/} is {@code path},
     * such as {@code app/Main.java}) into {@code classes/}, with the core jar on the class path
     * unless {@code options} says otherwise (for example {@code --module-path}).
     */
    ConsumerApp compile(String path, String source, List<String> options) throws IOException {
        return compile(Map.of(path, source), options);
    }

    /**
     * Compiles these compilation units together (path under {@code src/} to source; a module's
     * {@code module-info.java} with its classes), as {@link #compile(String, String, List)} does one.
     */
    ConsumerApp compile(Map<String, String> sources, List<String> options) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString()));
        if (options.isEmpty()) {
            args.addAll(List.of("-cp", dir.resolve(CORE_JAR).toString()));
        }
        args.addAll(options);
        for (Map.Entry<String, String> unit : sources.entrySet()) {
            Path file = dir.resolve("src").resolve(unit.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, unit.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home") + ": tests need a JDK");
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        if (javac.run(null, messages, messages, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the consumer app did not compile:\n" + messages.toString(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** The compiled classes as {@code name} in the app's directory, with these main manifest attributes. */
    Path jar(String name, Map<String, String> manifest) throws IOException {
        Path jar = dir.resolve(name);
        jar(jar, dir.resolve("classes"), manifest);
        return jar;
    }

    /** {@code java args...} in the app's directory. */
    JavaProcess.Result run(String... args) {
        return JavaProcess.run(dir, LIMIT, List.of(args));
    }

    private static void jar(Path jar, Path classes, Map<String, String> attributes) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((k, v) -> m.getMainAttributes().put(new Attributes.Name(k), v));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String entry = classes.relativize(f).toString().replace('\\', '/');
                if (entry.equals(JarFile.MANIFEST_NAME)) {
                    continue; // the one above replaces it
                }
                out.putNextEntry(new JarEntry(entry));
                Files.copy(f, out);
                out.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
