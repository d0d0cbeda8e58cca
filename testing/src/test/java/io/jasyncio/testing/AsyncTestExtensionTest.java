package io.jasyncio.testing;

import static io.jasyncio.testing.FixtureRunner.failures;
import static io.jasyncio.testing.FixtureRunner.tests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.testing.FixtureRunner.Outcome;
import io.jasyncio.time.DeadlockException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** What the extension reports to JUnit, checked by running fixture classes through the launcher. */
class AsyncTestExtensionTest {

    @BeforeEach
    void clear() {
        ExtensionFixtures.SEEN.clear();
    }

    @Test
    void aTestRunsOnTheLoopWithItsPartsInjectedAndOncePerSchedule() {
        List<Outcome> all = FixtureRunner.run(ExtensionFixtures.Passing.class);
        assertEquals(List.of(), failures(all), () -> "" + failures(all));
        List<String> names = tests(all).stream().map(Outcome::displayName).toList();
        assertEquals(List.of("fifo order", "fifo order", "seed 10", "seed 11", "seed 12", "seed 13", "seed 14"), names);
        assertEquals(List.of("fifo", "seed 10", "seed 11", "seed 12", "seed 13", "seed 14"), ExtensionFixtures.SEEN);
    }

    @Test
    void aLeftoverTaskFailsTheTest() {
        Throwable e = onlyFailure(FixtureRunner.run(ExtensionFixtures.LeftoverTask.class));
        LeftoverWorkError l = assertInstanceOf(LeftoverWorkError.class, e);
        assertTrue(l.getMessage().contains("1 task was still running") && l.getMessage().contains("forgotten"), l.getMessage());
    }

    @Test
    void aFailureNobodyRetrievedFailsTheTest() {
        Throwable e = onlyFailure(FixtureRunner.run(ExtensionFixtures.UnretrievedError.class));
        LeftoverWorkError l = assertInstanceOf(LeftoverWorkError.class, e);
        assertTrue(l.getMessage().contains("task 'doomed' failed and its exception was never retrieved"), l.getMessage());
        assertEquals("boom", l.getSuppressed()[0].getMessage(), "the error itself is attached, with its stack trace");
    }

    @Test
    void aRegisteredChannelLeftOpenFailsTheTestAndIsClosed() throws IOException {
        try {
            Throwable e = onlyFailure(FixtureRunner.run(ExtensionFixtures.OpenChannel.class));
            LeftoverWorkError l = assertInstanceOf(LeftoverWorkError.class, e);
            assertTrue(l.getMessage().contains("1 channel registered with the loop was still open"), l.getMessage());
            assertTrue(!ExtensionFixtures.OpenChannel.pipe.source().isOpen(), "cleanup closed it");
        } finally {
            ExtensionFixtures.OpenChannel.pipe.sink().close();
        }
    }

    @Test
    void aDeadlockFailsWithTheStuckTasksInsteadOfHanging() {
        Throwable e = onlyFailure(FixtureRunner.run(ExtensionFixtures.Deadlocked.class));
        DeadlockException d = assertInstanceOf(DeadlockException.class, e);
        assertTrue(d.getMessage().contains("'main' PARKED") && d.getMessage().contains("'helper' PARKED"), d.getMessage());
        assertTrue(d.getMessage().contains("awaiting Promise[pending]"), d.getMessage());
    }

    @Test
    void aTestHangingOnRealIoTimesOutWithTheTaskDump() {
        Throwable e = onlyFailure(FixtureRunner.run(ExtensionFixtures.HangsOnRealIo.class));
        TestTimeoutError t = assertInstanceOf(TestTimeoutError.class, e);
        assertTrue(t.getMessage().startsWith("the test did not finish within 300 ms of real time"), t.getMessage());
        assertTrue(t.getMessage().matches("(?s).*#1 'main' PARKED for [^\\n]*: socket accept on tcp server 127\\.0\\.0\\.1:\\d+.*"),
                t.getMessage());
        assertTrue(t.getMessage().contains("at io.jasyncio.testing.ExtensionFixtures$HangsOnRealIo.acceptsAConnectionNobodyMakes("),
                t.getMessage());
    }

    @Test
    void aTestBlockingTheLoopThreadTimesOutWithItsStack() {
        Throwable e = onlyFailure(FixtureRunner.run(ExtensionFixtures.BlocksTheLoop.class));
        TestTimeoutError t = assertInstanceOf(TestTimeoutError.class, e);
        assertTrue(t.getMessage().contains("#1 'main' RUNNING"), t.getMessage());
        assertTrue(t.getMessage().contains("at java.base/java.lang.Thread.sleep("), t.getMessage());
        assertInstanceOf(InterruptedException.class, t.getSuppressed()[0], "the blocked call was interrupted");
    }

    @Test
    void theRaceIsReportedWithItsSeedAndTheCommandThatRerunsIt() {
        List<Outcome> all = FixtureRunner.run(ExtensionFixtures.Race.class);
        assertEquals(101, tests(all).size());
        List<Outcome> failed = failures(all);
        assertEquals(49, failed.size(), "49 of the 100 seeds catch it; FIFO does not");
        Outcome first = failed.get(0);
        assertEquals("seed " + BankRace.CATCHING_SEED, first.displayName());
        ScheduleFailure f = assertInstanceOf(ScheduleFailure.class, first.error());
        assertEquals(BankRace.CATCHING_SEED, f.seed());
        assertTrue(f.getMessage().startsWith("failed under schedule seed 4: java.lang.AssertionError: account overdrawn"),
                f.getMessage());
        assertTrue(f.getMessage().contains("Rerun only this seed with -Djasyncio.seed=4"), f.getMessage());
        assertTrue(f.getMessage().contains("mvn test -pl testing -am -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dtest='ExtensionFixtures$Race#neverOverdraws' -Djasyncio.seed=4"), f.getMessage());
        assertTrue(f.getCause().getMessage().startsWith("account overdrawn: balance -30"));
    }

    @Test
    void theSeedPropertyRerunsOnlyThatSeedAndItFailsTheSameWayTenTimesOutOfTen() {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<Outcome> all = FixtureRunner.run(ExtensionFixtures.Race.class,
                    Map.of(AsyncTestExtension.SEED_PROPERTY, "" + BankRace.CATCHING_SEED));
            assertEquals(List.of("seed 4"), tests(all).stream().map(Outcome::displayName).toList());
            messages.add(onlyFailure(all).getCause().getMessage());
        }
        assertEquals(1, new HashSet<>(messages).size(), "ten identical failures: " + messages);
        assertTrue(messages.get(0).startsWith("account overdrawn: balance -30"), messages.get(0));
    }

    @Test
    void theSeedsPropertyChangesHowManySeedsRun() {
        List<Outcome> all = FixtureRunner.run(ExtensionFixtures.Race.class, Map.of(AsyncTestExtension.SEEDS_PROPERTY, "4"));
        assertEquals(List.of("fifo order", "seed 0", "seed 1", "seed 2", "seed 3"),
                tests(all).stream().map(Outcome::displayName).toList());
        assertEquals(List.of(), failures(all), "seeds 0-3 happen not to catch the race");
    }

    @Test
    void misconfigurationIsAClearError() {
        Throwable e = onlyFailure(FixtureRunner.run(ExtensionFixtures.Race.class, Map.of(AsyncTestExtension.SEED_PROPERTY, "four")));
        assertInstanceOf(ExtensionConfigurationException.class, e);
        assertTrue(e.getMessage().contains("-Djasyncio.seed must be a whole number"), e.getMessage());

        Throwable none = onlyFailure(FixtureRunner.run(ExtensionFixtures.NoSchedules.class));
        assertTrue(none.getMessage().contains("leaves no schedule to run"), none.getMessage());
    }

    @Test
    void onPlainTestsOneClassAnnotationSeedsTheLoopsTheyCreate() {
        List<Outcome> all = FixtureRunner.run(ExtensionFixtures.PlainTests.class);
        assertEquals(3, tests(all).size());

        // recordsItsSchedule ran 21 times (FIFO, seeds 0-19) in one invocation, under varied orders.
        assertEquals(21, ExtensionFixtures.SEEN.size());
        assertEquals("0123", ExtensionFixtures.SEEN.get(0), "FIFO first");
        assertTrue(new HashSet<>(ExtensionFixtures.SEEN).size() > 5, "seeds vary the order: " + ExtensionFixtures.SEEN);

        Outcome race = tests(all).stream().filter(o -> o.displayName().startsWith("raceShowsUnderSomeSeed")).findFirst().orElseThrow();
        ScheduleFailure f = assertInstanceOf(ScheduleFailure.class, race.error());
        assertEquals(BankRace.CATCHING_SEED, f.seed(), "the same seeds catch it as under @AsyncTest");

        Outcome leak = tests(all).stream().filter(o -> o.displayName().startsWith("leavesAFailure")).findFirst().orElseThrow();
        LeftoverWorkError l = assertInstanceOf(LeftoverWorkError.class, leak.error());
        assertTrue(l.getMessage().contains("task 'doomed' failed"), l.getMessage());
    }

    @Test
    void onParameterizedAndRepeatedTestsEachInvocationRunsEverySchedule() {
        List<Outcome> all = FixtureRunner.run(ExtensionFixtures.TemplateTests.class);
        assertEquals(List.of(), failures(all), () -> "" + failures(all));
        assertEquals(4, tests(all).size());
        List<String> once = List.of("fifo", "shuffled", "shuffled", "shuffled");
        List<String> expected = new ArrayList<>();
        for (String invocation : List.of("a", "b", "r", "r")) {
            once.forEach(s -> expected.add(invocation + " " + s));
        }
        List<String> seen = new ArrayList<>(ExtensionFixtures.SEEN);
        // JUnit orders methods deterministically but not by source order: compare per invocation.
        assertEquals(expected.stream().sorted().toList(), seen.stream().sorted().toList(), seen.toString());
        for (int i = 0; i < seen.size(); i += 4) {
            assertTrue(seen.get(i).endsWith(" fifo"), "FIFO first in each invocation: " + seen);
        }
    }

    private static Throwable onlyFailure(List<Outcome> all) {
        List<Outcome> failed = failures(all);
        assertEquals(1, failed.size(), () -> "expected one failure, got " + failed);
        return failed.get(0).error();
    }
}
