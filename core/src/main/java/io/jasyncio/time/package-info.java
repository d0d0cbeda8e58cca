/**
 * Time for event loops: {@link io.jasyncio.time.LoopClock} (where a loop reads the time),
 * {@link io.jasyncio.time.WaitAwareClock} (a clock the loop consults before and after each wait)
 * and {@link io.jasyncio.time.VirtualClock}, virtual time that jumps to the next timer when every
 * task waits, with {@link io.jasyncio.time.DeadlockException} for a loop nothing can wake.
 *
 * <p>The bottom of the public rooms: it uses nothing of jasyncio, only the JDK, so that every room
 * above may use it.
 */
package io.jasyncio.time;
