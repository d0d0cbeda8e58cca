package io.jasyncio.sync;

import io.jasyncio.testing.Schedules;

/** Core's {@link CPythonLocksConformanceTest}, every test run under FIFO order and 100 seeded schedules. */
@Schedules(seeds = 100)
class SeededCPythonLocksConformanceTest extends CPythonLocksConformanceTest {
}
