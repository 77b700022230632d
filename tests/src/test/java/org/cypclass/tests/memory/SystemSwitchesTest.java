package org.cypclass.tests.memory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.NogilRegion;
import org.cypclass.memory.internal.SystemSwitches;
import org.cypclass.objects.ReferenceLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code cypclass.*} switch set to a value it does not accept stops the program when the
 * switch is read, naming the property and the values it takes; it never quietly means "off".
 */
class SystemSwitchesTest {

    private static final String PROPERTY = "cypclass.test.switch";

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void aFlagIsTrueOrFalseInAnyCaseAndOffWhenUnset() {
        assertFalse(SystemSwitches.flag(PROPERTY));
        System.setProperty(PROPERTY, "TRUE");
        assertTrue(SystemSwitches.flag(PROPERTY));
        System.setProperty(PROPERTY, "false");
        assertFalse(SystemSwitches.flag(PROPERTY));
        System.setProperty(PROPERTY, "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemSwitches.flag(PROPERTY));
        assertEquals("-Dcypclass.test.switch=yes is not a value it accepts: use true or false", e.getMessage());
    }

    @Test
    void aChoiceAndANumberNameWhatTheyAccept() {
        assertEquals("b", SystemSwitches.choice(PROPERTY, "b", List.of("a", "b")));
        System.setProperty(PROPERTY, "a");
        assertEquals("a", SystemSwitches.choice(PROPERTY, "b", List.of("a", "b")));
        System.setProperty(PROPERTY, "c");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SystemSwitches.choice(PROPERTY, "b", List.of("a", "b")))
            .getMessage().endsWith("use one of a, b"));
        System.setProperty(PROPERTY, " 64 ");
        assertEquals(64, SystemSwitches.positive(PROPERTY, 7));
        for (String bad : new String[] {"0", "-3", "4k", ""}) {
            System.setProperty(PROPERTY, bad);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> SystemSwitches.positive(PROPERTY, 7))
                .getMessage().contains("a whole number from 1 to"), bad);
        }
        System.setProperty(PROPERTY, "0");
        assertEquals(0, SystemSwitches.whole(PROPERTY, 7));
        System.clearProperty(PROPERTY);
        assertEquals(7, SystemSwitches.whole(PROPERTY, 7));
        for (String bad : new String[] {"-1", "1s", ""}) {
            System.setProperty(PROPERTY, bad);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> SystemSwitches.whole(PROPERTY, 7))
                .getMessage().contains("a whole number from 0 to"), bad);
        }
    }

    /** Each library switch, misspelled on the command line of a fresh JVM, stops it at startup with the property named. */
    @Test
    void aMisspelledLibrarySwitchStopsAFreshJvm() throws Exception {
        for (String property : List.of(MemoryStats.DEBUG_PROPERTY, MemoryStats.LEAK_TRACKING_PROPERTY, MemoryStats.DECAY_PROPERTY,
            NogilRegion.CHECK_PROPERTY,
            ReferenceLeaks.MODE_PROPERTY, ReferenceLeaks.INTERVAL_PROPERTY)) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-D" + property + "=yes",
                "-cp", System.getProperty("java.class.path"), SwitchUser.class.getName())
                .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, child.exitValue(), output);
            assertTrue(output.contains("-D" + property + "=yes is not a value it accepts: use "), output);
        }
    }

    /** Touches every class that reads a switch, as any program using the library does. */
    static final class SwitchUser {
        public static void main(String[] args) {
            try {
                NogilRegion.checking();
                ReferenceLeaks.watchesAll();
                // The allocator's switches, read when its options class initialises.
                Class.forName("org.cypclass.memory.internal.MemoryOptions", true, SwitchUser.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            } catch (ExceptionInInitializerError e) {
                System.out.println(e.getCause().getMessage());
                System.exit(1);
            }
            System.out.println("no switch refused");
            System.exit(0);
        }
    }
}
