package org.cypclass.tests.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cypclass.examples.Samples;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A huge object is zero at birth without being touched: big blocks come from {@code calloc},
 * whose {@code mmap}'d pages the kernel zeroes lazily, so creating a 2 GiB flexible array costs
 * resident memory only where it is written (the misuse fuzzer's {@code Integer.MAX_VALUE}-element
 * arrays took the test JVM to 15 GB resident when the allocator zeroed them by hand).
 */
class BigZeroedBlockTest {

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void aHugeObjectIsZeroWithoutBecomingResident() throws IOException {
        long elements = 1L << 28;                          // 2 GiB of doubles
        long before = rssKb();
        try (Samples samples = Samples.create(elements, 1)) {
            long after = rssKb();
            assertTrue(after - before < 64 * 1024, "creating 2 GiB made " + (after - before) / 1024 + " MiB resident");
            assertEquals(elements, samples.valuesLength());
            assertEquals(1, samples.dims());
            for (long at = 0; at < elements; at += elements / 64) {
                assertEquals(0.0, samples.values(at), "element " + at + " is zero");
            }
            assertEquals(0.0, samples.values(elements - 1));
            samples.values(elements - 1, 2.5);
            assertEquals(2.5, samples.values(elements - 1));
        }
    }
}
