package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one registry ({@link Examples}) against everything that names examples: the usage text,
 * {@code ./jasyncio list}, the runnable classes of this package, and the README's table.
 */
class ExamplesRegistryTest {

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> names() {
        return Examples.every().stream().map(Examples.Entry::name).toList();
    }

    @Test
    void theUsageTextNamesEveryExampleInTheRegistrysOrder() {
        Matcher m = Pattern.compile("(?m)^examples: (.*)$").matcher(run("help"));
        assertTrue(m.find(), "no examples line in the usage text");
        assertEquals(names(), List.of(m.group(1).split(", ")));
    }

    @Test
    void listShowsEveryExampleWithTheCommandThatRunsIt() {
        String list = run("list");
        List<String> listed = list.lines().filter(l -> !l.startsWith(" ")).map(l -> l.split(" ")[0]).toList();
        assertEquals(names(), listed);
        for (Examples.Entry e : Examples.every()) {
            assertTrue(list.contains("   " + e.command() + "\n"), e.name() + ": no command line in\n" + list);
            assertTrue(list.contains("code: " + e.code().getSimpleName() + ".java"), e.name());
        }
    }

    @Test
    void namesAreUnique() {
        assertEquals(names().size(), Set.copyOf(names()).size(), names().toString());
    }

    /**
     * Every class here with a {@code main} is reachable by name: an example in the registry, the
     * launcher itself, or one of the demo's child JVMs (started by the demo, not by hand).
     */
    @Test
    void everyRunnableClassIsARegisteredExample() throws Exception {
        Set<String> runnable = new TreeSet<>();
        for (Class<?> c : classesOfThisPackage()) {
            try {
                Method main = c.getDeclaredMethod("main", String[].class);
                if (Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers())) {
                    runnable.add(c.getSimpleName());
                }
            } catch (NoSuchMethodException notRunnable) {
                // a helper
            }
        }
        runnable.removeAll(Set.of("Main", "DemoClient", "DemoServer"));
        Set<String> registered = new TreeSet<>();
        Examples.every().forEach(e -> registered.add(e.code().getSimpleName()));
        assertTrue(registered.containsAll(runnable), "runnable but not registered: " + difference(runnable, registered));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static List<Class<?>> classesOfThisPackage() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve(Main.class.getPackageName().replace('.', '/'));
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith(".class") && !file.contains("$")) {
                    classes.add(Class.forName(Main.class.getPackageName() + "." + file.substring(0, file.length() - 6)));
                }
            }
        }
        assertTrue(classes.contains(Main.class), "found " + classes);
        return classes;
    }

    /** The README's table of examples has a row for each, in the registry's order. */
    @Test
    void theReadmeTableListsEveryExample() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "README.md not found above " + System.getProperty("user.dir"));
        String readme = Files.readString(dir.resolve("README.md"));
        Matcher m = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|").matcher(readme);
        List<String> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(m.group(1));
        }
        assertEquals(names(), rows);
    }
}
