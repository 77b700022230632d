package org.cypclass.tests.objects;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * C's count macros built with {@code CY_DEBUG} ({@code c_debug.c}) and the check that
 * {@link org.cypclass.memory.CDebug#install} puts behind them, each scenario in a child JVM run
 * with the debug allocator ({@link CDebugMain}): counts of a live object move as usual, and a
 * {@code Cy_DECREF} of a freed object, a {@code Cy_INCREF} of foreign memory and a
 * {@code Cy_DECREF} of a pointer inside an object each stop the process with a message that
 * names the macro and the block, before the count is touched.
 */
class CDebugTest {

    @TempDir
    static Path dir;
    private static Path library;

    @BeforeAll
    static void compile() throws IOException {
        Gcc.assumeAvailable();
        library = Gcc.compile(dir.resolve("libcdebug.so"), List.of("-shared", "-fPIC"), "c_debug.c");
    }

    /** Runs a scenario in a child JVM with the debug allocator; {@return its exit code and output, stderr included} */
    private static Gcc.Result run(String scenario) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Gcc.run(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Dcypclass.memory.debug=true",
            "-XX:-CreateCoredumpOnCrash", "-cp", System.getProperty("java.class.path"), CDebugMain.class.getName(),
            scenario, library.toString()), dir);
    }

    /**
     * Runs a scenario that must stop in the check; {@return its output, which names the block}
     *
     * @param message what the output must contain, {@code %s} standing for the address the
     *        child printed on its line that starts with {@code printed} (null: none)
     */
    private static String assertStops(String scenario, String printed, String message) throws IOException {
        Gcc.Result result = run(scenario);
        String output = result.output();
        assertNotEquals(0, result.exitCode(), output);
        assertFalse(output.contains("returned"), output);
        String address = printed == null ? "" : output.lines().filter(l -> l.startsWith(printed)).findFirst()
            .orElseThrow(() -> new AssertionError(output)).substring(printed.length());
        assertTrue(output.contains(message.formatted(address)), output);
        return output;
    }

    @Test
    void countsOfALiveObjectMoveAsUsual() throws IOException {
        Gcc.Result result = run("live");
        String output = result.output();
        assertEquals(0, result.exitCode(), output);
        assertTrue(output.contains("passed 4"), output);
        assertTrue(output.contains("live blocks 0"), output);
        assertTrue(output.contains("returned"), output);
    }

    @Test
    void aDecrefOfAFreedObjectStopsWithTheBlockNamed() throws IOException {
        String output = assertStops("freed", "freed ", "cypclass: Cy_DECREF on %s, a freed block (it held a ");
        assertTrue(output.contains("Adder"), output);
    }

    @Test
    void anIncrefOfForeignMemoryStops() throws IOException {
        String output = assertStops("foreign", null, "cypclass: Cy_INCREF on 0x%s");
        assertTrue(output.contains("which is no object of the cypclass allocator: a foreign pointer"), output);
    }

    @Test
    void aDecrefOfAPointerInsideAnObjectStops() throws IOException {
        assertStops("inside", "inside ", "cypclass: Cy_DECREF on %s, which is no object");
    }

    @Test
    void anIncrefOfABlockThatHoldsNoObjectStops() throws IOException {
        String output = assertStops("raw", "raw ", "cypclass: Cy_INCREF on %s, a block of the cypclass allocator that holds no object");
        assertTrue(output.contains("org.cypclass.tests.RawBlock"), output);
    }
}
