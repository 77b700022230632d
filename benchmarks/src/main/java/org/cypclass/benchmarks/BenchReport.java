package org.cypclass.benchmarks;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown report of a bench run: the table of medians and ranges with each row's ratio to
 * its {@link Baseline}, then the verdict on every {@link Goal} and {@link NoHeapAllocation}.
 * A ratio goal is judged over the spread of both sides' iterations ({@link Verdict#of}): MET
 * only when every sample pair meets it, MISS when none does, UNCLEAR in between. An
 * allocation goal is judged against the run's allocation-free reference row
 * ({@link AllocationRule}). A goal whose comparison was not measured is a SKIP; a MISS that the
 * project already knows of prints its {@link Goal#knownMiss() explanation}.
 *
 * @param text     the report
 * @param met      goals met
 * @param missed   goals missed
 * @param unclear  goals the spread of this run cannot decide
 * @param skipped  goals that could not be judged in this run
 */
record BenchReport(String text, int met, int missed, int unclear, int skipped) {

    /** Builds the report of {@code rows}, measured in {@code seconds} in quick or full mode. */
    static BenchReport of(List<BenchRow> rows, boolean full, double seconds) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "## Benchmark results (%s mode, %.0f s, JDK %s, %d cores)%n%n",
            full ? "full" : "quick", seconds, Runtime.version(), Runtime.getRuntime().availableProcessors()));
        text.append("Median and range (min-max) of the measurement iterations, JMH's error (half its 99.9% confidence"
            + " interval of the mean); ratio = median / median of the baseline in the same run.\n");
        text.append("A goal is MET only if it holds over the whole range of the ratio, MISS if it fails over it, UNCLEAR"
            + " otherwise.\n");
        List<BenchRow> times = rows.stream().filter(BenchRow::lowerIsBetter).toList();
        List<BenchRow> throughputs = rows.stream().filter(r -> !r.lowerIsBetter()).toList();
        if (!times.isEmpty()) {
            text.append("\n### Times per operation: lower is better\n\n");
            table(times, rows, text);
        }
        if (!throughputs.isEmpty()) {
            text.append("\n### Throughputs: higher is better\n\n");
            table(throughputs, rows, text);
        }
        BenchRow reference = rows.stream().filter(r -> r.benchmark().equals(JmhFloor.BENCHMARK)).findFirst().orElse(null);
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
                AllocationRule.Judgement judgement = AllocationRule.judge(row, reference);
                verdicts.add(judgement.verdict(), judgement.line(), "");
            }
        }
        if (rows.stream().anyMatch(r -> r.className().endsWith(".ContainerBench"))) {
            // Memory per element: measured here, in the runner's JVM, not by a JMH row.
            for (Footprints.Line line : Footprints.goals()) {
                verdicts.add(line.verdict(), line.text(), "");
            }
        }
        if (!verdicts.lines.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%nGoals (%d met, %d missed, %d unclear, %d skipped):%n",
                verdicts.met, verdicts.missed, verdicts.unclear, verdicts.skipped));
            verdicts.lines.forEach(line -> text.append(line).append('\n'));
        }
        return new BenchReport(text.toString(), verdicts.met, verdicts.missed, verdicts.unclear, verdicts.skipped);
    }

    /** A table of {@code shown}, their baselines looked up among all the run's {@code rows}. */
    private static void table(List<BenchRow> shown, List<BenchRow> rows, StringBuilder text) {
        String format = "| %-58s | %5s | %12s | %9s | %-19s | %-10s | %10s | %8s | %-22s |%n";
        text.append(String.format(Locale.ROOT, format,
            "benchmark", "mode", "median", "± error", "range", "unit", "alloc B/op", "ratio", "baseline"));
        text.append(String.format(Locale.ROOT, format, "-".repeat(58), "-".repeat(5), "-".repeat(12), "-".repeat(9),
            "-".repeat(19), "-".repeat(10), "-".repeat(10), "-".repeat(8), "-".repeat(22)));
        for (BenchRow row : shown) {
            String baseline = row.baseline();
            BenchRow base = baseline == null ? null : row.find(rows, baseline);
            text.append(String.format(Locale.ROOT, format,
                row.label(), row.mode(), format(row.median()), Double.isNaN(row.error()) ? "n/a" : format(row.error()),
                format(row.score().min()) + "-" + format(row.score().max()),
                row.unit(), allocation(row),
                base == null ? (baseline == null ? "" : "?") : String.format(Locale.ROOT, "%.2fx", row.median() / base.median()),
                row.benchmark().equals(JmhFloor.BENCHMARK) ? "(allocation floor)"
                    : baseline == null ? "" : (row.method().equals(baseline) ? "(is baseline)" : baseline)));
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
        Spread ratio = row.score().over(other.score());
        verdicts.add(Verdict.of(ratio, goal.atMost(), goal.atLeast()),
            String.format(Locale.ROOT, "%s %s (measured %.2fx, %sx over the iterations)", row.label(), bound,
                ratio.median(), ratio.range("%.2f")), goal.knownMiss());
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

    /** The goal lines of a report and their counts. */
    private static final class Verdicts {
        final List<String> lines = new ArrayList<>();
        int met;
        int missed;
        int unclear;
        int skipped;

        void add(Verdict verdict, String what, String knownMiss) {
            switch (verdict) {
                case MET -> met++;
                case MISS -> missed++;
                case UNCLEAR -> unclear++;
                case SKIP -> skipped++;
            }
            lines.add("  " + verdict.label() + " " + what);
            if (verdict != Verdict.MET && verdict != Verdict.SKIP && !knownMiss.isEmpty()) {
                lines.add("          known miss: " + knownMiss);
            }
        }
    }
}
