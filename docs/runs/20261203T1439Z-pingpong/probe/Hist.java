package io.jasyncio.bench;
import io.jasyncio.*;
import io.jasyncio.sync.AsyncQueue;
import java.util.*;
public class Hist {
    static void hist(String what) throws Exception {
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        System.out.println("== " + what + " " + out.length());
        int li=0; for (String l : out.split("\n")) if (li++ < 8 ||  (l.contains("Chunk") || l.contains("Floor") || l.contains("Ticket") || l.contains("Hook") || l.contains("jasyncio.Task ") || l.contains("FTask"))) System.out.println(l);
    }
    public static void main(String[] a) throws Exception {
        int n = 100_000;
        if (a[0].equals("jasyncio")) {
            new EventLoop().runUntilComplete(() -> {
                List<AsyncQueue<Object>> qs = new ArrayList<>();
                for (int i = 0; i < n; i++) { AsyncQueue<Object> q = AsyncQueue.fifo(1); qs.add(q); Async.spawn(() -> { for (int r = 0; r < 3; r++) q.get(); return null; }); }
                Async.yieldNow();
                hist("jasyncio " + n + " parked getters");
                for (var q : qs) q.put(1);
                Async.yieldNow();
                hist("jasyncio after one wake (parked again)");
                System.exit(0);
                return null;
            });
        } else {
            Floor f = new Floor();
            List<Floor.Slot> qs = new ArrayList<>();
            for (int i = 0; i < n; i++) { Floor.Slot q = new Floor.Slot(f); qs.add(q); f.spawn(() -> { for (int r=0;r<3;r++) q.get(); }); }
            f.runReady();
            hist("floor " + n + " parked getters"); System.out.println(f.ready.size() + " " + qs.size());
        }
    }
}
