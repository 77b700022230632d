package org.cypclass.tests.libc;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.cypclass.libc.CFile;
import org.cypclass.libc.Format;
import org.cypclass.libc.PreparedFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PreparedFormat}: what its {@code fprintf} writes equals what {@link String#format}
 * makes of the same format and values (for the directives on which C and Java agree, and values
 * that need no rounding where the two round differently), and its
 * refusals. Its allocation is {@code PreparedPrintfNogilTest}'s.
 */
@ExtendWith(OpenDescriptors.class)
class PreparedFormatTest {

    @TempDir
    Path dir;

    @Test
    void itWritesWhatStringFormatMakesOfTheSameArguments() throws IOException {
        Path file = dir.resolve("prepared.txt");
        PreparedFormat none = Format.prepare("no arguments\n");
        PreparedFormat one = Format.prepare("%d\n", int.class);
        PreparedFormat intDouble = Format.prepare("%5d %8.3f\n", int.class, double.class);
        PreparedFormat doubleLong = Format.prepare("%e|%-6ld|\n", double.class, long.class);
        PreparedFormat three = Format.prepare("%c%+d %x\n", char.class, int.class, int.class);
        PreparedFormat doubles = Format.prepare("%.3f %.4f %09.5f\n", double.class, double.class, double.class);
        StringBuilder expected = new StringBuilder();
        int bytes = 0;
        try (CFile out = CFile.open(file, "w")) {
            for (int i = -50; i <= 50; i++) {
                // Multiples of 1/8: exact in binary with 3 decimals, so C (which rounds the binary value)
                // and Java (which rounds the shortest decimal half up) print the same digits.
                double x = i * 1.125;
                long big = (long) i << 40;
                bytes += none.fprintf(out);
                expected.append("no arguments\n");
                bytes += one.fprintf(out, i);
                expected.append(String.format(Locale.ROOT, "%d\n", i));
                bytes += intDouble.fprintf(out, i, x);
                expected.append(String.format(Locale.ROOT, "%5d %8.3f\n", i, x));
                bytes += doubleLong.fprintf(out, x, big);
                expected.append(String.format(Locale.ROOT, "%e|%-6d|\n", x, big));
                char c = (char) ('A' + (i + 50) % 26);
                bytes += three.fprintf(out, c, i, i & 0xff);
                expected.append(String.format(Locale.ROOT, "%c%+d %x\n", c, i, i & 0xff));
                bytes += doubles.fprintf(out, x, -x, x / 4);
                expected.append(String.format(Locale.ROOT, "%.3f %.4f %09.5f\n", x, -x, x / 4));
            }
        }
        String written = Files.readString(file);
        assertEquals(expected.toString(), written);
        assertEquals(written.length(), bytes, "each call returns the bytes it printed");
    }

    @Test
    void aNegativeIntIsPrintedAsC() throws IOException {
        Path file = dir.resolve("hex.txt");
        try (CFile out = CFile.open(file, "w")) {
            Format.prepare("%x %u %ld", int.class, int.class, long.class).fprintf(out, -1, -2, Long.MIN_VALUE);
        }
        assertEquals("ffffffff 4294967294 " + Long.MIN_VALUE, Files.readString(file));
    }

    @Test
    void preparingRefusesWhatACallCouldNotPassWithoutAllocating() {
        IllegalArgumentException string = assertThrows(IllegalArgumentException.class,
            () -> Format.prepare("%s", String.class));
        assertTrue(string.getMessage().contains("takes int, long, double and char only"), string.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Format.prepare("%p", MemorySegment.class));
        IllegalArgumentException four = assertThrows(IllegalArgumentException.class,
            () -> Format.prepare("%d %d %d %d", int.class, int.class, int.class, int.class));
        assertTrue(four.getMessage().contains("at most 3 arguments"), four.getMessage());
        // Format.of's own checks come first.
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
            () -> Format.prepare("%d", double.class));
        assertTrue(mismatch.getMessage().contains("needs int"), mismatch.getMessage());
    }

    @Test
    void aCallOfTheWrongShapeOrRangeIsRefusedBeforeC() throws IOException {
        Path file = dir.resolve("refused.txt");
        PreparedFormat f = Format.prepare("%d %f", int.class, double.class);
        try (CFile out = CFile.open(file, "w")) {
            IllegalArgumentException literal = assertThrows(IllegalArgumentException.class, () -> f.fprintf(out, 1, 2));
            assertTrue(literal.getMessage().contains("called with (long, long), but the format takes (long, double)"),
                literal.getMessage());
            assertThrows(IllegalArgumentException.class, () -> f.fprintf(out, 1));
            assertThrows(IllegalArgumentException.class, () -> f.fprintf(out, 1.0, 2.0));
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> f.fprintf(out, 1L << 40, 2.0));
            assertTrue(range.getMessage().contains("does not fit an int"), range.getMessage());
            assertThrows(NullPointerException.class, () -> f.fprintf(null, 1, 2.0));
            assertEquals(10, f.fprintf(out, 7, 0.5), "7 0.500000");
        }
        assertEquals("7 0.500000", Files.readString(file), "nothing refused reached the file");
        try (CFile in = CFile.open(file, "r")) {
            assertThrows(AccessDeniedException.class, () -> f.fprintf(in, 1, 2.0));
        }
        CFile closed = CFile.open(file, "a");
        closed.close();
        assertThrows(IllegalStateException.class, () -> f.fprintf(closed, 1, 2.0));
        assertEquals("PreparedFormat[\"%d %f\", [int, double]]", f.toString());
    }
}
