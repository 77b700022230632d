package org.cypclass.benchmarks;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown report of a bench run: the table of medians with each row's ratio to its
 * {@link Baseline}, then the verdict on every {@link Goal} and {@link NoHeapAllocation}.
 * A goal whose comparison was not measured is a SKIP, counted apart from MET and MISS; a
 * MISS that the project already knows of prints its {@link Goal#knownMiss() explanation}.
 *
 * @param text    the report
 * @param met     goals met
 * @param missed  goals missed
 * @param skipped goals that could not be judged in this run
 */
record BenchReport(String text, int met, int missed, int skipped) {

    private static final double ALLOCATION_LIMIT = 1.0;
    /**
     * The verdict per element for rows that declare {@link ElementsPerOp}: 10 kB per operation
     * of 10^6 elements, ten times JMH's own share, while one allocation per element is 16 bytes.
     */
    private static final double ELEMENT_ALLOCATION_LIMIT = 0.01;

    /** Builds the report of {@code rows}, measured in {@code seconds} in quick or full mode. */
    static BenchReport of(List<BenchRow> rows, boolean full, double seconds) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "## Benchmark results (%s mode, %.0f s, JDK %s, %d cores)%n%n",
            full ? "full" : "quick", seconds, Runtime.version(), Runtime.getRuntime().availableProcessors()));
        text.append("Median of the measurement iterations; ratio = median / median of the baseline in the same run.\n");
        text.append("For times (avgt) lower is better; for throughputs (thrpt) higher is better.\n\n");
        table(rows, text);
        Verdicts verdicts = new Verdicts();
        for (BenchRow row : rows) {
            Method method = row.javaMethod();
            if (method == null) {
                continue;
            }
            for (Goal goal : method.getAnnotationsByType(Goal.class)) {
                judgeRatio(row, goal, rows, verdicts);
            }
            if (method.isAnnotationPresent(NoHeapAllocation.class)) {
                judgeAllocation(row, rows, verdicts);
            }
        }
        if (rows.stream().anyMatch(r -> r.className().endsWith(".ContainerBench"))) {
            // Memory per element: measured here, in the runner's JVM, not by a JMH row.
            for (String line : Footprints.goals()) {
                verdicts.add(line.contains("MISS") ? Verdict.MISS : Verdict.MET, line.substring(8), "");
            }
        }
        if (!verdicts.lines.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%nGoals (%d met, %d missed, %d skipped):%n",
                verdicts.met, verdicts.missed, verdicts.skipped));
            verdicts.lines.forEach(line -> text.append(line).append('\n'));
        }
        return new BenchReport(text.toString(), verdicts.met, verdicts.missed, verdicts.skipped);
    }

    private static void table(List<BenchRow> rows, StringBuilder text) {
        text.append(String.format(Locale.ROOT, "| %-58s | %5s | %12s | %-10s | %10s | %8s | %-22s |%n",
            "benchmark", "mode", "median", "unit", "alloc B/op", "ratio", "baseline"));
        text.append("|").append("-".repeat(60)).append("|").append("-".repeat(7)).append("|").append("-".repeat(14))
            .append("|").append("-".repeat(12)).append("|").append("-".repeat(12)).append("|").append("-".repeat(10))
            .append("|").append("-".repeat(24)).append("|\n");
        for (BenchRow row : rows) {
            String baseline = row.baseline();
            BenchRow base = baseline == null ? null : row.find(rows, baseline);
            text.append(String.format(Locale.ROOT, "| %-58s | %5s | %12s | %-10s | %10s | %8s | %-22s |%n",
                row.label(), row.mode(), format(row.median()), row.unit(), allocation(row),
                base == null ? (baseline == null ? "" : "?") : String.format(Locale.ROOT, "%.2fx", row.median() / base.median()),
                baseline == null ? "" : (row.method().equals(baseline) ? "(is baseline)" : baseline)));
        }
    }

    private static void judgeRatio(BenchRow row, Goal goal, List<BenchRow> rows, Verdicts verdicts) {
        String bound = String.format(Locale.ROOT, "%s %.2f x %s", Double.isNaN(goal.atMost()) ? ">=" : "<=",
            Double.isNaN(goal.atMost()) ? goal.atLeast() : goal.atMost(), goal.vs());
        BenchRow other = row.find(rows, goal.vs());
        if (other == null) {
            verdicts.add(Verdict.SKIP, row.label() + " " + bound + ": " + goal.vs() + " was not measured in this run", "");
            return;
        }
        double ratio = row.median() / other.median();
        boolean ok = (Double.isNaN(goal.atMost()) || ratio <= goal.atMost())
            && (Double.isNaN(goal.atLeast()) || ratio >= goal.atLeast());
        verdicts.add(ok ? Verdict.MET : Verdict.MISS,
            String.format(Locale.ROOT, "%s %s (measured %.2fx)", row.label(), bound, ratio), goal.knownMiss());
    }

    private static void judgeAllocation(BenchRow row, List<BenchRow> rows, Verdicts verdicts) {
        int elements = row.elementsPerOp();
        if (elements > 0) {
            // Judged per element: see ElementsPerOp.
            double perElement = row.allocPerOp() / elements;
            boolean ok = !Double.isNaN(perElement) && perElement < ELEMENT_ALLOCATION_LIMIT;
            verdicts.add(ok ? Verdict.MET : Verdict.MISS, String.format(Locale.ROOT,
                "%s gc.alloc.rate.norm < %.2f B/element (measured %.5f B/element: %.3f B/op over %d elements)",
                row.label(), ELEMENT_ALLOCATION_LIMIT, perElement, row.allocPerOp(), elements), "");
            return;
        }
        // JMH's own infrastructure allocates a little per iteration; for slow operations (a
        // 1 MiB read) that shows up as a few B/op on every row, allocation-free baselines
        // included. Such a row passes when it allocates less than 1 B/op more than its
        // allocation-free baseline measured in the same run, and says so.
        String base = row.baseline();
        BenchRow baseRow = base == null ? null : row.find(rows, base);
        boolean below = !Double.isNaN(row.allocPerOp()) && row.allocPerOp() < ALLOCATION_LIMIT;
        boolean atFloor = !below && baseRow != null && baseRow != row && !Double.isNaN(row.allocPerOp())
            && row.allocPerOp() < baseRow.allocPerOp() + ALLOCATION_LIMIT;
        verdicts.add(below || atFloor ? Verdict.MET : Verdict.MISS, String.format(Locale.ROOT,
            "%s gc.alloc.rate.norm < %.0f B/op (measured %.3f%s)", row.label(), ALLOCATION_LIMIT, row.allocPerOp(),
            atFloor ? String.format(Locale.ROOT, "; JMH floor: baseline %s shows %.3f", base, baseRow.allocPerOp()) : ""), "");
    }

    /** The alloc cell: bytes per operation, or per element for rows that declare their element count. */
    private static String allocation(BenchRow row) {
        if (Double.isNaN(row.allocPerOp())) {
            return "n/a";
        }
        int elements = row.elementsPerOp();
        return elements > 0 ? String.format(Locale.ROOT, "%.5f/el", row.allocPerOp() / elements)
            : String.format(Locale.ROOT, "%.3f", row.allocPerOp());
    }

    static String format(double value) {
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.2f" : "%.3f", value);
    }

    private enum Verdict { MET, MISS, SKIP }

    /** The goal lines of a report and their counts. */
    private static final class Verdicts {
        final List<String> lines = new ArrayList<>();
        int met;
        int missed;
        int skipped;

        void add(Verdict verdict, String what, String knownMiss) {
            switch (verdict) {
                case MET -> met++;
                case MISS -> missed++;
                case SKIP -> skipped++;
            }
            lines.add(String.format(Locale.ROOT, "  %-4s  %s", verdict, what));
            if (verdict == Verdict.MISS && !knownMiss.isEmpty()) {
                lines.add("        known miss: " + knownMiss);
            }
        }
    }
}
