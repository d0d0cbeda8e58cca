package io.jasyncio.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs a fixture class through the JUnit Platform and records what it reports, as a build tool would see it. */
final class FixtureRunner {

    /** One finished test or container. */
    record Outcome(String displayName, boolean isTest, TestExecutionResult.Status status, Throwable error) {
        boolean failed() {
            return status != TestExecutionResult.Status.SUCCESSFUL;
        }
    }

    private FixtureRunner() {
    }

    static List<Outcome> run(Class<?> fixture) {
        return run(fixture, Map.of());
    }

    /** Runs {@code fixture} with JUnit configuration parameters {@code config} (the -D of a real run). */
    static List<Outcome> run(Class<?> fixture, Map<String, String> config) {
        Map<String, String> params = new HashMap<>();
        // Shield the fixtures from -Djasyncio.seed(s) given to the outer build.
        params.put(AsyncTestExtension.SEED_PROPERTY, "");
        params.put(AsyncTestExtension.SEEDS_PROPERTY, "");
        params.putAll(config);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(fixture))
                .configurationParameters(params)
                .build();
        List<Outcome> outcomes = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    outcomes.add(new Outcome(id.getDisplayName(), id.isTest(), result.getStatus(),
                            result.getThrowable().orElse(null)));
                }
            }
        });
        return outcomes;
    }

    static List<Outcome> tests(List<Outcome> all) {
        return all.stream().filter(Outcome::isTest).toList();
    }

    static List<Outcome> failures(List<Outcome> all) {
        return all.stream().filter(Outcome::failed).toList();
    }
}
