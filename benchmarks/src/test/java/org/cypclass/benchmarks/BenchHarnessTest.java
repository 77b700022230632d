package org.cypclass.benchmarks;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench harness's own rules, on the real benchmark classes of this jar: a pattern brings
 * the benchmarks it is compared with, a goal whose comparison was not measured is a SKIP and
 * not a MET, and a known miss prints its explanation. The verdicts themselves (spread,
 * allocation floor) are {@link VerdictTest}'s.
 */
class BenchHarnessTest {

    private static final String CAPABILITY = CapabilityBench.class.getName();

    private static BenchRow row(String className, String method, double median) {
        return new BenchRow(className + "." + method, className, method, Map.of(), "avgt", Spread.exactly(median), "ns/op",
            0.0, 1);
    }

    @Test
    void aPatternAlsoSelectsTheBaselineAndTheGoalsItIsComparedWith() {
        BenchSelection selection = BenchSelection.of(List.of("CapabilityBench\\.writeGuard$"));
        assertEquals(List.of(CAPABILITY + ".writeGuard"), List.copyOf(selection.requested()));
        // writeGuard's goals name stampedWrite and rrwlWrite; stampedWrite's baseline is itself.
        assertTrue(selection.added().contains(CAPABILITY + ".stampedWrite"), selection.added().toString());
        assertTrue(selection.added().contains(CAPABILITY + ".rrwlWrite"), selection.added().toString());
        // writeGuard is @NoHeapAllocation: the allocation-free reference row comes along.
        assertTrue(selection.added().contains(JmhFloor.BENCHMARK), selection.added().toString());
        assertEquals(4, selection.all().size());
    }

    @Test
    void aGoalOnAnotherClassBringsThatClassesBenchmark() {
        BenchSelection selection = BenchSelection.of(List.of("ObjectBench\\.cypCreateClose$"));
        assertTrue(selection.added().contains(AllocBench.class.getName() + ".cypAllocFree"), selection.added().toString());
    }

    @Test
    void theEstimateCountsEveryRunAndEveryFork() {
        BenchSelection selection = BenchSelection.of(List.of("CapabilityBench\\.writeGuard$"));
        long quick = selection.estimatedSeconds(1, 8);
        assertEquals(2 * quick, selection.estimatedSeconds(2, 8));
        assertTrue(quick >= 4 * 8, "four benchmarks of 8 s of iterations each: " + quick);
    }

    @Test
    void timesAndThroughputsAreTabledApartWithJmhsErrorBesideEachMedian() {
        String actor = ActorBench.class.getName();
        BenchRow time = new BenchRow(CAPABILITY + ".writeGuard", CAPABILITY, "writeGuard", Map.of(), "avgt",
            Spread.exactly(20), "ns/op", 0.0, 1, 0.25);
        BenchRow rate = new BenchRow(actor + ".oneWay", actor, "oneWay", Map.of(), "thrpt", Spread.exactly(9), "ops/us", 0.1, 2);
        String text = BenchReport.of(List.of(rate, time), false, 1).text();
        int times = text.indexOf("### Times per operation: lower is better");
        int throughputs = text.indexOf("### Throughputs: higher is better");
        assertTrue(times >= 0 && throughputs > times, text);
        assertTrue(text.indexOf("| CapabilityBench.writeGuard") > times && text.indexOf("| CapabilityBench.writeGuard") < throughputs, text);
        assertTrue(text.indexOf("| ActorBench.oneWay") > throughputs, text);
        assertTrue(text.contains("|        20.00 |     0.250 |"), "the error beside the median:\n" + text);
        assertTrue(text.contains("|         9.000 |       n/a |") || text.contains("|        9.000 |       n/a |"),
            "an unknown error says so:\n" + text);
    }

    @Test
    void anUnmeasuredComparisonIsASkipNotAMet() {
        // writeGuard alone: its two ratio goals cannot be judged, its allocation goal can.
        BenchReport report = BenchReport.of(List.of(row(CAPABILITY, "writeGuard", 20)), false, 1);
        assertEquals(2, report.skipped(), report.text());
        assertEquals(1, report.met(), report.text());
        assertEquals(0, report.missed(), report.text());
        assertTrue(report.text().contains("Goals (1 met, 0 missed, 0 unclear, 2 skipped)"), report.text());
        assertTrue(report.text().contains("SKIP    CapabilityBench.writeGuard <= 1.00 x stampedWrite"), report.text());
    }

    @Test
    void aKnownMissIsAMissThatSaysWhy() {
        BenchReport report = BenchReport.of(List.of(row(CAPABILITY, "writeGuard", 20), row(CAPABILITY, "stampedWrite", 40),
            row(CAPABILITY, "rrwlWrite", 30)), false, 1);
        assertEquals(1, report.missed(), report.text());
        assertEquals(2, report.met(), report.text());
        assertTrue(report.text().contains("MISS    CapabilityBench.writeGuard <= 0.50 x rrwlWrite (measured 0.67x, 0.67-0.67x"
            + " over the iterations)"), report.text());
        assertTrue(report.text().contains("known miss: "), report.text());
        assertTrue(report.text().contains("| CapabilityBench.writeGuard"), report.text());
        assertTrue(report.text().contains("0.50x | stampedWrite"), report.text());
    }

    @Test
    void durationsReadAsSecondsThenMinutes() {
        assertEquals("36 s", BenchRunner.duration(36));
        assertEquals("4 min", BenchRunner.duration(250));
    }

    @Test
    void thePrintfRowsPrintALineOnceOutsideJmhAndArePairedWithTheirBaseline() throws Exception {
        LibcBench bench = new LibcBench();
        LibcBench.Printer printer = new LibcBench.Printer();
        printer.open();
        try {
            // "3 1.500 -3\n" and "4 2.000 -4\n": the bytes each call printed.
            printer.next = 3;
            assertEquals(11, bench.printfPrepared(printer));
            assertEquals(11, bench.fprintfBoxed(printer));
            assertEquals(5, printer.next);
        } finally {
            printer.close();
        }
        BenchSelection selection = BenchSelection.of(List.of("LibcBench\\.printfPrepared$"));
        String libc = LibcBench.class.getName();
        assertTrue(selection.added().contains(libc + ".fprintfBoxed"), selection.added().toString());
        assertTrue(selection.added().contains(JmhFloor.BENCHMARK), "@NoHeapAllocation brings the floor row: "
            + selection.added());
        assertTrue(LibcBench.class.getMethod("printfPrepared", LibcBench.Printer.class).isAnnotationPresent(NoHeapAllocation.class),
            "judged allocation-free");
        assertEquals(3, selection.all().size(), "not the read rows, which need the 256 MiB file: " + selection.all());
    }
}
