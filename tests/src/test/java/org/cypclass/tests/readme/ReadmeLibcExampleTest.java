package org.cypclass.tests.readme;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.cypclass.libc.CFile;
import org.cypclass.libc.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The libc example of README.md, compiled and run as it is printed there. */
class ReadmeLibcExampleTest {

    @Test
    void readmeExample(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("data.txt");
        Files.writeString(path, "hello from C stdio\n");
        String line;
        // --- README: libc example ---
        try (Arena arena = Arena.ofConfined(); CFile file = CFile.open(path, "r")) {
            MemorySegment buffer = arena.allocate(4096);
            long n = file.read(buffer);                       // fread: no Java heap allocation, no monitor
            line = Format.of("%ld bytes: %.*s", long.class, int.class, MemorySegment.class)
                .sprintf(n, (int) n - 1, buffer);             // type-checked snprintf
        }
        // CFile.open(Path.of("/missing"), "r") throws NoSuchFileException with strerror's text
        // --- end ---
        assertEquals("19 bytes: hello from C stdio", line);
        // The snippet's last line, checked as it is printed.
        Path missing = Path.of("/missing");
        assumeFalse(Files.exists(missing, LinkOption.NOFOLLOW_LINKS), "/missing exists on this machine");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CFile.open(missing, "r"));
        assertEquals("/missing: No such file or directory (ENOENT, fopen)", e.getMessage());
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeLibcExampleTest.class, "libc example");
    }
}
