package io.jasyncio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked example of docs/testing.md, as tests. */
class BankRaceTest {

    @AsyncTest
    void fifoOrderHidesTheRace() {
        List<String> log = BankRace.scenario();
        assertEquals(List.of(
                "t=0ms alice checks: balance 100 covers 80",
                "t=20ms alice withdraws 80: balance 20",
                "t=20ms bob is refused 50: balance 20"), log);
    }

    @Test
    void seededSchedulesFindTheRaceWithinOneHundredSeeds() {
        Optional<AsyncTestRun.SeedFailure> found = AsyncTestRun.findFailingSeed(0, 100, BankRace::scenario);
        assertTrue(found.isPresent(), "100 seeds should expose the race");
        assertEquals(BankRace.CATCHING_SEED, found.get().seed(), "the seed docs/testing.md quotes");
        AssertionError e = assertInstanceOf(AssertionError.class, found.get().failure());
        assertTrue(e.getMessage().startsWith("account overdrawn: balance -30"), e.getMessage());
    }

    @Test
    void theCatchingSeedReplaysTheSameFailureTenTimesOutOfTen() {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> AsyncTestRun.seeded(BankRace.CATCHING_SEED).run(BankRace::scenario));
            messages.add(e.getMessage());
        }
        assertEquals(10, messages.size());
        assertEquals(List.of(messages.get(0)), messages.stream().distinct().toList(), "every replay fails identically");
        assertEquals("account overdrawn: balance -30 after ["
                + "t=0ms alice checks: balance 100 covers 80, "
                + "t=20ms bob checks: balance 100 covers 50, "
                + "t=20ms alice withdraws 80: balance 20, "
                + "t=40ms bob withdraws 50: balance -30]", messages.get(0));
    }

    /** The fix survives the same exploration: FIFO and 100 seeds. */
    @AsyncTest
    @Schedules(seeds = 100)
    void theFixHoldsUnderEverySchedule() {
        List<String> log = BankRace.scenario(true);
        assertTrue(log.size() >= 3, log::toString);
    }
}
