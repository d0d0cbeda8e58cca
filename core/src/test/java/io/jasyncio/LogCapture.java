package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Keeps a passing core test run quiet without hiding a record. It is registered for every core
 * test (META-INF/services plus autodetection in junit-platform.properties) and, for the length of
 * each test, puts a collector in place of the root JUL logger's handlers: the loop reports through
 * {@link System.Logger}, which the JDK's default finder routes to JUL, whose console handler would
 * print to stderr.
 *
 * <p>A test that provokes records on purpose declares a {@link Records} parameter and takes them to
 * assert on them. A record still untaken when the test ends fails that test, with the record and
 * its stack trace in the failure: an unexpected warning is a test failure, not lost output. Records
 * that arrive between tests (a thread outliving its test) reach the console as usual.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LogCapture.class);

    /** What reached the root logger during one test. */
    public static final class Records extends Handler {
        private final List<LogRecord> records = new ArrayList<>();

        /** Every record not yet taken, oldest first; once taken they no longer fail the test. */
        public synchronized List<LogRecord> take() {
            List<LogRecord> taken = List.copyOf(records);
            records.clear();
            return taken;
        }

        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private record Swap(Handler[] saved, Records records) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Logger root = Logger.getLogger("");
        Handler[] saved = root.getHandlers();
        for (Handler h : saved) {
            root.removeHandler(h);
        }
        Records records = new Records();
        root.addHandler(records);
        context.getStore(NAMESPACE).put(Swap.class, new Swap(saved, records));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Swap swap = context.getStore(NAMESPACE).remove(Swap.class, Swap.class);
        if (swap == null) {
            return;
        }
        Logger root = Logger.getLogger("");
        root.removeHandler(swap.records());
        for (Handler h : swap.saved()) {
            root.addHandler(h);
        }
        List<LogRecord> left = swap.records().take();
        if (!left.isEmpty()) {
            SimpleFormatter f = new SimpleFormatter();
            StringBuilder sb = new StringBuilder("the test logged " + left.size()
                    + " record(s) it did not expect (a test that provokes them takes a LogCapture.Records"
                    + " parameter and asserts on them):\n");
            left.forEach(r -> sb.append(f.format(r)));
            throw new AssertionError(sb.toString());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Records.class;
    }

    @Override
    public Records resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Swap swap = context.getStore(NAMESPACE).get(Swap.class, Swap.class);
        if (swap == null) {
            throw new IllegalStateException("LogCapture.Records is for test methods, not constructors or class callbacks");
        }
        return swap.records();
    }
}
