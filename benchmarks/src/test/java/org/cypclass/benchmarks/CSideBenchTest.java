package org.cypclass.benchmarks;

import java.io.IOException;

import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both rows of {@link CSideBench} run once outside JMH: each makes {@value CSideBench#CALLS}
 * calls from C that all add to the same adder, and the setup's gcc build works.
 */
class CSideBenchTest {

    private static boolean gccInstalled() {
        try {
            Process gcc = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            gcc.getInputStream().readAllBytes();
            return gcc.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void eachRowMakesItsCallsOnTheSameAdder() throws Throwable {
        assumeTrue(gccInstalled(), "gcc is not installed (not found on PATH): skipping CSideBench's check; install gcc"
            + " (Debian: apt-get install gcc) to run it");
        long n = CSideBench.CALLS;
        CSideBench bench = new CSideBench();
        try {
            bench.setUp();
            assertEquals(n * (n + 1) / 2, bench.cCallsMethod(), "C's calls of the exported add, 1 to n");
            assertEquals(n, bench.value());
            assertEquals(n * n + n * (n + 1) / 2, bench.plainUpcall(), "the bare upcall's, n + 1 to 2n");
            assertEquals(2 * n, bench.value());
        } finally {
            bench.tearDown();
        }
        assertEquals(0, MemoryStats.snapshot().of(BenchAdder.class.getName()).liveBlocks());
    }
}
