package org.cypclass.benchmarks.kdtree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.cypclass.benchmarks.BenchPaths;
import org.cypclass.benchmarks.Spread;
import org.cypclass.benchmarks.Verdict;
import org.cypclass.kdtree.KdPoints;
import org.cypclass.kdtree.KdTree;
import org.cypclass.kdtree.Npy;

/**
 * {@code ./cypclass bench kdtree}: the talk's benchmark, "KDTree._init_ - Euclidean Distance,
 * dtype=np.float64, n_samples_train=1000000, n_features=32, leaf_size=2048", side by side:
 * this library on 1 thread and on all threads, the same algorithm on a plain {@code double[]}
 * ({@link JavaArraysKdTree}), Smile's KDTree (run from its own class path, {@link Externals}),
 * and scikit-learn through the machine's Python when it has it. Each builds from the same
 * {@code .npy} file, five trials (median and range); then answers the same query points
 * (k = 1), three times for the library, plain Java and scikit-learn. The answers must agree,
 * distances included ({@link KdAnswers}): when they do not, the run says which and exits with
 * status 2, after writing its files.
 *
 * <p>The goals compare like with like: the library on one thread against the others on one
 * (scikit-learn's and Smile's builds and queries run on one thread); the all-threads rows are
 * judged only against the library's own one-thread build, and their query time is reported
 * apart. Each verdict is taken over the trials' range ({@link Verdict#of}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.cypclass.benchmarks.kdtree.KdBench [--short]
 *     [--n N] [--queries M] [--dims D] [--leaf-size L] [--trials T] [--query-trials Q]
 * java ... KdBench --chart-only      (redraws kdtree.png from the last kdtree.json)
 * </pre>
 * An unknown option, or a count that is not a whole number of 1 or more, ends it at once with
 * the usage and status 64.
 * Writes {@code benchmarks/target/bench/kdtree.json} (rows of {@code impl, threads, n, d,
 * leafSize, leafNote, buildSeconds, buildMinSeconds, buildMaxSeconds, queryMillisPerPoint,
 * queryMinMillis, queryMaxMillis}; {@code leafSize} is the leaf size the implementation was
 * given, null for Smile, whose API takes none: its {@code leafNote} says what it built) and
 * prints a table with the ratios the issue sets as targets.
 */
public final class KdBench {

    private KdBench() {
    }

    /**
     * One implementation's measurement.
     *
     * @param leafSize  the leaf size it was given; null when its API takes none
     * @param leafNote  what it built instead, when {@code leafSize} is null; else empty
     * @param build     build seconds over the trials
     * @param query     milliseconds per query point over the query trials
     * @param indices   the nearest row of each query point (null when read back from JSON)
     * @param distances their distances, or null when the implementation reports none
     */
    record Row(String impl, int threads, long n, int d, Integer leafSize, String leafNote, Spread build, Spread query,
               long[] indices, double[] distances) {

        double buildSeconds() {
            return build.median();
        }

        double queryMillisPerPoint() {
            return query.median();
        }

        String json() {
            return String.format(Locale.ROOT, "{\"impl\": \"%s\", \"threads\": %d, \"n\": %d, \"d\": %d, \"leafSize\": %s,"
                + "%s \"buildSeconds\": %.4f, \"buildMinSeconds\": %.4f, \"buildMaxSeconds\": %.4f,"
                + " \"queryMillisPerPoint\": %.4f, \"queryMinMillis\": %.4f, \"queryMaxMillis\": %.4f}", impl, threads, n, d,
                leafSize == null ? "null" : leafSize.toString(),
                leafNote.isEmpty() ? "" : " \"leafNote\": \"" + leafNote.replace("\"", "'") + "\",",
                build.median(), build.min(), build.max(), query.median(), query.min(), query.max());
        }
    }

    /** {@return {@code value} as a whole number of 1 or more}, or ends the JVM with the usage (status 64). */
    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return usage(option + " takes a whole number of 1 or more, not '" + value + "'");
    }

    private static int usage(String problem) {
        System.err.println("kdtree bench: " + problem);
        System.err.println("usage: KdBench [--short] [--n N] [--queries M] [--dims D] [--leaf-size L] [--trials T]"
            + " [--query-trials Q] | --chart-only");
        System.exit(64);
        return 0;
    }

    /**
     * Runs the benchmark.
     *
     * @param args see the class documentation
     * @throws Exception if a file cannot be written or a run fails
     */
    public static void main(String[] args) throws Exception {
        if (List.of(args).equals(List.of("--chart-only"))) {
            // Redraws the chart of the last run from its JSON, without measuring again.
            Path json = BenchPaths.target().resolve("bench").resolve("kdtree.json");
            chart(readJson(json), json.resolveSibling("kdtree.png"));
            System.out.println("(chart: " + json.resolveSibling("kdtree.png") + ")");
            return;
        }
        boolean quick = Arrays.asList(args).contains("--short");
        int n = quick ? 100_000 : 1_000_000;
        int m = quick ? 100 : 1_000;
        int d = 32;
        int leafSize = 2048;
        int trials = 5;
        int queryTrials = 3;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--short")) {
                continue;
            }
            int value = i + 1 < args.length ? positive(args[i], args[i + 1]) : usage("'" + args[i] + "' needs a value or is unknown");
            switch (args[i++]) {
                case "--n" -> n = value;
                case "--queries" -> m = value;
                case "--dims" -> d = value;
                case "--leaf-size" -> leafSize = value;
                case "--trials" -> trials = value;
                case "--query-trials" -> queryTrials = value;
                default -> usage("unknown option '" + args[i - 1] + "'");
            }
        }
        Path dir = BenchPaths.target().resolve("kdtree");
        Path out = BenchPaths.target().resolve("bench");
        Files.createDirectories(dir);
        Files.createDirectories(out);
        Path data = dir.resolve("data-" + n + "x" + d + ".npy");
        Path queries = dir.resolve("queries-" + m + "x" + d + ".npy");
        generate(data, n, d, 2021);
        generate(queries, m, d, 7);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "kdtree bench: %,d x %d float64, leaf size %d, %d build trials, %d query points,"
            + " %d cores%n", n, d, leafSize, trials, m, cores);
        double[] queryPoints = readAll(queries);
        double[] points = readAll(data);
        List<Row> rows = new ArrayList<>();
        rows.add(cypclass(data, queryPoints, d, leafSize, trials, queryTrials, 1));
        if (cores > 1) {
            rows.add(cypclass(data, queryPoints, d, leafSize, trials, queryTrials, cores));
        }
        rows.add(javaArrays(points, queryPoints, d, leafSize, trials, queryTrials));
        Externals.smile(data, queries, trials).ifPresent(rows::add);
        Externals.sklearn(data, queries, leafSize, trials, queryTrials).ifPresent(rows::add);
        report(rows, out.resolve("kdtree.json"));
        chart(rows, out.resolve("kdtree.png"));
        String run = System.getProperty("cypclass.bench.run");
        if (run != null) {
            // Part of a ./cypclass bench run: that run keeps its own copy.
            Path runDir = Files.createDirectories(out.resolve("runs").resolve(run));
            Files.copy(out.resolve("kdtree.json"), runDir.resolve("kdtree.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(out.resolve("kdtree.png"), runDir.resolve("kdtree.png"), StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("(chart: " + out.resolve("kdtree.png") + (run == null ? "" : ", copied to " + out.resolve("runs").resolve(run)) + ")");
        List<String> disagreements = crossCheck(rows, KdAnswers.euclidean(points, queryPoints, d), 1);
        if (!disagreements.isEmpty()) {
            System.err.println("kdtree bench: FAILED: the implementations' answers disagree (k = 1, distances compared"
                + " within a relative " + KdAnswers.RELATIVE_TOLERANCE + "):");
            disagreements.forEach(line -> System.err.println("  " + line));
            System.exit(2);
        }
        System.out.println("kdtree bench: every implementation returned the same nearest distances for all " + m
            + " query points (rows recomputed from the data)");
    }

    /**
     * Checks every row's answers against the first row's (the library on one thread), and that
     * row against the data itself; {@return every disagreement, prefixed with its row}
     */
    static List<String> crossCheck(List<Row> rows, KdAnswers.Truth truth, int k) {
        Row first = rows.getFirst();
        KdAnswers.Answers reference = new KdAnswers.Answers(name(first), first.indices(), first.distances());
        List<String> found = new ArrayList<>();
        for (Row row : rows) {
            if (row.indices() == null) {
                continue;
            }
            KdAnswers.Answers answers = new KdAnswers.Answers(name(row), row.indices(), row.distances());
            found.addAll(KdAnswers.disagreements(reference, answers, first.n(), k, truth));
        }
        return found;
    }

    private static String name(Row row) {
        return row.impl() + "@" + row.threads();
    }

    /** Reads the rows {@link #report} wrote (one JSON object per line). */
    private static List<Row> readJson(Path json) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(json, StandardCharsets.UTF_8)) {
            if (!line.contains("\"impl\"")) {
                continue;
            }
            Double leafSize = line.contains("\"leafSize\": null") ? null : number(line, "leafSize");
            rows.add(new Row(text(line, "impl"), (int) number(line, "threads"), (long) number(line, "n"),
                (int) number(line, "d"), leafSize == null ? null : leafSize.intValue(),
                line.contains("\"leafNote\"") ? text(line, "leafNote") : "",
                Spread.exactly(number(line, "buildSeconds")), Spread.exactly(number(line, "queryMillisPerPoint")), null, null));
        }
        return rows;
    }

    private static String text(String line, String key) {
        int at = line.indexOf("\"" + key + "\": \"") + key.length() + 5;
        return line.substring(at, line.indexOf('"', at));
    }

    private static double number(String line, String key) {
        int at = line.indexOf("\"" + key + "\": ") + key.length() + 4;
        int end = at;
        while (end < line.length() && "0123456789.-eE".indexOf(line.charAt(end)) >= 0) {
            end++;
        }
        return Double.parseDouble(line.substring(at, end));
    }

    /** Build and query times by implementation, side by side, as a PNG. */
    private static void chart(List<Row> rows, Path png) throws IOException {
        List<String> names = new ArrayList<>();
        List<Double> builds = new ArrayList<>();
        List<Double> queries = new ArrayList<>();
        for (Row row : rows) {
            names.add(row.impl() + (row.impl().equals("cypclass") ? " (" + row.threads() + " thread" + (row.threads() == 1
                ? "" : "s") + ")" : ""));
            builds.add(row.buildSeconds());
            queries.add(row.queryMillisPerPoint() / 1000.0 * 10);
        }
        Row first = rows.getFirst();
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(1000).height(500)
            .title(String.format(Locale.ROOT, "KDTree, %,d x %d float64, leaf size %s (median of trials; lower is better)",
                first.n(), first.d(), first.leafSize()))
            .xAxisTitle("").yAxisTitle("seconds").build();
        chart.addSeries("build (s)", names, builds);
        chart.addSeries("query, 10 points (s)", names, queries);
        org.knowm.xchart.BitmapEncoder.saveBitmap(chart, png.toString(), org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
    }

    /** Writes {@code rows x dims} uniform [0, 1) float64 with a fixed seed, unless the file exists. */
    private static void generate(Path file, int rows, int dims, long seed) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        System.out.printf(Locale.ROOT, "kdtree bench: generating %s ...%n", file);
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[rows * dims];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        Npy.writeDoubles(file, values, dims);
    }

    private static double[] readAll(Path file) throws IOException {
        try (KdPoints points = Npy.readPoints(file)) {
            double[] values = new double[(int) (points.rows() * points.dims())];
            points.coordsCopyTo(0, values, 0, values.length);
            return values;
        }
    }

    private static Row cypclass(Path data, double[] queries, int d, int leafSize, int trials, int queryTrials, int threads)
            throws IOException {
        double[] seconds = new double[trials];
        KdTree kept = null;
        long n = 0;
        try {
            for (int t = 0; t < trials; t++) {
                KdPoints points = Npy.readPoints(data);
                n = points.rows();
                long start = System.nanoTime();
                KdTree tree = KdTree.build(points, leafSize, threads);
                seconds[t] = (System.nanoTime() - start) / 1e9;
                progress("cypclass", threads, t, trials, seconds[t]);
                if (kept != null) {
                    kept.close();
                }
                kept = tree;
            }
        } catch (IOException | RuntimeException | Error e) {
            // A later trial's file failed: the tree kept so far is closed too.
            if (kept != null) {
                kept.close();
            }
            throw e;
        }
        try (KdTree tree = kept) {
            // The tree's own memory beyond the raw points: its nodes and the row ids.
            org.cypclass.memory.MemoryStats stats = org.cypclass.memory.MemoryStats.snapshot();
            long beyond = stats.of(org.cypclass.kdtree.KdNode.class.getName()).liveBytes()
                + stats.of(org.cypclass.kdtree.KdIds.class.getName()).liveBytes();
            double raw = (double) n * d * Double.BYTES;
            System.out.printf(Locale.ROOT, "  cypclass    tree memory beyond the points: %,d bytes, %.1f%% of the raw data"
                + " (goal: at most 10%%)%n", beyond, 100 * beyond / raw);
            int m = queries.length / d;
            long[] ids = new long[m];
            double[] distances = new double[m];
            double[] millis = new double[queryTrials];
            for (int t = 0; t < queryTrials; t++) {
                long start = System.nanoTime();
                tree.query(queries, 1, ids, distances, threads);
                millis[t] = (System.nanoTime() - start) / 1e6 / m;
            }
            return new Row("cypclass", threads, n, d, leafSize, "", Spread.of(seconds), Spread.of(millis), ids, distances);
        }
    }

    private static Row javaArrays(double[] original, double[] queries, int d, int leafSize, int trials, int queryTrials) {
        double[] seconds = new double[trials];
        JavaArraysKdTree kept = null;
        for (int t = 0; t < trials; t++) {
            double[] copy = original.clone();
            long start = System.nanoTime();
            kept = new JavaArraysKdTree(copy, d, leafSize);
            seconds[t] = (System.nanoTime() - start) / 1e9;
            progress("javaArrays", 1, t, trials, seconds[t]);
        }
        int m = queries.length / d;
        long[] ids = new long[m];
        double[] millis = new double[queryTrials];
        for (int t = 0; t < queryTrials; t++) {
            long start = System.nanoTime();
            for (int q = 0; q < m; q++) {
                ids[q] = kept.nearest(Arrays.copyOfRange(queries, q * d, q * d + d));
            }
            millis[t] = (System.nanoTime() - start) / 1e6 / m;
        }
        // It reports no distances: the cross-check recomputes those of its rows.
        return new Row("javaArrays", 1, original.length / d, d, leafSize, "", Spread.of(seconds), Spread.of(millis), ids,
            null);
    }

    static void progress(String impl, int threads, int trial, int trials, double seconds) {
        System.out.printf(Locale.ROOT, "  %-11s %d thread%s  trial %d/%d  build %.3f s%n", impl, threads,
            threads == 1 ? " " : "s", trial + 1, trials, seconds);
    }

    private static void report(List<Row> rows, Path json) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            lines.add("  " + row.json());
        }
        Files.writeString(json, "[\n" + String.join(",\n", lines) + "\n]\n", StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("| impl | threads | leaf size | build (median) | build range | query per point (median) | query range |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %.3f s | %s s | %.3f ms | %s ms |%n", row.impl(), row.threads(),
                row.leafSize() == null ? "n/a" : row.leafSize(), row.buildSeconds(), row.build().range("%.3f"),
                row.queryMillisPerPoint(), row.query().range("%.3f"));
        }
        rows.stream().filter(row -> !row.leafNote().isEmpty())
            .forEach(row -> System.out.println("(" + row.impl() + ": " + row.leafNote() + ")"));
        System.out.println();
        System.out.println("Goals (ratios of medians measured in this run; MET only over the whole range of the trials):");
        goal(rows, "cypclass", 1, "sklearn", 0.1, "build", Row::build, "");
        goal(rows, "cypclass", 1, "smile", 0.2, "build", Row::build, "");
        goal(rows, "cypclass", 1, "javaArrays", 1.1, "build", Row::build,
            "1.29-1.45x measured: the selection's scans and row swaps go through the points' confined view segment,"
                + " whose liveness and owner checks the JIT cannot hoist out of loops with data-dependent exits"
                + " (a row swap as 32 single accesses took twice the build time of three bulk copies)");
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores > 1) {
            goal(rows, "cypclass", cores, "cypclass@1", 0.6, "build", Row::build,
                "0.60-0.78x measured: the first split (a pass for the box and a selection over all rows) runs on one"
                    + " thread before the workers copy their halves in parallel");
        }
        // One thread against one: scikit-learn's KDTree.query runs on one thread.
        goal(rows, "cypclass", 1, "sklearn", 0.25, "query per point", Row::query, "");
        Row one = find(rows, "cypclass", 1);
        Row all = find(rows, "cypclass", cores);
        if (cores > 1 && one != null && all != null) {
            System.out.printf(Locale.ROOT, "  INFO    cypclass query per point on %d threads: %.3f ms (%.2fx its one-thread query;"
                + " not a goal: no other implementation here queries on several threads)%n", cores,
                all.queryMillisPerPoint(), all.queryMillisPerPoint() / one.queryMillisPerPoint());
        }
        System.out.println("(written to " + json + ")");
    }

    /** Prints a goal's verdict over the spread; a known miss also prints why, as {@code Goal.knownMiss} does for JMH rows. */
    private static void goal(List<Row> rows, String impl, int threads, String baseline, double atMost, String what,
                             java.util.function.Function<Row, Spread> measure, String knownMiss) {
        Row mine = find(rows, impl, threads);
        String baseImpl = baseline.contains("@") ? baseline.substring(0, baseline.indexOf('@')) : baseline;
        int baseThreads = baseline.contains("@") ? Integer.parseInt(baseline.substring(baseline.indexOf('@') + 1)) : 1;
        Row base = find(rows, baseImpl, baseThreads);
        String label = String.format(Locale.ROOT, "%s %s (%d thread%s) <= %.2f x %s (1 thread)", impl, what, threads,
            threads == 1 ? "" : "s", atMost, baseImpl);
        if (mine == null || base == null) {
            System.out.println("  " + Verdict.SKIP.label() + " " + label + ": not measured in this run");
            return;
        }
        Spread ratio = measure.apply(mine).over(measure.apply(base));
        Verdict verdict = Verdict.of(ratio, atMost, Double.NaN);
        System.out.printf(Locale.ROOT, "  %s %s (measured %.2fx, %sx over the trials)%n", verdict.label(), label,
            ratio.median(), ratio.range("%.2f"));
        if (verdict != Verdict.MET && verdict != Verdict.SKIP && !knownMiss.isEmpty()) {
            System.out.println("          known miss: " + knownMiss);
        }
    }

    private static Row find(List<Row> rows, String impl, int threads) {
        for (Row row : rows) {
            if (row.impl().equals(impl) && row.threads() == threads) {
                return row;
            }
        }
        return null;
    }
}
