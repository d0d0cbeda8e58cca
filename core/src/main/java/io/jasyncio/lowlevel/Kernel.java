package io.jasyncio.lowlevel;

import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.internal.access.Access;
import io.jasyncio.internal.access.KernelAccess;
import java.lang.invoke.MethodHandles;

/**
 * This room's door into the kernel ({@link KernelAccess}, registered by {@link EventLoop} as it
 * initializes), typed with the kernel's classes once, here.
 */
final class Kernel {

    static final KernelAccess<EventLoop, Task<?>, EventLoop.Builder> K = access();

    private Kernel() {
    }

    @SuppressWarnings("unchecked")
    private static KernelAccess<EventLoop, Task<?>, EventLoop.Builder> access() {
        try {
            // The kernel registers its door in EventLoop's static initializer.
            MethodHandles.lookup().ensureInitialized(EventLoop.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("internal error: cannot initialize the kernel", e);
        }
        return (KernelAccess<EventLoop, Task<?>, EventLoop.Builder>) Access.kernel();
    }
}
