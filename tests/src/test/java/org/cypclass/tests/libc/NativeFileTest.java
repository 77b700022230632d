package org.cypclass.tests.libc;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.cypclass.libc.NativeFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NativeFile}: positional reads and writes, options, size and close. */
@ExtendWith(OpenDescriptors.class)
class NativeFileTest {

    @TempDir
    Path dir;

    @Test
    void positionalWritesAndReadsDoNotShareAPosition() throws IOException {
        Path file = dir.resolve("positional.bin");
        try (Arena arena = Arena.ofConfined();
             NativeFile f = NativeFile.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            f.write(6, arena.allocateFrom("world", StandardCharsets.US_ASCII), 0, 5);
            f.write(0, arena.allocateFrom("hello ", StandardCharsets.US_ASCII), 0, 6);
            assertEquals(11, f.size());
            MemorySegment buffer = arena.allocate(16);
            assertEquals(5, f.read(6, buffer, 0, 5));
            assertEquals(5, f.read(0, buffer, 5, 5));
            assertEquals("worldhello", new String(buffer.asSlice(0, 10).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            assertEquals(1, f.read(10, buffer, 0, 16), "a short count at the end");
            assertEquals(-1, f.read(11, buffer, 0, 16), "-1 at the end");
            assertEquals(0, f.read(0, buffer, 0, 0));
        }
        assertEquals("hello world", Files.readString(file));
    }

    @Test
    void readFullyFillsOrThrowsEndOfFile() throws IOException {
        Path file = Files.writeString(dir.resolve("full.txt"), "0123456789");
        try (Arena arena = Arena.ofConfined(); NativeFile f = NativeFile.open(file)) {
            MemorySegment buffer = arena.allocate(10);
            f.readFully(2, buffer, 0, 8);
            assertEquals("23456789", new String(buffer.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            EOFException e = assertThrows(EOFException.class, () -> f.readFully(5, buffer, 0, 10));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void createTruncateAndAppendOptions() throws IOException {
        Path file = Files.writeString(dir.resolve("options.txt"), "old content");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ab = arena.allocateFrom("ab", StandardCharsets.US_ASCII);
            try (NativeFile f = NativeFile.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                f.write(0, ab, 0, 2);
            }
            assertEquals("ab", Files.readString(file));
            try (NativeFile f = NativeFile.open(file, StandardOpenOption.APPEND)) {
                f.write(0, ab, 0, 2); // Linux appends whatever the position
            }
            assertEquals("abab", Files.readString(file));
            Path created = dir.resolve("created.txt");
            try (NativeFile f = NativeFile.open(created, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                assertEquals(0, f.size());
            }
            assertTrue(Files.exists(created));
        }
    }

    @Test
    void closeHappensOnce() throws IOException {
        Path file = Files.writeString(dir.resolve("close.txt"), "x");
        NativeFile f = NativeFile.open(file);
        int fd = f.fd();
        assertTrue(Files.exists(Path.of("/proc/self/fd/" + fd)));
        f.close();
        f.close();
        assertFalse(f.isOpen());
        assertTrue(f.toString().contains("closed"));
        assertEquals(file.toString(), f.path());
    }
}
