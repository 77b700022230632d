package org.cypclass.tests.support;

import java.util.Map;

import org.cypclass.objects.CyType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Checks what a gcc-compiled layout program printed against the Java layouts: one line per
 * measurement, {@code Type.field offsetof N} or {@code Type sizeof N}, each compared with the
 * cypclass's {@code offsetOf(field)} or its layout's size.
 */
public final class CLayouts {

    private CLayouts() {
    }

    /**
     * Compares every line of {@code output} with the Java layout of the type it names.
     *
     * @param output the program's standard output
     * @param types the cypclasses by the simple names the program prints
     * @return how many lines were checked
     */
    public static int check(String output, Map<String, CyType<?>> types) {
        int checked = 0;
        for (String line : output.strip().split("\n")) {
            String[] parts = line.split(" ");
            String[] name = parts[0].split("\\.");
            CyType<?> type = types.get(name[0]);
            assertNotNull(type, "a line about a type the test does not know: " + line);
            long c = Long.parseLong(parts[parts.length - 1]);
            long java = parts[1].equals("sizeof") ? type.layout().byteSize() : type.offsetOf(name[1]);
            assertEquals(java, c, line);
            checked++;
        }
        return checked;
    }
}
