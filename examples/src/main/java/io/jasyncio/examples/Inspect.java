package io.jasyncio.examples;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code ./jasyncio ps PID} and {@code ./jasyncio pstree PID} ({@code --json} for the JSON form):
 * a task dump of another JVM. It attaches with the JDK's Attach API, starts the target's local
 * JMX agent (the same as {@code jcmd PID ManagementAgent.start_local}), and calls the operation
 * {@code dumpTasks} of its bean {@code io.jasyncio:type=Diagnostics}. That runs on a JMX thread of
 * the target and reads the loops as they are: no code of a loop needs to run, so it works on a
 * loop that is deadlocked or blocked in a step.
 */
final class Inspect {

    /** How long to wait for a target's bean to appear once its MBean server is up. */
    private static final long BEAN_WAIT_NANOS = 3_000_000_000L;

    private Inspect() {
    }

    /** Runs {@code ps} or {@code pstree} with its arguments; returns the exit status. */
    static int run(String command, List<String> args, PrintStream out, PrintStream err) {
        String pid = null;
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else if (pid == null && a.matches("\\d+")) {
                pid = a;
            } else {
                throw new Args.UsageException(command + ": unexpected argument '" + a + "'; usage: ./jasyncio " + command
                        + " PID [--json]");
            }
        }
        if (pid == null) {
            throw new Args.UsageException(command + " needs the process id of a JVM running jasyncio: ./jasyncio "
                    + command + " PID [--json] (jps lists Java processes)");
        }
        String format = json ? "json" : command.equals("ps") ? "table" : "tree";
        try {
            out.print(dump(pid, format));
            return 0;
        } catch (ExampleFailure e) {
            err.println("jasyncio: " + command + " " + pid + ": " + e.getMessage());
            return 1;
        }
    }

    /** The target's dump in {@code format}. */
    static String dump(String pid, String format) {
        String address;
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            throw new ExampleFailure("cannot attach to process " + pid + " (" + e.getMessage() + "): is it a JVM run by"
                    + " this user, started without -XX:+DisableAttachMechanism?", e);
        }
        try {
            address = vm.startLocalManagementAgent();
        } catch (IOException e) {
            throw new ExampleFailure("process " + pid + " would not start its local JMX agent: " + e.getMessage(), e);
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // detached or gone: the agent address is what we need
            }
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection s = c.getMBeanServerConnection();
            ObjectName bean = new ObjectName("io.jasyncio:type=Diagnostics");
            // Starting the agent may have started the target's MBean server just now: its
            // watchdog registers the bean on its next tick (every 50 ms), so give it a few.
            long deadline = System.nanoTime() + BEAN_WAIT_NANOS;
            while (!s.isRegistered(bean) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000);
            }
            return (String) s.invoke(bean, "dumpTasks", new Object[] {format}, new String[] {String.class.getName()});
        } catch (InstanceNotFoundException e) {
            throw new ExampleFailure("process " + pid + " has no jasyncio event loop (or runs with -Djasyncio.jmx=false)", e);
        } catch (Exception e) {
            throw new ExampleFailure("the JMX call to process " + pid + " failed: " + e, e);
        }
    }
}
