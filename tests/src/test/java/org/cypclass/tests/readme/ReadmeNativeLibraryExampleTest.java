package org.cypclass.tests.readme;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.cypclass.libc.CFile;
import org.cypclass.libc.Format;
import org.cypclass.libc.NativeFunction;
import org.cypclass.libc.NativeLibrary;
import org.cypclass.libc.PreparedFormat;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prepared printf and "Your own C functions" examples of README.md, compiled and run as
 * they are printed there, with the C file the README shows built by gcc.
 */
class ReadmeNativeLibraryExampleTest {

    @TempDir
    Path dir;

    /** Written by the snippet. */
    private long size;

    @Test
    void preparedPrintfExample() throws Exception {
        Path path = dir.resolve("rows.txt");
        // --- README: prepared printf ---
        PreparedFormat row = Format.prepare("%5d %8.3f\n", int.class, double.class);  // checked once
        try (CFile out = CFile.open(path, "w")) {
            for (int i = 0; i < 3; i++) {
                row.fprintf(out, i, i * 0.25);               // no boxing, no arena: 0 bytes on the Java heap
            }
        }
        // --- end ---
        assertEquals("    0    0.000\n    1    0.250\n    2    0.500\n", Files.readString(path));
        ReadmeSnippet.assertReadmeShows(ReadmeNativeLibraryExampleTest.class, "prepared printf");
    }

    @Test
    void yourOwnCExample() throws Exception {
        Gcc.assumeAvailable();
        Path libdemo = Gcc.compile(dir.resolve("libdemo.so"), List.of("-shared", "-fPIC"), "demo_library.c");
        Path path = Files.write(dir.resolve("data.bin"), new byte[1234]);
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> {
            // --- README: your own C ---
            try (NativeLibrary demo = NativeLibrary.open(libdemo); Arena arena = Arena.ofConfined()) {
                NativeFunction fileSize = demo.function("demo_file_size",
                    FunctionDescriptor.of(JAVA_LONG, ADDRESS), NativeFunction.Failure.MINUS_ONE_SETS_ERRNO);
                size = (long) fileSize.invoke(arena.allocateFrom(path.toString()));
                fileSize.invoke(arena.allocateFrom("/missing"));
                // throws NoSuchFileException: "demo_file_size in .../libdemo.so: No such file or directory (ENOENT, demo_file_size)"
            }
            // --- end ---
        });
        assertEquals(1234, size);
        assertEquals("demo_file_size in " + libdemo + ": No such file or directory (ENOENT, demo_file_size)",
            missing.getMessage());
        ReadmeSnippet.assertReadmeShows(ReadmeNativeLibraryExampleTest.class, "your own C");
    }

    @Test
    void readmePrintsTheWholeCFile() throws Exception {
        String c = Files.readString(Gcc.testSources().resolve("demo_library.c"));
        String readme = Files.readString(Gcc.repoRoot().resolve("README.md"));
        assertTrue(readme.contains("```c\n" + c + "```\n"), "README.md no longer prints tests/src/test/c/demo_library.c as it is");
    }
}
