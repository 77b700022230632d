package org.cypclass.tests.libc;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cypclass.libc.CFile;
import org.cypclass.libc.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Format}: C's printf family with formats checked against Java argument types. */
@ExtendWith(OpenDescriptors.class)
class FormatTest {

    @TempDir
    Path dir;

    @Test
    void sprintfFormatsEveryKindOfArgument() {
        Format f = Format.of("%d|%5i|%-4u|%x|%X|%o|%ld|%lld|%zu|%c|%c|%s|%.2f|%e|%g|%%|%*d|%.*s",
            int.class, int.class, int.class, int.class, int.class, int.class, long.class, long.class, long.class,
            char.class, int.class, String.class, double.class, double.class, double.class, int.class, int.class,
            int.class, String.class);
        String s = f.sprintf(-42, 7, 3, 255, 255, 8, Long.MIN_VALUE, 1L << 40, 12L, 'Z', (int) 'y', "héllo", 3.14159, 1e10, 0.5,
            6, 9, 3, "abcdef");
        assertEquals("-42|    7|3   |ff|FF|10|" + Long.MIN_VALUE + "|" + (1L << 40) + "|12|Z|y|héllo|3.14|1.000000e+10|0.5|%|     9|abc", s);
    }

    @Test
    void sprintfGrowsItsBufferForLongOutput() {
        String long1000 = "x".repeat(1000);
        assertEquals("<" + long1000 + ">", Format.of("<%s>", String.class).sprintf(long1000));
        assertEquals("no arguments", Format.of("no arguments").sprintf());
    }

    @Test
    void snprintfTruncatesAndReportsTheFullLength() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(6);
            int n = Format.of("%s=%d", String.class, int.class).snprintf(small, "answer", 42);
            assertEquals(9, n, "the length it would have written");
            assertEquals("answe", small.getString(0), "truncated, NUL-terminated");
        }
    }

    @Test
    void nativeStringsAndPointersAreAccepted() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cString = arena.allocateFrom("native");
            assertEquals("native!", Format.of("%s!", MemorySegment.class).sprintf(cString));
            String p = Format.of("%p", MemorySegment.class).sprintf(cString);
            assertEquals(cString.address(), Long.decode(p));
            MemorySegment unterminated = arena.allocate(4).fill((byte) 'a');
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Format.of("%s", MemorySegment.class).sprintf(unterminated));
            assertTrue(e.getMessage().contains("no NUL terminator"), e.getMessage());
        }
    }

    @Test
    void fprintfWritesToACFile() throws IOException {
        Path file = dir.resolve("fprintf.txt");
        Format line = Format.of("%-6s%4d %6.2f\n", String.class, int.class, double.class);
        try (CFile out = CFile.open(file, "w")) {
            assertEquals(18, line.fprintf(out, "apple", 12, 0.5));
            line.fprintf(out, "pear", 3, 1.25);
        }
        assertEquals(List.of("apple   12   0.50", "pear     3   1.25"), Files.readAllLines(file));
    }

    @Test
    void fprintfRefusesClosedAndReadOnlyFiles() throws IOException {
        Path file = Files.writeString(dir.resolve("ro.txt"), "x");
        Format f = Format.of("%d", int.class);
        try (CFile in = CFile.open(file, "r")) {
            assertThrows(AccessDeniedException.class, () -> f.fprintf(in, 1));
        }
        CFile out = CFile.open(dir.resolve("closed.txt"), "w");
        out.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.fprintf(out, 1));
        assertTrue(e.getMessage().contains("closed CFile"), e.getMessage());
        assertThrows(NullPointerException.class, () -> f.fprintf(null, 1));
    }

    @Test
    void aFormatIsCheckedAgainstItsDeclaredTypesWhenBuilt() {
        assertMessage(() -> Format.of("%d", long.class), "argument 1 (%d) needs int, but was declared long");
        assertMessage(() -> Format.of("%ld", int.class), "needs long");
        assertMessage(() -> Format.of("%s", int.class), "needs String or MemorySegment");
        assertMessage(() -> Format.of("%f", float.class), "needs double");
        assertMessage(() -> Format.of("%d %d", int.class), "consumes 2 arguments");
        assertMessage(() -> Format.of("%d", int.class, int.class), "consumes 1 arguments");
        assertMessage(() -> Format.of("%*d", int.class), "consumes 2 arguments");
        assertThrows(NullPointerException.class, () -> Format.of(null));
        assertThrows(NullPointerException.class, () -> Format.of("%d", (Class<?>) null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%n", "%hn", "%1$d", "%Lf", "%lc", "%ls", "%m", "%", "abc%", "%-", "%y", "%hf", "nul\0inside",
        "%65537d", "%.65537f", "%2147483648d", "%1000000d", "%\u0663d"})
    void unsafeOrUncheckableDirectivesAreRefused(String format) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Format.of(format, int.class));
        assertTrue(e.getMessage().contains("bad printf format"), e.getMessage());
    }

    /** A width or precision up to the limit is C's to honour: padding is real output. */
    @Test
    void widthsAndPrecisionsUpToTheLimitAreFormatted() {
        assertEquals(65_536, Format.of("%65536d", int.class).sprintf(7).length());
        assertEquals("7", Format.of("%.0d", int.class).sprintf(7));
        assertEquals("007", Format.of("%.0000003d", int.class).sprintf(7), "leading zeros are no size");
        assertEquals("    7", Format.of("%*d", int.class, int.class).sprintf(5, 7));
        assertMessage(() -> Format.of("%70000d", int.class), "a width of 70000 is more than the 65536 a format may ask for");
        assertMessage(() -> Format.of("%.99999999999f", double.class), "a precision of 99999999999");
    }

    @Test
    void callsAreCheckedAgainstTheDeclaredTypes() {
        Format f = Format.of("%d %s", int.class, String.class);
        assertMessage(() -> f.sprintf("one", "two"), "argument 1 is a java.lang.String, but was declared int");
        assertMessage(() -> f.sprintf(1L, "two"), "argument 1 is a java.lang.Long");
        assertMessage(() -> f.sprintf(1), "takes 2 arguments");
        assertThrows(NullPointerException.class, () -> f.sprintf(1, null));
        assertThrows(NullPointerException.class, () -> f.sprintf((Object[]) null));
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> f.snprintf(MemorySegment.ofArray(new byte[8]), 1, "x"));
            assertThrows(IllegalArgumentException.class, () -> f.snprintf(arena.allocate(8).asReadOnly(), 1, "x"));
        }
    }

    @Test
    void formatsReportWhatTheyCheck() {
        Format f = Format.of("%d", int.class);
        assertEquals("%d", f.format());
        assertEquals(List.of(int.class), f.argumentTypes());
        assertTrue(f.toString().contains("%d"));
    }

    /** {@code printf} writes to the process's C stdout: run it in a child JVM and read that. */
    @Test
    void printfWritesToCStandardOutput() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), PrintfMain.class.getName())
            .redirectErrorStream(true)
            .start();
        child.getOutputStream().close();
        String output;
        try (InputStream stdout = child.getInputStream()) {
            output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        child.getErrorStream().close(); // merged into stdout; close its pipe all the same
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertEquals("pid 1234: 0.50 done\nprinted 20\n", output);
    }

    /** The child of {@link #printfWritesToCStandardOutput()}. */
    static final class PrintfMain {
        public static void main(String[] args) throws IOException {
            int n = Format.of("pid %d: %.2f %s\n", int.class, double.class, String.class).printf(1234, 0.5, "done");
            Format.flushStdout();
            System.out.println("printed " + n);
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable bad, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad);
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
    }
}
