package org.cypclass.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The main job of {@code ./cypclass bench}: runs every JMH benchmark of this jar (or those
 * matching the given patterns) one after the other with the GC profiler, shows progress, and
 * prints a table of each benchmark's median score with its ratio to its {@link Baseline},
 * then checks every {@link Goal} and {@link NoHeapAllocation}.
 *
 * <p>Medians are taken over the measurement iterations of one run: on a shared, noisy machine
 * they are steadier than means, and a ratio to a baseline measured in the same run is what
 * can be compared across machines. The table is also written to
 * {@code benchmarks/target/bench-results.md}.
 */
public final class BenchRunner {

    private static final double ALLOCATION_LIMIT = 1.0;
    /**
     * The verdict per element for rows that declare {@link ElementsPerOp}: 10 kB per operation
     * of 10^6 elements, ten times JMH's own share, while one allocation per element is 16 bytes.
     */
    private static final double ELEMENT_ALLOCATION_LIMIT = 0.01;

    private record Row(String benchmark, String className, String method, Map<String, String> params,
                       String mode, double median, String unit, double allocPerOp, int iterations) {
        String label() {
            String shortName = className.substring(className.lastIndexOf('.') + 1) + "." + method;
            return params.isEmpty() ? shortName : shortName + params;
        }
    }

    private BenchRunner() {
    }

    /**
     * Runs the suite.
     *
     * @param args {@code --full}, {@code --list}, and regular expressions selecting benchmarks
     */
    public static void main(String[] args) throws RunnerException, IOException {
        boolean full = false;
        boolean listOnly = false;
        List<String> patterns = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--full" -> full = true;
                case "--list" -> listOnly = true;
                default -> {
                    if (arg.startsWith("-")) {
                        System.err.println("bench: unknown option " + arg + " (use --full, --list, or benchmark name patterns)");
                        System.exit(64);
                    }
                    patterns.add(arg);
                }
            }
        }
        SortedSet<String> benchmarks = discover(patterns);
        if (benchmarks.isEmpty()) {
            System.err.println("bench: no benchmark matches " + patterns);
            System.exit(1);
        }
        if (listOnly) {
            benchmarks.forEach(System.out::println);
            return;
        }
        PrintStream out = System.out;
        Files.createDirectories(BENCH_DIR.resolve("jmh"));
        out.printf("bench: %d benchmarks, %s mode (%s), each in a forked JVM with -prof gc%n", benchmarks.size(),
            full ? "full" : "quick", full ? "2 forks x (5 x 2 s warm-up + 10 x 2 s)" : "1 fork x (3 x 1 s warm-up + 5 x 1 s)");
        List<Row> rows = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int n = 0;
        long started = System.nanoTime();
        for (String benchmark : benchmarks) {
            n++;
            out.printf("[%d/%d] %s ... ", n, benchmarks.size(), shortName(benchmark));
            out.flush();
            waitForOtherJmhRuns(out);
            long t0 = System.nanoTime();
            Collection<RunResult> results;
            try {
                results = new Runner(options(benchmark, full).build(),
                    OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT)).run();
            } catch (RunnerException e) {
                failed.add(benchmark);
                out.printf("FAILED: %s%n", rootMessage(e));
                continue;
            }
            List<Row> produced = new ArrayList<>();
            for (RunResult result : results) {
                produced.add(toRow(result));
            }
            rows.addAll(produced);
            out.printf("%s (%.0f s)%n", produced.stream().map(r -> format(r.median) + " " + r.unit).toList(),
                (System.nanoTime() - t0) / 1e9);
        }
        String report = report(rows, full, (System.nanoTime() - started) / 1e9);
        out.println();
        out.print(report);
        Path file = Path.of("benchmarks", "target", "bench-results.md");
        if (Files.isDirectory(file.getParent())) {
            Files.writeString(file, report);
            Files.createDirectories(BENCH_DIR);
            Files.writeString(BENCH_DIR.resolve("results.md"), report);
            List<Path> charts = charts(rows);
            out.println("\n(written to " + file + ", " + BENCH_DIR.resolve("results.md") + ", JMH JSON in "
                + BENCH_DIR.resolve("jmh") + ", " + charts.size() + " chart" + (charts.size() == 1 ? "" : "s") + " in "
                + BENCH_DIR + ")");
        }
        if (!failed.isEmpty()) {
            System.err.println("bench: " + failed.size() + " benchmark(s) failed: " + failed);
            System.exit(1);
        }
    }

    /**
     * JMH refuses to start while another JMH run holds its lock file; wait for it instead of
     * failing, saying so once.
     */
    private static void waitForOtherJmhRuns(PrintStream out) throws IOException {
        Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        boolean told = false;
        while (true) {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock held = channel.tryLock()) {
                if (held != null) {
                    return;
                }
            } catch (java.nio.channels.OverlappingFileLockException e) {
                return;
            }
            if (!told) {
                out.print("(waiting for another JMH run to finish) ");
                out.flush();
                told = true;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static SortedSet<String> discover(List<String> patterns) {
        List<Pattern> compiled = patterns.stream().map(Pattern::compile).toList();
        SortedSet<String> names = new TreeSet<>();
        for (BenchmarkListEntry entry : BenchmarkList.defaultList().getAll(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())) {
            String name = entry.getUsername();
            if (compiled.isEmpty() || compiled.stream().anyMatch(p -> p.matcher(name).find())) {
                names.add(name);
            }
        }
        return names;
    }

    /** Where every run leaves its JMH JSON, its Markdown table and its charts. */
    private static final Path BENCH_DIR = Path.of("benchmarks", "target", "bench");

    /**
     * One bar chart per benchmark class: each row's ratio to its baseline, measured in this
     * run (1.0 is the baseline; for times lower is better, for throughputs higher).
     */
    private static List<Path> charts(List<Row> rows) throws IOException {
        Map<String, List<Row>> byClass = new java.util.TreeMap<>();
        for (Row row : rows) {
            byClass.computeIfAbsent(row.className.substring(row.className.lastIndexOf('.') + 1), c -> new ArrayList<>())
                .add(row);
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<Row>> entry : byClass.entrySet()) {
            List<String> names = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (Row row : entry.getValue()) {
                String baseline = baselineOf(row);
                Row base = baseline == null ? null : find(rows, row, baseline);
                if (base != null && base.median > 0) {
                    names.add(row.method + (row.params.isEmpty() ? "" : row.params.toString()) + " (" + row.mode + ")");
                    ratios.add(row.median / base.median);
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(1000)
                .height(Math.max(320, 160 + 28 * names.size())).title(entry.getKey() + ": ratio to baseline (same run)")
                .xAxisTitle("").yAxisTitle("x baseline").build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisLabelRotation(30);
            chart.addSeries("ratio", names, ratios);
            Path png = BENCH_DIR.resolve(entry.getKey() + ".png");
            org.knowm.xchart.BitmapEncoder.saveBitmap(chart, png.toString(), org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
            written.add(png);
        }
        return written;
    }

    private static ChainedOptionsBuilder options(String benchmark, boolean full) {
        ChainedOptionsBuilder options = new OptionsBuilder()
            .include("^" + Pattern.quote(benchmark) + "$")
            .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
            .result(BENCH_DIR.resolve("jmh").resolve(benchmark + ".json").toString())
            .addProfiler(GCProfiler.class)
            // A fixed, pre-touched heap: baselines that allocate (javaNew) otherwise move with the
            // collector's adaptive sizing from one fork to the next.
            .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch")
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT);
        if (full) {
            return options.forks(2).warmupIterations(5).warmupTime(TimeValue.seconds(2))
                .measurementIterations(10).measurementTime(TimeValue.seconds(2));
        }
        return options.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
            .measurementIterations(5).measurementTime(TimeValue.seconds(1));
    }

    private static Row toRow(RunResult result) {
        BenchmarkParams params = result.getParams();
        String benchmark = params.getBenchmark();
        int dot = benchmark.lastIndexOf('.');
        Map<String, String> paramValues = new LinkedHashMap<>();
        for (String key : params.getParamsKeys()) {
            paramValues.put(key, params.getParam(key));
        }
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult benchmarkResult : result.getBenchmarkResults()) {
            for (IterationResult iteration : benchmarkResult.getIterationResults()) {
                scores.add(iteration.getPrimaryResult().getScore());
            }
        }
        double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        Map<String, Result> secondary = result.getAggregatedResult().getSecondaryResults();
        Result alloc = secondary.get("gc.alloc.rate.norm");
        if (alloc == null) {
            alloc = secondary.get("·gc.alloc.rate.norm");
        }
        return new Row(benchmark, benchmark.substring(0, dot), benchmark.substring(dot + 1), paramValues,
            params.getMode().shortLabel(), median, result.getPrimaryResult().getScoreUnit(),
            alloc == null ? Double.NaN : alloc.getScore(), sorted.length);
    }

    private static String report(List<Row> rows, boolean full, double seconds) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "## Benchmark results (%s mode, %.0f s, JDK %s, %d cores)%n%n",
            full ? "full" : "quick", seconds, Runtime.version(), Runtime.getRuntime().availableProcessors()));
        text.append("Median of the measurement iterations; ratio = median / median of the baseline in the same run.\n");
        text.append("For times (avgt) lower is better; for throughputs (thrpt) higher is better.\n\n");
        text.append(String.format(Locale.ROOT, "| %-58s | %5s | %12s | %-10s | %10s | %8s | %-22s |%n",
            "benchmark", "mode", "median", "unit", "alloc B/op", "ratio", "baseline"));
        text.append("|").append("-".repeat(60)).append("|").append("-".repeat(7)).append("|").append("-".repeat(14))
            .append("|").append("-".repeat(12)).append("|").append("-".repeat(12)).append("|").append("-".repeat(10))
            .append("|").append("-".repeat(24)).append("|\n");
        for (Row row : rows) {
            String baseline = baselineOf(row);
            Row base = baseline == null ? null : find(rows, row, baseline);
            text.append(String.format(Locale.ROOT, "| %-58s | %5s | %12s | %-10s | %10s | %8s | %-22s |%n",
                row.label(), row.mode, format(row.median), row.unit, allocation(row),
                base == null ? (baseline == null ? "" : "?") : String.format(Locale.ROOT, "%.2fx", row.median / base.median),
                baseline == null ? "" : (row.method.equals(baseline) ? "(is baseline)" : baseline)));
        }
        List<String> goals = new ArrayList<>();
        int missed = 0;
        for (Row row : rows) {
            Method method = method(row);
            if (method == null) {
                continue;
            }
            for (Goal goal : method.getAnnotationsByType(Goal.class)) {
                Row other = find(rows, row, goal.vs());
                if (other == null) {
                    goals.add(String.format("  SKIP  %s vs %s: %s was not run", row.label(), goal.vs(), goal.vs()));
                    continue;
                }
                double ratio = row.median / other.median;
                boolean ok = (Double.isNaN(goal.atMost()) || ratio <= goal.atMost())
                    && (Double.isNaN(goal.atLeast()) || ratio >= goal.atLeast());
                missed += ok ? 0 : 1;
                goals.add(String.format(Locale.ROOT, "  %-4s  %s %s %.2f x %s (measured %.2fx)", ok ? "MET" : "MISS",
                    row.label(), Double.isNaN(goal.atMost()) ? ">=" : "<=",
                    Double.isNaN(goal.atMost()) ? goal.atLeast() : goal.atMost(), goal.vs(), ratio));
            }
            int elements = elementsPerOp(row);
            if (method.isAnnotationPresent(NoHeapAllocation.class) && elements > 0) {
                // Judged per element: see ElementsPerOp.
                double perElement = row.allocPerOp / elements;
                boolean ok = !Double.isNaN(perElement) && perElement < ELEMENT_ALLOCATION_LIMIT;
                missed += ok ? 0 : 1;
                goals.add(String.format(Locale.ROOT,
                    "  %-4s  %s gc.alloc.rate.norm < %.2f B/element (measured %.5f B/element: %.3f B/op over %d elements)",
                    ok ? "MET" : "MISS", row.label(), ELEMENT_ALLOCATION_LIMIT, perElement, row.allocPerOp, elements));
            } else if (method.isAnnotationPresent(NoHeapAllocation.class)) {
                // JMH's own infrastructure allocates a little per iteration; for slow operations
                // (a 1 MiB read) that shows up as a few B/op on every row, allocation-free
                // baselines included. Such a row passes when it allocates less than 1 B/op more
                // than its allocation-free baseline measured in the same run, and says so.
                String base = baselineOf(row);
                Row baseRow = base == null ? null : find(rows, row, base);
                boolean below = !Double.isNaN(row.allocPerOp) && row.allocPerOp < ALLOCATION_LIMIT;
                boolean atFloor = !below && baseRow != null && baseRow != row && !Double.isNaN(row.allocPerOp)
                    && row.allocPerOp < baseRow.allocPerOp + ALLOCATION_LIMIT;
                boolean ok = below || atFloor;
                missed += ok ? 0 : 1;
                goals.add(String.format(Locale.ROOT, "  %-4s  %s gc.alloc.rate.norm < %.0f B/op (measured %.3f%s)",
                    ok ? "MET" : "MISS", row.label(), ALLOCATION_LIMIT, row.allocPerOp,
                    atFloor ? String.format(Locale.ROOT, "; JMH floor: baseline %s shows %.3f", base, baseRow.allocPerOp) : ""));
            }
        }
        if (rows.stream().anyMatch(r -> r.className.endsWith(".ContainerBench"))) {
            // Memory per element: measured here, in the runner's JVM, not by a JMH row.
            for (String line : Footprints.goals()) {
                missed += line.contains("MISS") ? 1 : 0;
                goals.add(line);
            }
        }
        if (!goals.isEmpty()) {
            text.append("\nGoals (").append(goals.size() - missed).append(" met, ").append(missed).append(" missed):\n");
            goals.forEach(line -> text.append(line).append('\n'));
        }
        return text.toString();
    }

    /** The alloc cell: bytes per operation, or per element for rows that declare their element count. */
    private static String allocation(Row row) {
        if (Double.isNaN(row.allocPerOp)) {
            return "n/a";
        }
        int elements = elementsPerOp(row);
        return elements > 0 ? String.format(Locale.ROOT, "%.5f/el", row.allocPerOp / elements)
            : String.format(Locale.ROOT, "%.3f", row.allocPerOp);
    }

    /** The row's {@link ElementsPerOp}, from its method or else its class; 0 without one. */
    private static int elementsPerOp(Row row) {
        Method method = method(row);
        if (method != null && method.isAnnotationPresent(ElementsPerOp.class)) {
            return method.getAnnotation(ElementsPerOp.class).value();
        }
        try {
            ElementsPerOp onClass = Class.forName(row.className).getAnnotation(ElementsPerOp.class);
            return onClass == null ? 0 : onClass.value();
        } catch (ClassNotFoundException e) {
            return 0;
        }
    }

    private static String baselineOf(Row row) {
        Method method = method(row);
        if (method != null && method.isAnnotationPresent(Baseline.class)) {
            return method.getAnnotation(Baseline.class).value();
        }
        try {
            Baseline onClass = Class.forName(row.className).getAnnotation(Baseline.class);
            return onClass == null ? null : onClass.value();
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Finds the row of {@code method} in the class (and with the parameters) of {@code like},
     * or, for {@code "OtherBench.method"}, that benchmark of another class, measured in the
     * same run.
     */
    private static Row find(List<Row> rows, Row like, String method) {
        int dot = method.indexOf('.');
        if (dot > 0) {
            String suffix = "." + method.substring(0, dot);
            String name = method.substring(dot + 1);
            return rows.stream().filter(r -> r.className.endsWith(suffix) && r.method.equals(name))
                .findFirst().orElse(null);
        }
        return rows.stream().filter(r -> r.className.equals(like.className) && r.method.equals(method)
            && r.params.equals(like.params)).findFirst().orElse(null);
    }

    private static Method method(Row row) {
        try {
            return Arrays.stream(Class.forName(row.className).getMethods())
                .filter(m -> m.getName().equals(row.method)).findFirst().orElse(null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static String format(double value) {
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.2f" : "%.3f", value);
    }
}
