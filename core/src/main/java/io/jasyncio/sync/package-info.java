/**
 * Synchronisation primitives and queues for tasks on one event loop: {@link io.jasyncio.sync.Lock},
 * {@link io.jasyncio.sync.Event}, {@link io.jasyncio.sync.Condition},
 * {@link io.jasyncio.sync.Semaphore}, {@link io.jasyncio.sync.BoundedSemaphore},
 * {@link io.jasyncio.sync.Barrier} and {@link io.jasyncio.sync.AsyncQueue}, with asyncio's
 * behaviour (its {@code asyncio.locks} and {@code asyncio.queues}).
 *
 * <p>This room may use {@code io.jasyncio}, {@code io.jasyncio.lowlevel} and {@code io.jasyncio.time},
 * and nothing of the kernel's internals: anything written here could be written outside jasyncio.
 *
 * <h2>Built on the public core</h2>
 * Everything here uses one suspension primitive, {@link io.jasyncio.lowlevel.Suspension#park}, through
 * a {@link io.jasyncio.lowlevel.ParkingLot} (a FIFO list of waiters) per primitive. A waker
 * removes a waiter from its list, completes the hand-off on the waiter's behalf (the lock, the
 * permit, the item becomes the waiter's) and then wakes it; a cancelled waiter's cancel hook
 * removes it from the list. So a waiter is either still waiting and owed nothing, or already
 * paid: cancellation and timeouts never lose a permit, a lock, a wake-up or an item.
 *
 * <h2>Cancellation</h2>
 * Cancellation is level-triggered (see {@link io.jasyncio.CancelledException}). Every method
 * that may suspend throws {@code CancelledException} if the task is cancelled while it waits,
 * and then has taken nothing. A task that has been handed what it waited for and is cancelled
 * before it resumes returns normally with it; the cancellation fires at its next suspension
 * point, and try-with-resources gives a lock or permit back on the way out. Timeouts are
 * cancellation with a deadline: wrap any wait in {@code Async.withTimeout} or
 * {@code Async.moveOnAfter}.
 *
 * <h2>Naming</h2>
 * <ul>
 *   <li>{@code await()}, {@code acquire()}, {@code put}, {@code get}, {@code join()}: may
 *       suspend; call them from a task. They suspend only when they must.</li>
 *   <li>{@code tryAcquire()}, {@code offer}, {@code poll()}: never suspend; report failure with
 *       false or null.</li>
 *   <li>{@code putNow}, {@code getNow()}: never suspend; fail with a typed exception (asyncio's
 *       {@code *_nowait}).</li>
 *   <li>{@code release()}, {@code set()}, {@code signal()}, {@code shutdown()}: never suspend;
 *       plain callbacks of the loop may call them.</li>
 *   <li>{@code Condition.signal}/{@code signalAll} and {@code await} follow
 *       {@code java.util.concurrent.locks.Condition}, because {@code Object} owns
 *       {@code wait()}/{@code notify()}.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Nothing in this package is thread-safe, on purpose: like the loop itself, each primitive
 * belongs to one event loop (the one running where it is created, or else the first that uses
 * it), and every method, the queries included, throws {@link java.lang.WrongThreadException} when
 * called from a thread that runs no loop and {@link java.lang.IllegalStateException} when called
 * from a different loop. A primitive created outside any loop may be set up from anywhere until a
 * loop uses it. From another thread, hand the call to the loop:
 * {@code loop.callSoonThreadsafe(() -> queue.putNow(item))} or {@code loop.submit(...)}.
 */
package io.jasyncio.sync;
