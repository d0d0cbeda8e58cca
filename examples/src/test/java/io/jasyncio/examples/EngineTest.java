package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.Async;
import org.junit.jupiter.api.Test;

/** Makes sure each surefire execution really runs the engine it claims to (see the both-engines profile). */
class EngineTest {

    @Test
    void testsRunOnTheEngineTheBuildAskedFor() {
        String wanted = System.getProperty("jasyncio.engine", "auto");
        String actual = Async.run(() -> Async.currentLoop().engineName());
        // The build passes the add-exports flag, so "auto" must find the continuation engine.
        assertEquals(wanted.equals("portable") ? "portable" : "continuation", actual);
    }
}
