package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FetcherMonitorTest {

    @Test
    void withNoSuspensionInsideABatchTheMonitorOnlySeesWholeBatches() {
        for (long seed = 0; seed < 50; seed++) {
            TestSettings t = new TestSettings();
            FetcherMonitor.Result r = FetcherMonitor.run(t.virtual(seed), 4.5, false);
            // The monitor printed at t = 0, 1, 2, 3, 4, then the deadline at 4.5 cancelled both.
            assertEquals(5, r.observed().size(), "seed " + seed + ": " + r);
            assertTrue(r.allWholeBatches(), "seed " + seed + ": " + r);
            assertEquals(0, r.observed().get(0));
            for (int i = 1; i < r.observed().size(); i++) {
                assertTrue(r.observed().get(i) > r.observed().get(i - 1), "the fetcher makes progress: " + r);
            }
            // Cancelled while awaiting I/O, never inside a batch.
            assertEquals(0, r.fetched() % FetcherMonitor.BATCH, r.toString());
            assertTrue(r.fetched() >= r.observed().get(4));
        }
    }

    @Test
    void anAwaitInsideTheBatchLetsTheMonitorSeeHalfABatch() {
        int halfBatchesSeen = 0;
        for (long seed = 0; seed < 20; seed++) {
            TestSettings t = new TestSettings();
            FetcherMonitor.Result r = FetcherMonitor.run(t.virtual(seed), 4.5, true);
            assertEquals(5, r.observed().size());
            if (!r.allWholeBatches()) {
                halfBatchesSeen++;
            }
        }
        // Deterministic on the virtual clock; in practice nearly every seed shows it.
        assertTrue(halfBatchesSeen >= 10, "only " + halfBatchesSeen + " of 20 runs saw half a batch");
        TestSettings t = new TestSettings();
        FetcherMonitor.Result r = FetcherMonitor.run(t.virtual(Settings.DEFAULT_SEED), 4.5, true);
        assertTrue(!r.allWholeBatches(), r.toString());
        assertTrue(t.lines.stream().anyMatch(l -> l.endsWith("<- half a batch")), t.lines.toString());
    }

    @Test
    void monitorPrintsEverySecond() {
        TestSettings t = new TestSettings();
        FetcherMonitor.run(t.virtual(3), 3.5, false);
        List<String> stamps = t.lines.stream().filter(l -> l.contains("len(vals)")).map(l -> l.trim().substring(0, 8)).toList();
        assertEquals(List.of("[t= 0.0]", "[t= 1.0]", "[t= 2.0]", "[t= 3.0]"), stamps);
    }
}
