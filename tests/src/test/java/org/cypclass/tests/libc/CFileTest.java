package org.cypclass.tests.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cypclass.libc.CFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CFile}: reads, writes, positions and the close contract. */
@ExtendWith(OpenDescriptors.class)
class CFileTest {

    @TempDir
    Path dir;

    @Test
    void writtenBytesReadBackThroughAnotherStreamAndThroughJava() throws IOException {
        Path file = dir.resolve("roundtrip.bin");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(10_000);
            for (int i = 0; i < data.byteSize(); i++) {
                data.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
            }
            try (CFile out = CFile.open(file, "w")) {
                out.write(data, 0, 4000);
                out.write(data, 4000, 6000);
                assertEquals(10_000, out.tell());
            }
            byte[] expected = data.toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(expected, Files.readAllBytes(file));

            MemorySegment back = arena.allocate(12_000);
            try (CFile in = CFile.open(file, "rb")) {
                assertEquals(3000, in.read(back, 0, 3000));
                assertEquals(7000, in.read(back, 3000, 9000), "a short count only at end of file");
                assertTrue(in.eof());
                assertEquals(-1, in.read(back, 0, 10), "-1 once at end of file");
                assertEquals(0, in.read(back, 0, 0));
            }
            assertArrayEquals(expected, back.asSlice(0, 10_000).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void seekAndTellMoveThePositionFromEachOrigin() throws IOException {
        Path file = dir.resolve("seek.txt");
        Files.writeString(file, "0123456789");
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r")) {
            MemorySegment one = arena.allocate(1);
            in.seek(4);
            assertEquals(4, in.tell());
            in.read(one);
            assertEquals('4', one.get(ValueLayout.JAVA_BYTE, 0));
            in.seek(2, CFile.Whence.CURRENT);
            in.read(one);
            assertEquals('7', one.get(ValueLayout.JAVA_BYTE, 0));
            in.seek(-1, CFile.Whence.END);
            in.read(one);
            assertEquals('9', one.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(-1, in.read(one));
            assertTrue(in.eof());
            in.seek(0);
            assertFalse(in.eof(), "seek clears end of file");
            assertEquals(1, in.read(one));
        }
    }

    @Test
    void flushHandsBufferedBytesToTheSystem() throws IOException {
        Path file = dir.resolve("flush.txt");
        try (Arena arena = Arena.ofConfined(); CFile out = CFile.open(file, "w")) {
            out.write(arena.allocateFrom("hello", StandardCharsets.US_ASCII), 0, 5);
            assertEquals(0, Files.size(file), "still in the stdio buffer");
            out.flush();
            assertEquals("hello", Files.readString(file));
        }
    }

    @Test
    void appendModeAndReadWriteMode() throws IOException {
        Path file = dir.resolve("append.txt");
        Files.writeString(file, "abc");
        try (Arena arena = Arena.ofConfined()) {
            try (CFile out = CFile.open(file, "a")) {
                out.write(arena.allocateFrom("def", StandardCharsets.US_ASCII), 0, 3);
            }
            assertEquals("abcdef", Files.readString(file));
            try (CFile both = CFile.open(file, "r+")) {
                both.seek(1);
                both.write(arena.allocateFrom("X", StandardCharsets.US_ASCII), 0, 1);
                both.seek(0);
                MemorySegment all = arena.allocate(6);
                assertEquals(6, both.read(all));
                assertEquals("aXcdef", new String(all.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void filenoIsTheDescriptorOfTheOpenStream() throws IOException {
        Path file = dir.resolve("fileno.txt");
        Files.writeString(file, "x");
        try (CFile in = CFile.open(file, "r")) {
            int fd = in.fileno();
            assertTrue(fd > 2);
            assertEquals(file.toString(), Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        }
    }

    @Test
    void closeHappensOnceAndEveryLaterUseThrowsNamingThePath() throws IOException {
        Path file = dir.resolve("closed.txt");
        Files.writeString(file, "data");
        CFile in = CFile.open(file, "r");
        assertTrue(in.isOpen());
        in.close();
        in.close(); // a no-op
        assertFalse(in.isOpen());
        assertTrue(in.toString().contains("closed"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4);
            for (var use : new org.junit.jupiter.api.function.Executable[] {
                () -> in.read(buffer), () -> in.read(buffer, 0, 4), () -> in.seek(0), in::tell, in::flush,
                in::eof, in::fileno}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, use);
                assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("closed"), e.getMessage());
            }
        }
    }

    @Test
    void pathAndModeAreReported() throws IOException {
        Path file = dir.resolve("names.txt");
        try (CFile out = CFile.open(file, "w+b")) {
            assertEquals(file.toString(), out.path());
            assertEquals("w+b", out.mode());
            assertTrue(out.toString().contains(file.toString()));
        }
    }
}
