package org.cypclass.tests.objects;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /** Runs a scenario in a child JVM; {@return its exit code and output, stderr included} */
    private static Object[] run(String scenario) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
            "-Dcypclass.memory.debug=true", "-XX:-CreateCoredumpOnCrash", "-cp", System.getProperty("java.class.path"),
            CDebugMain.class.getName(), scenario, library.toString())
            .redirectErrorStream(true)
            .start();
        child.getOutputStream().close();
        String output;
        try (InputStream stdout = child.getInputStream()) {
            output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child JVM ended: " + output);
        return new Object[] {child.exitValue(), output};
    }

    @Test
    void countsOfALiveObjectMoveAsUsual() throws Exception {
        Object[] result = run("live");
        String output = (String) result[1];
        assertEquals(0, result[0], output);
        assertTrue(output.contains("passed 4"), output);
        assertTrue(output.contains("live blocks 0"), output);
        assertTrue(output.contains("returned"), output);
    }

    @Test
    void aDecrefOfAFreedObjectStopsWithTheBlockNamed() throws Exception {
        Object[] result = run("freed");
        String output = (String) result[1];
        assertNotEquals(0, result[0], output);
        String address = output.lines().filter(l -> l.startsWith("freed 0x")).findFirst().orElseThrow().substring(6);
        assertTrue(output.contains("cypclass: Cy_DECREF on " + address + ", a freed block (it held a "), output);
        assertTrue(output.contains("Adder"), output);
        assertFalse(output.contains("returned"), output);
    }

    @Test
    void anIncrefOfForeignMemoryStops() throws Exception {
        Object[] result = run("foreign");
        String output = (String) result[1];
        assertNotEquals(0, result[0], output);
        assertTrue(output.contains("cypclass: Cy_INCREF on 0x"), output);
        assertTrue(output.contains("which is no object of the cypclass allocator: a foreign pointer"), output);
        assertFalse(output.contains("returned"), output);
    }

    @Test
    void aDecrefOfAPointerInsideAnObjectStops() throws Exception {
        Object[] result = run("inside");
        String output = (String) result[1];
        assertNotEquals(0, result[0], output);
        String object = output.lines().filter(l -> l.startsWith("object 0x")).findFirst().orElseThrow().substring(7);
        String inside = "0x" + Long.toHexString(Long.parseLong(object.substring(2), 16) + 8);
        assertTrue(output.contains("cypclass: Cy_DECREF on " + inside + ", which is no object"), output);
        assertFalse(output.contains("returned"), output);
    }
}
