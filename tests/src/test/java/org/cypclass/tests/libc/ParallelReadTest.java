package org.cypclass.tests.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.cypclass.libc.CFile;
import org.cypclass.libc.NativeFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several threads read disjoint parts of one file at once, through one shared
 * {@link NativeFile} with {@code pread} and through one {@link CFile} each; every part's CRC32
 * must match the file's bytes. Also: closing a file while other threads read it.
 */
@ExtendWith(OpenDescriptors.class)
class ParallelReadTest {

    private static final int THREADS = 4;
    private static final int PARTS = 64;
    private static final int PART = 256 * 1024 + 123; // odd size: reads cross page and buffer boundaries
    private static final int CHUNK = 64 * 1024;

    @TempDir
    static Path dir;
    private static Path file;
    private static long[] expected;
    private static byte[] data;

    @BeforeAll
    static void writeFile() throws IOException {
        data = new byte[PARTS * PART];
        new Random(7).nextBytes(data);
        file = Files.write(dir.resolve("parallel.bin"), data);
        expected = new long[PARTS];
        for (int p = 0; p < PARTS; p++) {
            CRC32 crc = new CRC32();
            crc.update(data, p * PART, PART);
            expected[p] = crc.getValue();
        }
    }

    /** Reads part {@code p} with {@code read(position, buffer, length)} and returns its CRC32. */
    private interface PartReader {
        long read(long position, MemorySegment buffer, long length) throws IOException;
    }

    private static long crcOf(int part, MemorySegment buffer, PartReader reader) throws IOException {
        CRC32 crc = new CRC32();
        long done = 0;
        while (done < PART) {
            long want = Math.min(CHUNK, PART - done);
            long n = reader.read((long) part * PART + done, buffer, want);
            assertTrue(n > 0, "unexpected end of file in part " + part);
            crc.update(buffer.asSlice(0, n).asByteBuffer());
            done += n;
        }
        return crc.getValue();
    }

    private static void runThreads(Callable<long[]> perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(perThread));
            }
            long[] seen = new long[PARTS];
            for (Future<long[]> f : futures) {
                long[] crcs = f.get();
                for (int p = 0; p < PARTS; p++) {
                    if (crcs[p] != 0) {
                        assertEquals(0, seen[p], "part " + p + " read twice");
                        seen[p] = crcs[p];
                    }
                }
            }
            for (int p = 0; p < PARTS; p++) {
                assertEquals(expected[p], seen[p], "CRC32 of part " + p);
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    @Test
    void threadsShareOneNativeFileWithPread() throws Exception {
        AtomicLong next = new AtomicLong();
        try (NativeFile shared = NativeFile.open(file)) {
            runThreads(() -> {
                long[] crcs = new long[PARTS];
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(CHUNK);
                    for (int p; (p = (int) next.getAndIncrement()) < PARTS; ) {
                        crcs[p] = crcOf(p, buffer, (position, b, length) -> shared.read(position, b, 0, length));
                    }
                }
                return crcs;
            });
        }
    }

    @Test
    void threadsReadWithACFileEach() throws Exception {
        AtomicLong next = new AtomicLong();
        runThreads(() -> {
            long[] crcs = new long[PARTS];
            try (Arena arena = Arena.ofConfined(); CFile own = CFile.open(file, "r")) {
                MemorySegment buffer = arena.allocate(CHUNK);
                for (int p; (p = (int) next.getAndIncrement()) < PARTS; ) {
                    own.seek((long) p * PART);
                    crcs[p] = crcOf(p, buffer, (position, b, length) -> {
                        assertEquals(position, own.tell());
                        return own.read(b, 0, length);
                    });
                }
            }
            return crcs;
        });
    }

    /**
     * Closes files while other threads read them, 20 times: every read either returns this
     * file's own bytes at its position or is refused with {@link IllegalStateException};
     * none fails in C (a descriptor closed under it: {@code EBADF}) or reads another file
     * (right after each close the test opens a decoy of zeros, which takes the lowest free
     * descriptor number and may get the freed {@code FILE} from malloc: a call let through
     * after the close would read it). Each reader has read once before the close, so the close
     * races reads in flight. Calls this short cannot be caught inside C: that close waits for
     * a call running there is shown by {@code NogilTest.closeWaitsForARunningReadAndLaterCallsThrow}.
     */
    @Test
    void closingWhileOtherThreadsReadNeverFreesTheHandleUnderACall() throws Exception {
        Path decoy = Files.write(dir.resolve("decoy.bin"), new byte[data.length]);
        MemorySegment bytes = MemorySegment.ofArray(data);
        for (int round = 0; round < 20; round++) {
            NativeFile shared = NativeFile.open(file);
            List<CFile> streams = List.of(CFile.open(file, "r"), CFile.open(file, "r"));
            CountDownLatch readOnce = new CountDownLatch(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Void>> readers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                readers.add(pool.submit(() -> {
                    // Even threads share one NativeFile with pread; odd ones read a CFile each.
                    CFile stream = streams.get(id / 2);
                    long position = id % 2 == 0 ? (long) id * PART : 0;
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment buffer = arena.allocate(CHUNK);
                        boolean first = true;
                        while (true) {
                            long n = id % 2 == 0 ? shared.read(position, buffer, 0, CHUNK) : stream.read(buffer);
                            if (n < 0) {
                                stream.seek(0);
                                position = 0;
                                continue;
                            }
                            assertTrue(n > 0 && MemorySegment.mismatch(buffer, 0, n, bytes, position, position + n) < 0,
                                "a read of " + n + " bytes at " + position + " did not return the file's bytes");
                            position = id % 2 == 0 ? (position + n) % (data.length - CHUNK) : position + n;
                            if (first) {
                                readOnce.countDown();
                                first = false;
                            }
                        }
                    } catch (IllegalStateException closed) {
                        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
                        return null;
                    }
                }));
            }
            readOnce.await();
            shared.close();
            for (CFile stream : streams) {
                stream.close();
            }
            assertFalse(shared.isOpen());
            List<AutoCloseable> decoys = List.of(NativeFile.open(decoy), CFile.open(decoy, "r"), CFile.open(decoy, "r"));
            try {
                for (Future<Void> reader : readers) {
                    reader.get(); // rethrows a reader's failure: a wrong read, or an error from C
                }
            } finally {
                for (AutoCloseable open : decoys) {
                    open.close();
                }
                pool.shutdown();
                assertTrue(pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES));
            }
        }
    }
}
