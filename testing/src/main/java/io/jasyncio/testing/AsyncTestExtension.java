package io.jasyncio.testing;

import io.jasyncio.ErrorReport;
import io.jasyncio.EventLoop;
import io.jasyncio.lowlevel.Loops;
import io.jasyncio.time.VirtualClock;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link AsyncTest} and {@link Schedules}; those annotations register
 * it, so tests rarely name it. It works with any launcher (Surefire, Gradle, IDEs): each schedule of
 * an {@code @AsyncTest} method is a test-template invocation, and the method body runs inside an
 * invocation interceptor as the main coroutine of the invocation's loop.
 */
public final class AsyncTestExtension implements TestTemplateInvocationContextProvider, InvocationInterceptor {

    /** System property or JUnit configuration parameter: run only this seed of every {@link Schedules} test. */
    public static final String SEED_PROPERTY = "jasyncio.seed";
    /** System property or JUnit configuration parameter: the number of seeds, overriding {@link Schedules#seeds()}. */
    public static final String SEEDS_PROPERTY = "jasyncio.seeds";

    /** Made by JUnit. */
    public AsyncTestExtension() {
    }

    // ------------------------------------------------------------------ @AsyncTest: one invocation per schedule

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, AsyncTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return plan(context).stream().map(Schedule::new);
    }

    /** One schedule of an {@code @AsyncTest} method: its name, and the per-invocation extension. */
    private static final class Schedule implements TestTemplateInvocationContext {
        private final Long seed;

        Schedule(Long seed) {
            this.seed = seed;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return seed == null ? "fifo order" : "seed " + seed;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new PerInvocation(seed));
        }
    }

    /** Owns the invocation's {@link AsyncTestRun}: injects its parts, runs the method on its loop. */
    private static final class PerInvocation implements ParameterResolver, InvocationInterceptor, AfterEachCallback {
        private final Long seed;
        private AsyncTestRun run;

        PerInvocation(Long seed) {
            this.seed = seed;
        }

        private AsyncTestRun run() {
            if (run == null) {
                run = AsyncTestRun.of(seed);
            }
            return run;
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            Class<?> type = p.getParameter().getType();
            return type == EventLoop.class || type == VirtualClock.class || type == AsyncTestRun.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            Class<?> type = p.getParameter().getType();
            if (type == EventLoop.class) {
                return run().loop();
            }
            if (type == VirtualClock.class) {
                return run().clock();
            }
            return run();
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                                ExtensionContext context) throws Throwable {
            AsyncTest a = call.getExecutable().getAnnotation(AsyncTest.class);
            if (a != null && a.timeoutMillis() >= 0) {
                run().timeout(java.time.Duration.ofMillis(a.timeoutMillis()));
            }
            Throwable failure = run().execute(invocation::proceed);
            if (failure != null) {
                throw seed == null ? failure : new ScheduleFailure(seed, rerunCommand(context, seed), failure);
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            // If the method never ran (a lifecycle method or another resolver failed), still release the loop.
            if (run != null && !run.loop().isClosed() && !run.loop().isRunning()) {
                run.loop().close();
            }
        }
    }

    // ------------------------------------------------------------------ @Schedules on plain @Test methods

    /**
     * Runs a plain {@code @Test} method once per schedule of the {@link Schedules} on it or its
     * class, with the loops it creates seeded through {@link io.jasyncio.lowlevel.Loops#setThreadDefaults}.
     */
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        if (findSchedules(context).isEmpty()) {
            invocation.proceed();
            return;
        }
        boolean first = true;
        for (Long seed : plan(context)) {
            AsyncTestRun.Body body = first ? invocation::proceed : () -> invokeAgain(call);
            first = false;
            Throwable failure = runWithLoopDefaults(seed, body);
            if (failure != null) {
                throw seed == null ? failure : new ScheduleFailure(seed, rerunCommand(context, seed), failure);
            }
        }
    }

    /**
     * The same for each invocation of a {@code @ParameterizedTest}, {@code @RepeatedTest} or other
     * test template that is not an {@link AsyncTest} (whose invocations are schedules already, run
     * by {@link PerInvocation}): every invocation runs once per schedule.
     */
    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        if (AnnotationSupport.isAnnotated(call.getExecutable(), AsyncTest.class)) {
            invocation.proceed();
            return;
        }
        interceptTestMethod(invocation, call, context);
    }

    private static void invokeAgain(ReflectiveInvocationContext<Method> call) throws Throwable {
        Method m = call.getExecutable();
        try {
            m.setAccessible(true);
            m.invoke(call.getTarget().orElse(null), call.getArguments().toArray());
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Throwable runWithLoopDefaults(Long seed, AsyncTestRun.Body body) {
        List<ErrorReport> errors = new ArrayList<>();
        Loops.setThreadDefaults(b -> {
            b.clock(new VirtualClock()).exceptionHandler((loop, report) -> errors.add(report));
            if (seed != null) {
                b.scheduleSeed(seed);
            }
        });
        Throwable failure = null;
        try {
            body.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            Loops.setThreadDefaults(null);
        }
        if (errors.isEmpty()) {
            return failure;
        }
        List<Throwable> causes = new ArrayList<>();
        String description = AsyncTestRun.describeHandlerErrors(errors, causes);
        LeftoverWorkError leftovers = new LeftoverWorkError(List.of(description), causes);
        if (failure == null) {
            return leftovers;
        }
        failure.addSuppressed(leftovers);
        return failure;
    }

    // ------------------------------------------------------------------ schedules and reruns

    /** The schedules to run: null for FIFO order, else a seed. */
    static List<Long> plan(ExtensionContext context) {
        Optional<Schedules> found = findSchedules(context);
        List<Long> plan = new ArrayList<>();
        if (found.isEmpty()) {
            plan.add(null);
            return plan;
        }
        Schedules s = found.get();
        Optional<String> only = context.getConfigurationParameter(SEED_PROPERTY).map(String::trim).filter(v -> !v.isEmpty());
        if (only.isPresent()) {
            try {
                plan.add(Long.parseLong(only.get()));
            } catch (NumberFormatException e) {
                throw new ExtensionConfigurationException("-D" + SEED_PROPERTY + " must be a whole number (a seed), not '"
                        + only.get() + "'", e);
            }
            return plan;
        }
        int count = s.seeds();
        Optional<String> override = context.getConfigurationParameter(SEEDS_PROPERTY).map(String::trim).filter(v -> !v.isEmpty());
        if (override.isPresent()) {
            try {
                count = Integer.parseInt(override.get());
            } catch (NumberFormatException e) {
                throw new ExtensionConfigurationException("-D" + SEEDS_PROPERTY + " must be a whole number of seeds, not '"
                        + override.get() + "'", e);
            }
        }
        if (count < 0) {
            throw new ExtensionConfigurationException("the number of seeds must not be negative: " + count);
        }
        if (s.fifo()) {
            plan.add(null);
        }
        for (int i = 0; i < count; i++) {
            plan.add(s.firstSeed() + i);
        }
        if (plan.isEmpty()) {
            throw new ExtensionConfigurationException("@Schedules(seeds = 0, fifo = false) leaves no schedule to run");
        }
        return plan;
    }

    /** {@code @Schedules} on the method, else on its class, its superclasses or an enclosing class. */
    static Optional<Schedules> findSchedules(ExtensionContext context) {
        Optional<Schedules> s = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, Schedules.class));
        for (ExtensionContext c = context; s.isEmpty() && c != null; c = c.getParent().orElse(null)) {
            Optional<? extends AnnotatedElement> element = c.getTestClass();
            if (element.isPresent()) {
                s = AnnotationSupport.findAnnotation(element.get(), Schedules.class);
            }
        }
        return s;
    }

    /**
     * A Maven command that reruns only {@code seed} of this test, from the build's root directory:
     * the module is found by walking up from the working directory (Surefire runs tests in the
     * module's directory) while the parent has a {@code pom.xml}.
     */
    static String rerunCommand(ExtensionContext context, long seed) {
        String cls = context.getRequiredTestClass().getName();
        cls = cls.substring(cls.lastIndexOf('.') + 1);
        String test = cls + "#" + context.getRequiredTestMethod().getName();
        String module = "";
        try {
            Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
            if (Files.exists(dir.resolve("pom.xml"))) {
                Path root = dir;
                while (root.getParent() != null && Files.exists(root.getParent().resolve("pom.xml"))) {
                    root = root.getParent();
                }
                String rel = root.relativize(dir).toString().replace('\\', '/');
                if (!rel.isEmpty()) {
                    module = " -pl " + rel + " -am -Dsurefire.failIfNoSpecifiedTests=false";
                }
            }
        } catch (RuntimeException e) {
            // No module path then: the command still works from the module's own directory.
        }
        return "mvn test" + module + " -Dtest='" + test + "' -D" + SEED_PROPERTY + "=" + seed;
    }
}
