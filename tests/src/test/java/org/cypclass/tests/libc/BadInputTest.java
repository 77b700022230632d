package org.cypclass.tests.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.cypclass.libc.CFile;
import org.cypclass.libc.NativeFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kind of bad input gives its own exception, names the file and the rule, and leaves no
 * {@code FILE*} or descriptor open: each case counts {@code /proc/self/fd} before and after.
 */
@ExtendWith(OpenDescriptors.class)
class BadInputTest {

    @TempDir
    Path dir;

    /** Runs {@code bad}, expects {@code type}, and checks that no descriptor was left open. */
    private static <T extends Throwable> T assertThrowsWithoutLeak(Class<T> type, Executable bad) {
        Map<Integer, String> before = OpenDescriptors.snapshot();
        T thrown = assertThrows(type, bad);
        OpenDescriptors.assertNoneOpenedSince(before, "a failing call that threw " + thrown);
        assertEquals(before.size(), OpenDescriptors.count(), "descriptor count");
        return thrown;
    }

    private static void assertMentions(Throwable t, String... parts) {
        for (String part : parts) {
            assertTrue(t.getMessage().contains(part), "'" + t.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        Path missing = dir.resolve("missing/nowhere.txt");
        assertMentions(assertThrowsWithoutLeak(NoSuchFileException.class, () -> CFile.open(missing, "r")),
            missing.toString(), "No such file or directory", "ENOENT", "fopen");
        assertMentions(assertThrowsWithoutLeak(NoSuchFileException.class, () -> NativeFile.open(missing)),
            missing.toString(), "ENOENT", "open");
        assertThrowsWithoutLeak(NoSuchFileException.class, () -> CFile.open(missing, "w"));
    }

    @Test
    void aDirectoryIsRefusedForReadingAndWriting() {
        for (String mode : new String[] {"r", "w", "a", "r+"}) {
            FileSystemException e = assertThrowsWithoutLeak(FileSystemException.class, () -> CFile.open(dir, mode));
            assertMentions(e, dir.toString(), "Is a directory", "EISDIR");
        }
        assertMentions(assertThrowsWithoutLeak(FileSystemException.class, () -> NativeFile.open(dir)),
            dir.toString(), "Is a directory");
        assertThrowsWithoutLeak(FileSystemException.class, () -> NativeFile.open(dir, StandardOpenOption.WRITE));
    }

    @Test
    void aParentThatIsAFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertMentions(assertThrowsWithoutLeak(FileSystemException.class, () -> CFile.open(file.resolve("child"), "r")),
            "Not a directory", "ENOTDIR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rw", "x", "r++", "rb+b", "q", "rx", "w,ccs=UTF-8", "rm", " r", "R"})
    void aBadModeIsRefusedBeforeCallingC(String mode) throws IOException {
        Path file = Files.writeString(dir.resolve("mode.txt"), "x");
        IllegalArgumentException e = assertThrowsWithoutLeak(IllegalArgumentException.class, () -> CFile.open(file, mode));
        assertMentions(e, "bad fopen mode \"" + mode + "\"", file.toString());
        assertEquals("x", Files.readString(file), "a refused w-like mode must not truncate");
    }

    @Test
    void nullArgumentsAreRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("null.txt"), "x");
        assertThrowsWithoutLeak(NullPointerException.class, () -> CFile.open(null, "r"));
        assertThrowsWithoutLeak(NullPointerException.class, () -> CFile.open(file, null));
        assertThrowsWithoutLeak(NullPointerException.class, () -> NativeFile.open(null));
        assertThrowsWithoutLeak(NullPointerException.class, () -> NativeFile.open(file, (StandardOpenOption) null));
        try (CFile in = CFile.open(file, "r+"); NativeFile fd = NativeFile.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertMentions(assertThrows(NullPointerException.class, () -> in.read(null, 0, 1)), "read", file.toString());
            assertThrows(NullPointerException.class, () -> in.read(null));
            assertThrows(NullPointerException.class, () -> in.write(null, 0, 1));
            assertThrows(NullPointerException.class, () -> in.seek(0, null));
            assertThrows(NullPointerException.class, () -> fd.read(0, null, 0, 1));
            assertThrows(NullPointerException.class, () -> fd.write(0, null, 0, 1));
        }
    }

    @Test
    void negativeLengthsOffsetsAndPositionsAreRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("negative.txt"), "xyz");
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r+"); NativeFile fd = NativeFile.open(file)) {
            MemorySegment buffer = arena.allocate(8);
            assertMentions(assertThrows(IllegalArgumentException.class, () -> in.read(buffer, 0, -1)), "negative length -1", file.toString());
            assertMentions(assertThrows(IllegalArgumentException.class, () -> in.read(buffer, -1, 2)), "negative offset -1");
            assertThrows(IllegalArgumentException.class, () -> in.write(buffer, 0, -5));
            assertThrows(IllegalArgumentException.class, () -> fd.read(0, buffer, 0, -1));
            assertMentions(assertThrows(IllegalArgumentException.class, () -> fd.read(-1, buffer, 0, 1)), "negative file position");
            assertThrows(IllegalArgumentException.class, () -> fd.readFully(0, buffer, 0, -1));
        }
    }

    @Test
    void aSegmentTooSmallIsOutOfBounds() throws IOException {
        Path file = Files.writeString(dir.resolve("small.txt"), "0123456789");
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r"); NativeFile fd = NativeFile.open(file)) {
            MemorySegment four = arena.allocate(4);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> in.read(four, 0, 10));
            assertMentions(e, "segment of 4 bytes is too small for 10 bytes at offset 0", file.toString());
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(four, 3, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(four, Long.MAX_VALUE, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> fd.read(0, four, 0, 5));
            assertEquals(0, in.tell(), "nothing was read");
        }
    }

    @Test
    void heapAndReadOnlySegmentsAreRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("heap.txt"), "0123456789");
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r+")) {
            MemorySegment heap = MemorySegment.ofArray(new byte[10]);
            assertMentions(assertThrows(IllegalArgumentException.class, () -> in.read(heap)), "heap segment");
            assertThrows(IllegalArgumentException.class, () -> in.write(heap));
            MemorySegment readOnly = arena.allocate(10).asReadOnly();
            assertMentions(assertThrows(IllegalArgumentException.class, () -> in.read(readOnly)), "read-only");
            in.write(readOnly, 0, 1); // reading from a read-only segment is fine
        }
    }

    @Test
    void aSegmentOfAClosedArenaIsRefusedByTheDowncall() throws IOException {
        Path file = Files.writeString(dir.resolve("arena.txt"), "0123456789");
        try (CFile in = CFile.open(file, "r")) {
            Arena arena = Arena.ofConfined();
            MemorySegment buffer = arena.allocate(10);
            arena.close();
            assertThrows(IllegalStateException.class, () -> in.read(buffer));
            assertTrue(in.isOpen(), "the file stays usable");
        }
    }

    @Test
    void aClosedFileThrowsIllegalState() throws IOException {
        Path file = Files.writeString(dir.resolve("closed.txt"), "x");
        CFile in = CFile.open(file, "r");
        NativeFile fd = NativeFile.open(file);
        in.close();
        fd.close();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(1);
            assertMentions(assertThrowsWithoutLeak(IllegalStateException.class, () -> in.read(buffer)), "closed CFile", file.toString());
            assertMentions(assertThrowsWithoutLeak(IllegalStateException.class, () -> fd.read(0, buffer, 0, 1)), "closed NativeFile", file.toString());
            assertThrows(IllegalStateException.class, fd::size);
            assertThrows(IllegalStateException.class, fd::fd);
        }
    }

    @Test
    void openingAFileWithoutWritePermissionForWritingIsAccessDenied() throws IOException {
        Path target;
        if ("root".equals(System.getProperty("user.name"))) {
            // Root ignores permission bits on ordinary files; sysfs enforces them for everyone.
            target = Path.of("/sys/kernel/notes");
            assumeTrue(Files.exists(target), "needs a non-root user or /sys/kernel/notes");
        } else {
            target = Files.writeString(dir.resolve("readonly.txt"), "x");
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r--r--"));
        }
        assertMentions(assertThrowsWithoutLeak(AccessDeniedException.class, () -> CFile.open(target, "w")),
            target.toString(), "Permission denied", "EACCES");
        assertThrowsWithoutLeak(AccessDeniedException.class, () -> CFile.open(target, "a"));
        assertThrowsWithoutLeak(AccessDeniedException.class, () -> NativeFile.open(target, StandardOpenOption.WRITE));
    }

    @Test
    void writingThroughAReadOnlyStreamOrDescriptorIsAccessDenied() throws IOException {
        Path file = Files.writeString(dir.resolve("ro.txt"), "x");
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r"); NativeFile fd = NativeFile.open(file)) {
            MemorySegment data = arena.allocateFrom("y", StandardCharsets.US_ASCII);
            assertMentions(assertThrows(AccessDeniedException.class, () -> in.write(data, 0, 1)), "mode \"r\"", file.toString());
            assertThrows(AccessDeniedException.class, () -> fd.write(0, data, 0, 1));
        }
        try (Arena arena = Arena.ofConfined(); CFile out = CFile.open(file, "a")) {
            assertThrows(AccessDeniedException.class, () -> out.read(arena.allocate(1)));
        }
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anExistingFileIsRefusedByExclusiveCreation() throws IOException {
        Path file = Files.writeString(dir.resolve("exists.txt"), "x");
        assertMentions(assertThrowsWithoutLeak(FileAlreadyExistsException.class, () -> CFile.open(file, "wx")),
            "File exists", "EEXIST");
        assertThrowsWithoutLeak(FileAlreadyExistsException.class,
            () -> NativeFile.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW));
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anUnsupportedOpenOptionIsRefused() {
        assertThrowsWithoutLeak(UnsupportedOperationException.class,
            () -> NativeFile.open(dir.resolve("f"), StandardOpenOption.DELETE_ON_CLOSE));
    }

    @Test
    void aFullDeviceFailsOnFlushWithNoSpaceLeft() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        Map<Integer, String> before = OpenDescriptors.snapshot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom("bytes that do not fit", StandardCharsets.US_ASCII);
            CFile out = CFile.open(full, "w");
            out.write(data, 0, data.byteSize()); // buffered: no error yet
            FileSystemException onFlush = assertThrows(FileSystemException.class, out::flush);
            assertMentions(onFlush, "/dev/full", "No space left on device", "ENOSPC", "fflush");
            out.write(data, 0, data.byteSize());
            FileSystemException onClose = assertThrows(FileSystemException.class, out::close);
            assertMentions(onClose, "/dev/full", "No space left on device", "fclose");
            assertTrue(!out.isOpen());
            out.close(); // closed even though fclose failed; a no-op now

            try (NativeFile fd = NativeFile.open(full, StandardOpenOption.WRITE)) {
                assertMentions(assertThrows(FileSystemException.class, () -> fd.write(0, data, 0, 4)),
                    "No space left on device", "pwrite");
            }
        }
        OpenDescriptors.assertNoneOpenedSince(before, "writing to /dev/full");
    }

    @Test
    void aBigUnbufferedWriteToAFullDeviceFailsInWrite() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        try (Arena arena = Arena.ofConfined()) {
            Map<Integer, String> before = OpenDescriptors.snapshot();
            MemorySegment big = arena.allocate(1 << 20); // larger than the stdio buffer: written at once
            CFile out = CFile.open(full, "w");
            assertMentions(assertThrows(FileSystemException.class, () -> out.write(big)),
                "No space left on device", "fwrite");
            try {
                out.close();
            } catch (FileSystemException leftOver) {
                assertMentions(leftOver, "No space left on device");
            }
            OpenDescriptors.assertNoneOpenedSince(before, "a failed big write and close");
        }
    }
}
