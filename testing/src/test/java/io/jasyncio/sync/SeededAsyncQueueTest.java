package io.jasyncio.sync;

import io.jasyncio.testing.Schedules;

/** Core's {@link AsyncQueueTest}, every test run under FIFO order and 100 seeded schedules. */
@Schedules(seeds = 100)
class SeededAsyncQueueTest extends AsyncQueueTest {
}
