package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The int stamps a task keeps for "in this state since" (4 bytes rather than 8 per task). */
class LoopWatchStampTest {

    private static final long UNIT = 1L << 20;

    @Test
    void agesAreExactToTheUnit() {
        long t0 = 123_456_789_000L;
        int since = LoopWatch.stamp(t0);
        assertEquals(0, LoopWatch.stampAgeNanos(since, since));
        int later = LoopWatch.stamp(t0 + 5_000_000_000L);
        long age = LoopWatch.stampAgeNanos(later, since);
        assertEquals(5_000_000_000L, age, UNIT);
    }

    @Test
    void agesSurviveTheIntWrappingAround() {
        // Stamps of a nanoTime near where the int stamp wraps from positive to negative.
        long t0 = (long) Integer.MAX_VALUE << 20;
        int since = LoopWatch.stamp(t0);
        int later = LoopWatch.stamp(t0 + 3_600_000_000_000L); // an hour on
        assertEquals(3_600_000_000_000L, LoopWatch.stampAgeNanos(later, since), UNIT);
        long days40 = 40L * 24 * 3_600_000_000_000L;
        assertEquals(days40, LoopWatch.stampAgeNanos(LoopWatch.stamp(t0 + days40), since), UNIT);
    }

    @Test
    void aStampSlightlyNewerThanTheDumpsClockIsNoAge() {
        int now = LoopWatch.stamp(10_000_000_000L);
        assertEquals(0, LoopWatch.stampAgeNanos(now, now + 3));
    }
}
