package io.jasyncio.bench;
import java.lang.management.*;
public class PP {
    static long alloc() { return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes(); }
    static long[] gc() { long c=0,t=0; for (var b : ManagementFactory.getGarbageCollectorMXBeans()) { if (b.getName().contains("Young") || b.getName().contains("Scavenge")|| b.getName().contains("Mixed")) { c+=b.getCollectionCount(); t+=b.getCollectionTime(); } } return new long[]{c,t}; }
    public static void main(String[] a) throws Exception {
        String impl = a[0]; int n = Integer.parseInt(a[1]); int reps = Integer.parseInt(a[2]);
        ScaleBench.pingPongCost(impl, 1000); ScaleBench.pingPongCost(impl, 1000);
        int pairs = Math.max(1, n / 2), k = Math.max(2, 500_000 / pairs);
        for (int i = 0; i < reps; i++) {
            long a0 = alloc(); long[] g0 = gc();
            long full = ScaleBench.pingPongRun(impl, pairs, k + 1);
            long a1 = alloc(); long[] g1 = gc();
            long base = ScaleBench.pingPongRun(impl, pairs, 1);
            long a2 = alloc(); long[] g2 = gc();
            double rt = (double) pairs * k;
            System.out.printf("%s n=%d %.0f ns/rt  alloc %.0f B/rt  youngGC full %d (%d ms) base %d (%d ms)  gc-ms/rt-diff %.0f ns%n", impl, n, (full - base) / rt,
                ((a1 - a0) - (a2 - a1)) / rt, g1[0]-g0[0], g1[1]-g0[1], g2[0]-g1[0], g2[1]-g1[1], ((g1[1]-g0[1]) - (g2[1]-g1[1])) * 1e6 / rt);
        }
    }
}
