package org.cypclass.benchmarks;

import java.util.Locale;

/**
 * The verdict on a {@link NoHeapAllocation} row, judged against the allocation-free reference
 * row of the same run ({@link JmhFloor}), never against the row's baseline (a baseline that
 * allocates would excuse a row that allocates less than it).
 *
 * <p>JMH's {@code gc.alloc.rate.norm} counts every byte the forked JVM allocates, JMH's own
 * included: a few kilobytes per second, whatever the benchmark does. The reference row turns
 * that into a rate (its bytes per operation over its seconds per operation); a row's
 * <em>floor</em> is that rate times the row's own seconds per operation, what an
 * allocation-free operation of its length shows. A row passes when its allocation is at most
 * its floor plus a tolerance of {@value #EPSILON} B/op or half the floor, whichever is larger:
 * JMH's own rate moves between forks, and a slow operation (a 1 MiB read, a few thousand per
 * second) carries a floor of about 1 B/op. The tolerance stays far below one object per
 * operation (16 bytes), so any per-operation allocation is a MISS; an allocation amortized
 * over many operations (one 16-byte object per 160) already reaches it.
 *
 * <p>A row that declares {@link ElementsPerOp} is judged per element instead: below
 * {@value #ELEMENT_LIMIT} B per element, far below one allocation per element.
 *
 * <p>Thread-safety: stateless.
 */
final class AllocationRule {

    /** Bytes per operation a row may allocate beyond its floor, at least. */
    static final double EPSILON = 0.1;
    /** The share of its floor a row may allocate beyond it, when that is more than {@link #EPSILON}. */
    static final double FLOOR_SLACK = 0.5;
    /** Bytes per element for rows that declare {@link ElementsPerOp}. */
    static final double ELEMENT_LIMIT = 0.01;

    private AllocationRule() {
    }

    /** A verdict and the report line that says what it rests on. */
    record Judgement(Verdict verdict, String line) {
    }

    /**
     * Judges {@code row}'s allocation.
     *
     * @param row       a row of a {@link NoHeapAllocation} benchmark
     * @param reference the {@link JmhFloor} row of the same run, or null if it was not measured
     * @return the verdict: SKIP when the row has no allocation figure, or when it is above
     *         {@link #EPSILON} and no floor can be computed
     */
    static Judgement judge(BenchRow row, BenchRow reference) {
        double alloc = row.allocPerOp();
        String label = row.label() + " gc.alloc.rate.norm";
        if (Double.isNaN(alloc)) {
            return new Judgement(Verdict.SKIP, label + ": no allocation figure (run with -prof gc)");
        }
        int elements = row.elementsPerOp();
        if (elements > 0) {
            double perElement = alloc / elements;
            return new Judgement(perElement < ELEMENT_LIMIT ? Verdict.MET : Verdict.MISS, String.format(Locale.ROOT,
                "%s < %.2f B/element (measured %.5f B/element: %.3f B/op over %d elements)",
                label, ELEMENT_LIMIT, perElement, alloc, elements));
        }
        if (alloc <= EPSILON) {
            // Within the tolerance of zero, hence of any floor: no reference needed.
            return new Judgement(Verdict.MET, String.format(Locale.ROOT, "%s <= %.1f B/op (measured %.3f)",
                label, EPSILON, alloc));
        }
        double floor = floor(row, reference);
        if (Double.isNaN(floor)) {
            return new Judgement(Verdict.SKIP, String.format(Locale.ROOT,
                "%s: measured %.3f B/op, but no JMH floor to judge it by (%s)", label, alloc,
                reference == null ? JmhFloor.BENCHMARK + " was not measured in this run" : "unit " + row.unit()
                    + " or the reference's " + reference.unit() + " not understood"));
        }
        double allowed = floor + Math.max(EPSILON, FLOOR_SLACK * floor);
        return new Judgement(alloc <= allowed ? Verdict.MET : Verdict.MISS, String.format(Locale.ROOT,
            "%s <= JMH floor + max(%.1f B/op, %.0f%%) (measured %.3f B/op; floor %.3f B/op from %s's %.1f kB/s;"
                + " allowed %.3f)", label, EPSILON, FLOOR_SLACK * 100, alloc, floor, reference.simpleClassName(),
            rate(reference) / 1e3, allowed));
    }

    /** {@return the bytes per operation an allocation-free operation as long as {@code row}'s shows, or NaN} */
    static double floor(BenchRow row, BenchRow reference) {
        return reference == null ? Double.NaN : rate(reference) * row.secondsPerOp();
    }

    /** JMH's own allocation rate in bytes per second, read from the reference row. */
    private static double rate(BenchRow reference) {
        return reference.allocPerOp() / reference.secondsPerOp();
    }
}
