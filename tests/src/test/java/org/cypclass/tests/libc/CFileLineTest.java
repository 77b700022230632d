package org.cypclass.tests.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cypclass.libc.CFile;
import org.cypclass.libc.LineBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The line methods of {@link CFile}: {@code fgets} into a caller's segment, {@code getline}
 * into a {@link LineBuffer}, lines as {@code String}s, UTF-8 text and C strings out;
 * their errors, their native memory, and their use by several threads on one file.
 */
@ExtendWith(OpenDescriptors.class)
class CFileLineTest {

    @TempDir
    Path dir;

    private static String ascii(MemorySegment segment, long offset, long length) {
        return new String(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    @Test
    void fgetsReadsEachLineWithItsNewlineThenMinusOneAtTheEnd() throws IOException {
        Path file = Files.writeString(dir.resolve("lines.txt"), "alpha\nbeta\n\ngamma");
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r")) {
            MemorySegment room = arena.allocate(64);
            room.fill((byte) 'x');
            List<String> lines = new ArrayList<>();
            long n;
            while ((n = in.readLine(room)) >= 0) {
                lines.add(ascii(room, 0, n));
                assertEquals(0, room.get(ValueLayout.JAVA_BYTE, n), "a NUL after the line, as C writes it");
            }
            assertEquals(List.of("alpha\n", "beta\n", "\n", "gamma"), lines);
            assertEquals(-1, in.readLine(room), "still -1");
            assertTrue(in.eof());
        }
    }

    @Test
    void fgetsGivesALineLongerThanTheRoomInPiecesAndWritesOnlyItsRange() throws IOException {
        Path file = Files.writeString(dir.resolve("long.txt"), "abcdefg\nhi\n");
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r")) {
            MemorySegment buffer = arena.allocate(32);
            buffer.fill((byte) '.');
            List<String> pieces = new ArrayList<>();
            long n;
            while ((n = in.readLine(buffer, 10, 4)) >= 0) {
                pieces.add(ascii(buffer, 10, n));
            }
            assertEquals(List.of("abc", "def", "g\n", "hi\n"), pieces, "3 bytes and a NUL at a time");
            assertEquals("..........", ascii(buffer, 0, 10), "nothing before the offset is touched");
            assertEquals(".".repeat(18), ascii(buffer, 14, 18), "nor after the range");
        }
    }

    @Test
    void nulBytesInsideLinesAreCountedExactly() throws IOException {
        byte[] data = "a\0b\n\0\0\nlast\0line".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("nul.bin"), data);
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r")) {
            MemorySegment room = arena.allocate(64);
            room.fill((byte) '\n'); // stale newlines after the line must not be taken for its end
            assertEquals(4, in.readLine(room));
            assertEquals("a\0b\n", ascii(room, 0, 4));
            assertEquals(3, in.readLine(room));
            // The documented limit: a last line without newline ends, for fgets, at its first NUL.
            assertEquals(4, in.readLine(room));
            assertEquals(-1, in.readLine(room));
        }
        try (CFile in = CFile.open(file, "r"); LineBuffer line = new LineBuffer()) {
            assertEquals(4, in.readLine(line));
            assertEquals(3, in.readLine(line));
            assertEquals(9, in.readLine(line), "getline has no such limit");
            assertEquals("last\0line", line.text());
            assertEquals(-1, in.readLine(line));
        }
    }

    @Test
    void getlineGrowsTheBufferForAnyLineAndKeepsItsSegmentUntilThen() throws IOException {
        String longLine = "x".repeat(1 << 20);
        Path file = Files.writeString(dir.resolve("grow.txt"), "short\n" + longLine + "\nend\n");
        try (CFile in = CFile.open(file, "r"); LineBuffer line = new LineBuffer()) {
            assertEquals(-1, line.length());
            assertEquals(0, line.capacity());
            assertEquals(6, in.readLine(line));
            assertEquals(6, line.length());
            MemorySegment small = line.segment();
            assertSame(small, line.segment(), "the same segment until the buffer grows");
            assertEquals("short\n", ascii(small, 0, 6));
            assertEquals(0, small.get(ValueLayout.JAVA_BYTE, 6));
            assertEquals("short\n", line.text());

            assertEquals(longLine.length() + 1, in.readLine(line));
            assertTrue(line.capacity() > longLine.length());
            IllegalStateException stale = assertThrows(IllegalStateException.class,
                () -> small.get(ValueLayout.JAVA_BYTE, 0), "the block moved: the old segment is closed");
            assertTrue(stale.getMessage().contains("closed"), stale.getMessage());
            assertEquals(longLine + "\n", line.text());

            assertEquals(4, in.readLine(line));
            assertEquals("end\n", ascii(line.segment(), 0, 4));
            assertEquals(-1, in.readLine(line));
            assertEquals(-1, line.length());
            assertNull(line.text());
            assertTrue(line.toString().startsWith("LineBuffer[length -1, capacity "), line.toString());
        }
    }

    @Test
    void aClosedLineBufferRefusesUseAndItsSegmentsDie() throws IOException {
        Path file = Files.writeString(dir.resolve("closed.txt"), "one\ntwo\n");
        try (CFile in = CFile.open(file, "r")) {
            LineBuffer line = new LineBuffer();
            in.readLine(line);
            MemorySegment segment = line.segment();
            line.close();
            line.close(); // a no-op
            assertFalse(line.isOpen());
            assertEquals("LineBuffer[closed]", line.toString());
            assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
            for (Executable use : new Executable[] {() -> in.readLine(line), line::segment, line::text, line::capacity}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, use);
                assertTrue(e.getMessage().contains("closed LineBuffer"), e.getMessage());
            }
            assertEquals("two", in.readLine(), "the refused read consumed nothing");
        }
    }

    @Test
    void aLineBufferBelongsToItsThread() throws Exception {
        Path file = Files.writeString(dir.resolve("thread.txt"), "one\n");
        try (CFile in = CFile.open(file, "r"); LineBuffer line = new LineBuffer()) {
            in.readLine(line);
            MemorySegment segment = line.segment();
            List<Throwable> thrown = new ArrayList<>();
            Thread other = Thread.ofPlatform().name("other-reader").start(() -> {
                for (Executable use : new Executable[] {() -> in.readLine(line), line::close, line::segment,
                    () -> segment.get(ValueLayout.JAVA_BYTE, 0)}) {
                    try {
                        use.execute();
                    } catch (Throwable t) {
                        thrown.add(t);
                    }
                }
            });
            other.join();
            assertEquals(4, thrown.size(), thrown.toString());
            for (Throwable t : thrown) {
                assertTrue(t instanceof WrongThreadException, t.toString());
            }
            assertTrue(thrown.getFirst().getMessage().contains("from thread \"other-reader\""), thrown.getFirst().getMessage());
            assertTrue(line.isOpen());
            assertEquals("one\n", line.text());
        }
    }

    @Test
    void readLineAsStringDropsTheNewlineAndDecodesUtf8() throws IOException {
        String unicode = "héllo wörld ✓ 😀";
        String huge = "é".repeat(200_000);
        Path file = Files.writeString(dir.resolve("strings.txt"),
            unicode + "\n" + "dos line\r\n" + "\n" + huge + "\n" + "no newline at the end");
        try (CFile in = CFile.open(file, "r")) {
            assertEquals(unicode, in.readLine());
            assertEquals("dos line", in.readLine());
            assertEquals("", in.readLine());
            assertEquals(huge, in.readLine());
            assertEquals("no newline at the end", in.readLine());
            assertNull(in.readLine());
            assertNull(in.readLine());
        }
    }

    @Test
    void writeLineAndWriteStringEncodeUtf8AsJavaDoes() throws IOException {
        Path file = dir.resolve("out.txt");
        String unpaired = "a\uD800b\uDC00c";
        String big = "ü€😀".repeat(5_000); // 45,000 bytes of UTF-8: more than the 8 KiB scratch buffer
        try (Arena arena = Arena.ofConfined(); CFile out = CFile.open(file, "w")) {
            out.writeLine("first");
            out.writeString("héllo ");
            out.writeString("wörld ✓ 😀");
            out.writeLine("");
            out.writeLine(unpaired);
            out.writeLine(new StringBuilder("from a ").append("StringBuilder"));
            out.writeLine(big);
            out.writeString(arena.allocateFrom("C string\n"));
            out.writeString(arena.allocateFrom("stops at the NUL\0 not after"));
            out.writeString("");
        }
        String expected = "first\nhéllo wörld ✓ 😀\n" + unpaired + "\nfrom a StringBuilder\n" + big + "\nC string\nstops at the NUL";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file),
            "the same bytes as String.getBytes(UTF_8), '?' for unpaired surrogates included");
    }

    @Test
    void misuseOfTheLineMethodsThrowsNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("misuse.txt"), "line\n");
        try (Arena arena = Arena.ofConfined(); CFile in = CFile.open(file, "r"); CFile out = CFile.open(dir.resolve("w.txt"), "w")) {
            MemorySegment room = arena.allocate(16);
            IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class, () -> in.readLine(room, 0, 1));
            assertTrue(tooSmall.getMessage().contains(file.toString()) && tooSmall.getMessage().contains("at least 2 bytes"),
                tooSmall.getMessage());
            assertThrows(IllegalArgumentException.class, () -> in.readLine(arena.allocate(1)));
            assertThrows(IllegalArgumentException.class, () -> in.readLine(MemorySegment.ofArray(new byte[16])));
            assertThrows(IllegalArgumentException.class, () -> in.readLine(room.asReadOnly()));
            assertThrows(IndexOutOfBoundsException.class, () -> in.readLine(room, 10, 10));
            assertThrows(NullPointerException.class, () -> in.readLine((MemorySegment) null));
            assertThrows(NullPointerException.class, () -> in.readLine((LineBuffer) null));
            for (Executable read : new Executable[] {() -> out.readLine(room), out::readLine, () -> {
                try (LineBuffer line = new LineBuffer()) {
                    out.readLine(line);
                }
            }}) {
                AccessDeniedException e = assertThrows(AccessDeniedException.class, read);
                assertTrue(e.getMessage().contains("readLine is not allowed"), e.getMessage());
            }
            for (Executable write : new Executable[] {() -> in.writeLine("x"), () -> in.writeString("x"),
                () -> in.writeString(arena.allocateFrom("x"))}) {
                assertThrows(AccessDeniedException.class, write);
            }
            NullPointerException nullText = assertThrows(NullPointerException.class, () -> out.writeLine((CharSequence) null));
            assertTrue(nullText.getMessage().contains("writeLine on CFile["), nullText.getMessage());
            IllegalArgumentException noNul = assertThrows(IllegalArgumentException.class,
                () -> out.writeString(arena.allocate(8).fill((byte) 'a')));
            assertTrue(noNul.getMessage().contains("no NUL byte, so it is no C string"), noNul.getMessage());
            assertThrows(IllegalArgumentException.class, () -> out.writeString(MemorySegment.ofArray(new byte[] {'a', 0})));
            assertEquals("line", in.readLine(), "refused calls consumed nothing");
        }
        CFile closed = CFile.open(file, "r+");
        closed.close();
        try (Arena arena = Arena.ofConfined(); LineBuffer line = new LineBuffer()) {
            MemorySegment room = arena.allocate(16);
            for (Executable use : new Executable[] {() -> closed.readLine(room), () -> closed.readLine(room, 0, 8),
                () -> closed.readLine(line), closed::readLine, () -> closed.writeLine("x"), () -> closed.writeString("x"),
                () -> closed.writeString(arena.allocateFrom("x"))}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, use);
                assertTrue(e.getMessage().contains("on closed CFile " + file), e.getMessage());
            }
        }
    }

    @Test
    void writeErrorsCarryTheErrno() throws IOException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full");
        CFile out = CFile.open(full, "w");
        try {
            FileSystemException e = assertThrows(FileSystemException.class, () -> {
                out.writeLine("x".repeat(100_000)); // more than stdio's buffer: refused by the write itself
                out.flush();
            });
            assertTrue(e.getMessage().contains("No space left on device (ENOSPC, fwrite)"), e.getMessage());
            e = assertThrows(FileSystemException.class, () -> {
                out.writeLine("short"); // buffered: refused by the flush
                out.flush();
            });
            assertTrue(e.getMessage().contains("ENOSPC"), e.getMessage());
        } finally {
            try {
                out.close();
            } catch (FileSystemException _) {
                // what stdio still held is refused again
            }
        }
    }

    // --- several threads on one file ---------------------------------------------------------

    private static final int THREADS = 4;
    private static final int LINES = 20_000;

    /** Line {@code i}: its number, then 0 to 199 letters, so that lines cross stdio's buffer. */
    private static String line(int i) {
        return i + ":" + "abcdefghij".repeat(20).substring(0, (i * 7) % 200);
    }

    private Path numberedLines() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            text.append(line(i)).append('\n');
        }
        return Files.writeString(dir.resolve("numbered.txt"), text);
    }

    /** Runs {@code reader} on {@link #THREADS} threads at once and checks every line came out once, whole. */
    private static void eachLineOnceWhole(List<Callable<List<String>>> readers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> futures = pool.invokeAll(readers, 2, TimeUnit.MINUTES);
            boolean[] seen = new boolean[LINES];
            int total = 0;
            for (Future<List<String>> future : futures) {
                for (String text : future.get()) {
                    int i = Integer.parseInt(text.substring(0, text.indexOf(':')));
                    assertEquals(line(i), text, "line " + i + " torn");
                    assertFalse(seen[i], "line " + i + " read twice");
                    seen[i] = true;
                    total++;
                }
            }
            assertEquals(LINES, total);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<Callable<T>> times(int n, Callable<T> task) {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(task);
        }
        return tasks;
    }

    @Test
    void threadsSharingOneFileEachGetWholeLinesWithTheirOwnLineBuffer() throws Exception {
        try (CFile in = CFile.open(numberedLines(), "r")) {
            CountDownLatch start = new CountDownLatch(THREADS);
            eachLineOnceWhole(times(THREADS, () -> {
                List<String> mine = new ArrayList<>();
                try (LineBuffer line = new LineBuffer()) {
                    start.countDown();
                    start.await();
                    while (in.readLine(line) >= 0) {
                        String text = line.text();
                        mine.add(text.substring(0, text.length() - 1));
                    }
                }
                return mine;
            }));
        }
    }

    @Test
    void threadsSharingOneFileEachGetWholeLinesAsStringsAndThroughFgets() throws Exception {
        try (CFile in = CFile.open(numberedLines(), "r")) {
            eachLineOnceWhole(times(THREADS, () -> {
                List<String> mine = new ArrayList<>();
                for (String text; (text = in.readLine()) != null; ) {
                    mine.add(text);
                }
                return mine;
            }));
        }
        try (CFile in = CFile.open(numberedLines(), "r")) {
            eachLineOnceWhole(times(THREADS, () -> {
                List<String> mine = new ArrayList<>();
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment room = arena.allocate(256); // every line fits: fgets takes it whole
                    for (long n; (n = in.readLine(room)) >= 0; ) {
                        mine.add(ascii(room, 0, n - 1));
                    }
                }
                return mine;
            }));
        }
    }

    @Test
    void linesWrittenByManyThreadsNeverInterleave() throws Exception {
        Path file = dir.resolve("written.txt");
        String wide = "ω".repeat(6_000); // 12 kB of UTF-8: longer than the scratch buffer
        try (CFile out = CFile.open(file, "w")) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Object>> done = pool.invokeAll(times(THREADS, () -> {
                    for (int i = 0; i < 2_000; i++) {
                        out.writeLine(i % 100 == 0 ? Thread.currentThread().getName() + wide : Thread.currentThread().getName() + ":" + line(i));
                    }
                    return null;
                }));
                for (Future<Object> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(THREADS * 2_000, lines.size());
        for (String text : lines) {
            int colon = text.indexOf(':');
            if (colon < 0) {
                assertTrue(text.endsWith(wide) && text.indexOf('ω') == text.length() - wide.length(), "torn: " + text);
            } else {
                String rest = text.substring(colon + 1);
                int i = Integer.parseInt(rest.substring(0, rest.indexOf(':')));
                assertEquals(line(i), rest, "torn: " + text);
            }
        }
    }

    // --- native memory --------------------------------------------------------------------------

    /** glibc's {@code struct mallinfo2}: ten {@code size_t} counters. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
        ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
        ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
        ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
        ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));

    @SuppressWarnings("restricted")
    private static final MethodHandle MALLINFO = Linker.nativeLinker().downcallHandle(
        Linker.nativeLinker().defaultLookup().find("mallinfo2").orElseThrow(), FunctionDescriptor.of(MALLINFO2));

    /** {@return the bytes malloc has handed out and not had back, all arenas and mmapped blocks} */
    private static long mallocInUse() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            return info.get(ValueLayout.JAVA_LONG, 7 * 8) + info.get(ValueLayout.JAVA_LONG, 4 * 8);
        }
    }

    /**
     * Eight rounds of an 8 MiB line, each read into a new {@link LineBuffer} then closed, and
     * as a {@code String}: a leak would keep 64 MiB in use; the JVM's own malloc use (the JIT's
     * arenas) moves by a few MiB at most.
     */
    @Test
    void closingALineBufferAndLongStringLinesGiveTheMemoryBack() throws Throwable {
        int size = 8 << 20;
        int rounds = 8;
        Path file = Files.writeString(dir.resolve("big-line.txt"), "y".repeat(size) + "\n");
        try (CFile in = CFile.open(file, "r")) {
            long before = mallocInUse();
            for (int i = 0; i < rounds; i++) {
                in.seek(0);
                LineBuffer line = new LineBuffer();
                assertEquals(size + 1, in.readLine(line));
                assertTrue(line.capacity() > size);
                line.close();
            }
            long grown = mallocInUse() - before;
            assertTrue(grown < size, "closed LineBuffers keep " + grown + " bytes in use after " + rounds + " lines of " + size);

            before = mallocInUse();
            for (int i = 0; i < rounds; i++) {
                in.seek(0);
                assertEquals(size, in.readLine().length());
            }
            grown = mallocInUse() - before;
            assertTrue(grown < size, "the thread's buffer for String lines, freed after a line longer than 64 KiB, keeps "
                + grown + " bytes in use after " + rounds + " lines of " + size);
        }
    }
}
