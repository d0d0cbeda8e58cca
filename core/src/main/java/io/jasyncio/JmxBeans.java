package io.jasyncio;

import io.jasyncio.diagnostics.DiagnosticsMXBean;
import io.jasyncio.diagnostics.EventLoopMXBean;
import io.jasyncio.diagnostics.LoopMetrics;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * The JMX beans (see {@link DiagnosticsMXBean}, {@link EventLoopMXBean}), registered and
 * unregistered by the watchdog thread only, so that a loop never waits for the MBean server.
 */
final class JmxBeans {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    static final String PROCESS_BEAN = "io.jasyncio:type=Diagnostics";

    private JmxBeans() {
    }

    /**
     * Whether the process has an MBean server, without starting one: {@code ManagementFactory}
     * makes the platform server through {@link MBeanServerFactory}, which keeps every server it made.
     */
    static boolean mbeanServerExists() {
        try {
            return !MBeanServerFactory.findMBeanServer(null).isEmpty();
        } catch (RuntimeException | LinkageError e) {
            return false; // no java.management module: no beans
        }
    }

    /** Set once the platform MBean server is up and the process bean registered (or failed to). */
    static volatile boolean ready;

    static void registerProcessBean() {
        try {
            MBeanServer s = ManagementFactory.getPlatformMBeanServer();
            ObjectName n = new ObjectName(PROCESS_BEAN);
            if (!s.isRegistered(n)) {
                s.registerMBean(new Process(), n);
            }
        } catch (Exception | LinkageError e) {
            LOG.log(Level.DEBUG, "jasyncio: JMX beans not registered", e);
        } finally {
            ready = true;
        }
    }

    /** Registers beans for new loops and drops those of closed ones; {@code registered} maps loop id → name. */
    static void sync(List<EventLoop> loops, Map<Long, Object> registered) {
        try {
            MBeanServer s = ManagementFactory.getPlatformMBeanServer();
            Set<Long> open = new HashSet<>();
            for (EventLoop l : loops) {
                open.add(l.loopId);
                if (!registered.containsKey(l.loopId)) {
                    ObjectName n = new ObjectName("io.jasyncio:type=EventLoop,id=" + l.loopId);
                    if (!s.isRegistered(n)) {
                        s.registerMBean(new Loop(l), n);
                    }
                    registered.put(l.loopId, n);
                }
            }
            var it = registered.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (!open.contains(e.getKey())) {
                    ObjectName n = (ObjectName) e.getValue();
                    if (s.isRegistered(n)) {
                        s.unregisterMBean(n);
                    }
                    it.remove();
                }
            }
        } catch (Exception | LinkageError e) {
            LOG.log(Level.DEBUG, "jasyncio: JMX beans not updated", e);
        }
    }

    /** {@code io.jasyncio:type=Diagnostics}. */
    static final class Process implements DiagnosticsMXBean {
        @Override
        public String dumpTasks(String format) {
            return EventLoop.dumpAllLoops().format(format);
        }

        @Override
        public int getLoopCount() {
            return LoopWatch.loops().size();
        }

        @Override
        public long getLiveTasks() {
            long n = 0;
            for (EventLoop l : LoopWatch.loops()) {
                n += l.liveCountRacy();
            }
            return n;
        }

        @Override
        public long getStalls() {
            long n = 0;
            for (EventLoop l : LoopWatch.loops()) {
                n += l.watch.stalls;
            }
            return n;
        }
    }

    /** {@code io.jasyncio:type=EventLoop,id=N}; holds its loop weakly so a forgotten loop can go. */
    static final class Loop implements EventLoopMXBean {
        private final WeakReference<EventLoop> loop;

        Loop(EventLoop loop) {
            this.loop = new WeakReference<>(loop);
        }

        private LoopMetrics m() {
            EventLoop l = loop.get();
            return l == null ? new LoopMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0) : l.metrics();
        }

        @Override
        public String getThread() {
            EventLoop l = loop.get();
            Thread t = l == null ? null : l.threadForDump();
            return t == null ? "?" : t.getName();
        }

        @Override
        public int getLiveTasks() {
            return m().liveTasks();
        }

        @Override
        public int getReadyQueue() {
            return m().readyQueue();
        }

        @Override
        public long getSteps() {
            return m().steps();
        }

        @Override
        public long getIterations() {
            return m().iterations();
        }

        @Override
        public long getBusyNanos() {
            return m().busyNanos();
        }

        @Override
        public long getWaitingNanos() {
            return m().waitingNanos();
        }

        @Override
        public long getStalls() {
            return m().stalls();
        }

        @Override
        public int getRegisteredChannels() {
            return m().registeredChannels();
        }

        @Override
        public int getTimers() {
            return m().timers();
        }

        @Override
        public String dumpTasks(String format) {
            EventLoop l = loop.get();
            return l == null ? "" : l.dumpTasks().format(format);
        }
    }
}
