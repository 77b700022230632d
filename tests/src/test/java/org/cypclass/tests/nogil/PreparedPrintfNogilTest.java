package org.cypclass.tests.nogil;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.cypclass.libc.CFile;
import org.cypclass.libc.Format;
import org.cypclass.libc.PreparedFormat;
import org.cypclass.memory.NogilRegion;
import org.cypclass.memory.NogilViolationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A prepared format's {@code fprintf} inside checked nogil regions (the {@code nogil}
 * execution): once compiled, 100,000 calls writing to {@code /dev/null} allocate 0 bytes on
 * the Java heap and take no Java monitor, where {@code Format.fprintf} allocates on every
 * call. (What the calls write is {@code PreparedFormatTest}'s.)
 */
@Tag("nogil")
class PreparedPrintfNogilTest {

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final int CALLS = 100_000;

    @Test
    void preparedFprintfAllocatesNothing() throws Exception {
        assertTrue(NogilRegion.checking(), "run through the nogil execution");
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        PreparedFormat line = Format.prepare("%d %.3f %ld\n", int.class, double.class, long.class);
        try (CFile out = CFile.open(Path.of("/dev/null"), "w")) {
            // Rounds until one keeps the promise: the first runs interpreted code, which allocates
            // what C2's compiled code does not (the downcall's errno capture slice); the nogil
            // execution runs without tiered compilation, so that C2 compiles with the stub's profile.
            NogilViolationException last = null;
            long bytesPerCall = -1;
            long printed = 0;
            int rounds = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                rounds++;
                long before = THREADS.getCurrentThreadAllocatedBytes();
                try (NogilRegion _ = NogilRegion.enter("prepared fprintf x " + CALLS)) {
                    printed = 0;
                    for (int i = 0; i < CALLS; i++) {
                        printed += line.fprintf(out, i, i * 0.5, -i);
                    }
                } catch (NogilViolationException e) {
                    last = e;
                    continue;
                }
                bytesPerCall = (THREADS.getCurrentThreadAllocatedBytes() - before) / CALLS;
                break;
            }
            assertTrue(bytesPerCall >= 0, "no round of " + CALLS + " prepared fprintf calls kept the nogil promise in 30 s;"
                + " last: " + (last == null ? "none" : last.getMessage()));
            assertEquals(0, bytesPerCall, "bytes per call on the Java heap");
            System.out.println("prepared fprintf: round " + rounds + " of " + CALLS + " calls kept the nogil promise");
            assertTrue(printed > 10L * CALLS, "the calls printed: " + printed + " bytes");
        }
    }

    /** The check can fail: the boxing {@code Format.fprintf} breaks the same promise on every round. */
    @Test
    void theBoxingFprintfBreaksThePromise() throws Exception {
        Format line = Format.of("%d %.3f %ld\n", int.class, double.class, long.class);
        // Boxed before the region (the processor refuses boxing inside one): what remains is the call's own.
        Object[] args = {1, 0.5, -1L};
        try (CFile out = CFile.open(Path.of("/dev/null"), "w")) {
            for (int round = 0; round < 5; round++) {
                NogilViolationException e = org.junit.jupiter.api.Assertions.assertThrows(NogilViolationException.class, () -> {
                    try (NogilRegion _ = NogilRegion.enter("boxing fprintf")) {
                        for (int i = 0; i < 1_000; i++) {
                            line.fprintf(out, args);
                        }
                    }
                });
                assertTrue(e.getMessage().contains("bytes allocated on the Java heap"), e.getMessage());
            }
        }
    }
}
