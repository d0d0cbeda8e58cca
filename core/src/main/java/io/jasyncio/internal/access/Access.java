package io.jasyncio.internal.access;

/**
 * Holds the kernel's {@link KernelAccess}, registered once by the kernel's loop class as it
 * initializes. A room above the kernel that needs it makes sure that class is initialized first
 * (see {@code io.jasyncio.lowlevel}'s use), so the holder is never read empty.
 */
public final class Access {

    private static volatile KernelAccess<?, ?, ?> kernel;

    private Access() {
    }

    /**
     * Registers the kernel's door; only the kernel calls this, once.
     *
     * @param access the kernel's implementation
     * @throws IllegalStateException if one is registered already
     */
    public static void setKernel(KernelAccess<?, ?, ?> access) {
        if (kernel != null) {
            throw new IllegalStateException("the kernel's access is registered already");
        }
        kernel = access;
    }

    /**
     * The kernel's door.
     *
     * @return the registered implementation
     * @throws IllegalStateException if the kernel has not registered it (its loop class is not initialized)
     */
    public static KernelAccess<?, ?, ?> kernel() {
        KernelAccess<?, ?, ?> k = kernel;
        if (k == null) {
            throw new IllegalStateException("internal error: the kernel's access is not registered;"
                    + " initialize io.jasyncio.EventLoop first");
        }
        return k;
    }
}
