package org.cypclass.benchmarks;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verdicts of a bench run on synthetic JMH results: a ratio goal judged over the spread of
 * both sides' iterations, and {@link NoHeapAllocation} judged against the allocation-free
 * reference row of the run, never against the row's baseline.
 */
class VerdictTest {

    private static final String CAPABILITY = CapabilityBench.class.getName();
    private static final String LIBC = LibcBench.class.getName();
    private static final String ACTOR = ActorBench.class.getName();

    /** JMH's own 7 kB/s (the figure docs/BENCHMARKS.md records), on a 100 ns operation. */
    private static final BenchRow FLOOR = new BenchRow(JmhFloor.BENCHMARK, JmhFloor.class.getName(), "burnCpu", Map.of(),
        "avgt", Spread.exactly(100), "ns/op", 7000 * 100e-9, 1);

    private static BenchRow avgt(String className, String method, double alloc, double... samples) {
        return new BenchRow(className + "." + method, className, method, Map.of(), "avgt", Spread.of(samples), "ns/op",
            alloc, 1);
    }

    private static String verdictLine(BenchReport report, String start) {
        return report.text().lines().filter(line -> line.trim().startsWith(start)).findFirst()
            .orElseThrow(() -> new AssertionError("no line starting with " + start + " in\n" + report.text()));
    }

    @Test
    void aSpreadHasItsMedianAndItsEnds() {
        Spread spread = Spread.of(3, 1, 2, 10);
        assertEquals(2.5, spread.median());
        assertEquals(1, spread.min());
        assertEquals(10, spread.max());
        Spread ratio = Spread.of(2, 4).over(Spread.of(1, 2));
        assertEquals(1, ratio.min(), "smallest over largest");
        assertEquals(4, ratio.max(), "largest over smallest");
    }

    @Test
    void aBoundIsMetOnlyWhenTheWholeSpreadMeetsIt() {
        assertEquals(Verdict.MET, Verdict.of(new Spread(0.9, 0.8, 0.95), 1.0, Double.NaN));
        assertEquals(Verdict.UNCLEAR, Verdict.of(new Spread(0.9, 0.8, 1.05), 1.0, Double.NaN));
        assertEquals(Verdict.MISS, Verdict.of(new Spread(1.2, 1.1, 1.3), 1.0, Double.NaN));
        // A throughput bound from below: the worst sample is the smallest.
        assertEquals(Verdict.MET, Verdict.of(new Spread(0.7, 0.5, 0.9), Double.NaN, 0.3));
        assertEquals(Verdict.UNCLEAR, Verdict.of(new Spread(0.4, 0.2, 0.9), Double.NaN, 0.3));
        assertEquals(Verdict.MISS, Verdict.of(new Spread(0.18, 0.15, 0.2), Double.NaN, 0.3));
        assertEquals(Verdict.SKIP, Verdict.of(Spread.of(), 1.0, Double.NaN));
    }

    @Test
    void aMedianBelowTheGoalIsNotAMetWhenItsIterationsStraddleIt() {
        // writeGuard's median is 0.94x stampedWrite, but one iteration pair reads 1.25x.
        BenchReport report = BenchReport.of(List.of(avgt(CAPABILITY, "writeGuard", 0, 19, 19.5, 20, 25),
            avgt(CAPABILITY, "stampedWrite", 0, 20, 21, 21, 24), FLOOR), false, 1);
        String line = verdictLine(report, "UNCLEAR CapabilityBench.writeGuard <= 1.00 x stampedWrite");
        assertTrue(line.contains("measured 0.94x, 0.79-1.25x over the iterations"), line);
        assertEquals(1, report.unclear(), report.text());
    }

    @Test
    void aGoalMissedByEveryIterationIsAMissAndMetByEveryOneIsAMet() {
        BenchReport missed = BenchReport.of(List.of(avgt(CAPABILITY, "writeGuard", 0, 30, 31, 32),
            avgt(CAPABILITY, "stampedWrite", 0, 20, 21, 22)), false, 1);
        verdictLine(missed, "MISS    CapabilityBench.writeGuard <= 1.00 x stampedWrite");
        BenchReport met = BenchReport.of(List.of(avgt(CAPABILITY, "writeGuard", 0, 20, 21, 22),
            avgt(CAPABILITY, "stampedWrite", 0, 30, 31, 32)), false, 1);
        verdictLine(met, "MET     CapabilityBench.writeGuard <= 1.00 x stampedWrite");
    }

    @Test
    void anAllocatingBaselineDoesNotExcuseARow() {
        // Issue 18: consumeList1k passed at 112 B/op because javaDeepCopy1k allocates 24 kB.
        BenchReport report = BenchReport.of(List.of(avgt(CAPABILITY, "consumeList1k", 112.5, 21139),
            avgt(CAPABILITY, "javaDeepCopy1k", 24000, 5645), FLOOR), false, 1);
        String line = verdictLine(report, "MISS    CapabilityBench.consumeList1k gc.alloc.rate.norm");
        assertTrue(line.contains("floor 0.148 B/op"), "7 kB/s over 21 us: " + line);
    }

    @Test
    void aRowAtTheFloorOfItsOwnLengthPasses() {
        // A 1 MiB read, 5617 per second: JMH's 7 kB/s alone is 1.25 B per read.
        Map<String, String> mib = Map.of("bufferSize", "1048576");
        BenchRow fread = new BenchRow(LIBC + ".freadSequential", LIBC, "freadSequential", mib, "thrpt",
            Spread.exactly(5617), "ops/s", 1.228, 1);
        assertEquals(1.246, AllocationRule.floor(fread, FLOOR), 0.001);
        assertEquals(Verdict.MET, AllocationRule.judge(fread, FLOOR).verdict());
        // Sixteen bytes more per read, one small object, is a miss.
        BenchRow allocating = new BenchRow(LIBC + ".freadSequential", LIBC, "freadSequential", mib, "thrpt",
            Spread.exactly(5617), "ops/s", 17.228, 1);
        assertEquals(Verdict.MISS, AllocationRule.judge(allocating, FLOOR).verdict());
    }

    @Test
    void aMessageThatAllocatesIsAMissWhateverItsBaselineAllocates() {
        // Issue 18: oneWay once passed at 24 B per message (executorOneWay allocates 24 too).
        BenchRow oneWay = new BenchRow(ACTOR + ".oneWay", ACTOR, "oneWay", Map.of(), "thrpt", Spread.exactly(15.12),
            "ops/us", 24.133, 1);
        BenchRow executor = new BenchRow(ACTOR + ".executorOneWay", ACTOR, "executorOneWay", Map.of(), "thrpt",
            Spread.exactly(4.07), "ops/us", 24.282, 1);
        BenchReport report = BenchReport.of(List.of(oneWay, executor, FLOOR), false, 1);
        verdictLine(report, "MISS    ActorBench.oneWay gc.alloc.rate.norm");
    }

    @Test
    void withoutTheReferenceRowAnAllocationAboveTheToleranceIsASkip() {
        BenchReport report = BenchReport.of(List.of(avgt(CAPABILITY, "consumeList1k", 112.5, 21139)), false, 1);
        String line = verdictLine(report, "SKIP    CapabilityBench.consumeList1k gc.alloc.rate.norm");
        assertTrue(line.contains(JmhFloor.BENCHMARK + " was not measured"), line);
        // Below the tolerance, a row passes without it: it is within that of any floor.
        BenchReport clean = BenchReport.of(List.of(avgt(CAPABILITY, "consumeList1k", 0.05, 21139)), false, 1);
        verdictLine(clean, "MET     CapabilityBench.consumeList1k gc.alloc.rate.norm <= 0.1 B/op");
    }

    @Test
    void theWallTimeOfAnOperationCountsItsThreads() {
        BenchRow twoThreads = new BenchRow("x.Y.z", "x.Y", "z", Map.of(), "avgt", Spread.exactly(200), "ns/op", 0, 2);
        assertEquals(100e-9, twoThreads.secondsPerOp(), 1e-15);
        BenchRow perMicro = new BenchRow("x.Y.z", "x.Y", "z", Map.of(), "thrpt", Spread.exactly(4), "ops/us", 0, 2);
        assertEquals(0.25e-6, perMicro.secondsPerOp(), 1e-15);
        BenchRow unknown = new BenchRow("x.Y.z", "x.Y", "z", Map.of(), "thrpt", Spread.exactly(4), "MB/s", 0, 1);
        assertTrue(Double.isNaN(unknown.secondsPerOp()));
    }
}
