package io.jasyncio.diagnostics;

/**
 * Implemented by what a task parks on, so that a task dump can say what the task waits for. The
 * kernel's own waits (sleeps, awaits, joins, task groups, sockets, worker calls) and every
 * primitive of {@code io.jasyncio.sync} describe themselves; a primitive built elsewhere on
 * {@code io.jasyncio.lowlevel} describes its waits with a {@code ParkingLot} made with a
 * description, or by making the {@code Abort} it passes to {@code Suspension.park} implement this.
 *
 * <p>Thread rule: {@link #describeWait()} is called by the thread taking the dump, which is
 * usually not the loop's, while the loop runs. It must only read fields (a stale or torn value is
 * fine: a dump is a best-effort picture), never lock, allocate much, or change anything.
 */
public interface WaitSource {

    /**
     * What the parked task waits for, now.
     *
     * @return the description, never null
     */
    Wait describeWait();
}
