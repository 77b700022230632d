package org.cypclass.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The main job of {@code ./cypclass bench}: runs the JMH benchmarks of this jar (all, or
 * those matching the given patterns together with the baselines they are compared with) one
 * after the other with the GC profiler, says up front how long that will take, shows
 * progress, and prints a table of each benchmark's median and range with its ratio to its
 * {@link Baseline}, then the verdict on every {@link Goal} and {@link NoHeapAllocation}
 * ({@link BenchReport}).
 *
 * <p>Medians are taken over the measurement iterations of one run: on a shared, noisy machine
 * they are steadier than means, and a ratio to a baseline measured in the same run is what
 * can be compared across machines. The verdicts use the whole range of the iterations, so a
 * single lucky or unlucky iteration cannot decide a goal.
 *
 * <p>Every run keeps its own files under {@code benchmarks/target/bench/runs/ID/} (the
 * Markdown table, the JMH JSON of each benchmark, one chart per class), where ID is the
 * system property {@code cypclass.bench.run} or else the start time; the table of the latest
 * run is also copied to {@code benchmarks/target/bench/results.md}.
 *
 * <p>The announcement, the progress ({@code [n/m] name ... score}, a line each) and errors
 * go to standard error; the table and the verdicts to standard output.
 *
 * <p>Exit status: 0; 1 when a benchmark failed to run; 3 with {@code --check} when a goal
 * was missed or left unclear by the spread of the run; 64 for bad arguments.
 */
public final class BenchRunner {

    private static final Path BENCH_DIR = BenchPaths.target().resolve("bench");

    private BenchRunner() {
    }

    /**
     * Runs the suite.
     *
     * @param args {@code --full}, {@code --list}, {@code --check}, and regular expressions
     *             selecting benchmarks
     */
    public static void main(String[] args) throws IOException {
        boolean full = false;
        boolean listOnly = false;
        boolean check = false;
        List<String> patterns = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--full" -> full = true;
                case "--list" -> listOnly = true;
                case "--check" -> check = true;
                default -> {
                    if (arg.startsWith("-")) {
                        System.err.println("bench: unknown option " + arg
                            + " (use --full, --list, --check, or benchmark name patterns)");
                        System.err.println("usage: bench [--full] [--list] [--check] [PATTERN ...]");
                        System.exit(64);
                    }
                    patterns.add(arg);
                }
            }
        }
        BenchSelection selection = BenchSelection.of(patterns);
        if (selection.requested().isEmpty()) {
            System.err.println("bench: no benchmark matches " + patterns + " (./cypclass bench --list shows them all)");
            System.exit(64);
        }
        if (listOnly) {
            selection.requested().forEach(System.out::println);
            selection.added().forEach(name -> System.out.println(name + (name.equals(JmhFloor.BENCHMARK)
                ? "  (the allocation floor of the run: runs too)" : "  (compared with the above: runs too)")));
            return;
        }
        PrintStream out = System.out;
        PrintStream progress = System.err;
        Path runDir = BENCH_DIR.resolve("runs").resolve(System.getProperty("cypclass.bench.run",
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))));
        Files.createDirectories(runDir.resolve("jmh"));
        announce(progress, selection, full);

        List<BenchRow> rows = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int n = 0;
        long started = System.nanoTime();
        for (String benchmark : selection.all()) {
            n++;
            progress.printf("[%d/%d] %s%s ... ", n, selection.all().size(), shortName(benchmark),
                benchmark.equals(JmhFloor.BENCHMARK) ? " (allocation floor)"
                : selection.added().contains(benchmark) ? " (baseline)" : "");
            progress.flush();
            waitForOtherJmhRuns(progress);
            long t0 = System.nanoTime();
            Collection<RunResult> results;
            try {
                results = new Runner(options(benchmark, full, runDir).build(),
                    OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT)).run();
            } catch (RunnerException e) {
                failed.add(benchmark);
                progress.printf("FAILED: %s%n", rootMessage(e));
                continue;
            }
            List<BenchRow> produced = results.stream().map(BenchRunner::toRow).toList();
            rows.addAll(produced);
            progress.printf("%s (%.0f s)%n", produced.stream().map(r -> BenchReport.format(r.median()) + " " + r.unit()).toList(),
                (System.nanoTime() - t0) / 1e9);
        }
        BenchReport report = BenchReport.of(rows, full, (System.nanoTime() - started) / 1e9);
        out.println();
        out.print(report.text());
        Files.writeString(runDir.resolve("results.md"), report.text());
        Files.copy(runDir.resolve("results.md"), BENCH_DIR.resolve("results.md"), StandardCopyOption.REPLACE_EXISTING);
        List<Path> charts = BenchCharts.write(rows, runDir);
        progress.printf("%n(this run's files are in %s: results.md, the JMH JSON in jmh/, %d chart%s; the latest table is also in %s)%n",
            runDir, charts.size(), charts.size() == 1 ? "" : "s", BENCH_DIR.resolve("results.md"));
        if (!failed.isEmpty()) {
            System.err.println("bench: " + failed.size() + " benchmark(s) failed: " + failed);
            System.exit(1);
        }
        if (check && report.missed() + report.unclear() > 0) {
            System.err.println("bench: --check: " + report.missed() + " goal(s) missed, " + report.unclear()
                + " unclear (the spread of this run straddles the goal)");
            System.exit(3);
        }
    }

    private static void announce(PrintStream out, BenchSelection selection, boolean full) {
        int runs = selection.runs().values().stream().mapToInt(Integer::intValue).sum();
        long seconds = full ? selection.estimatedSeconds(2, 5 * 2 + 10 * 2) : selection.estimatedSeconds(1, 3 + 5);
        out.printf(Locale.ROOT, "bench: %d benchmark%s%s, %d run%s with their parameters, %s mode (%s) in forked JVMs with -prof gc%n",
            selection.requested().size(), selection.requested().size() == 1 ? "" : "s",
            selection.added().isEmpty() ? "" : " + " + selection.added().size() + " they are compared with",
            runs, runs == 1 ? "" : "s", full ? "full" : "quick",
            full ? "2 forks x (5 x 2 s warm-up + 10 x 2 s)" : "1 fork x (3 x 1 s warm-up + 5 x 1 s)");
        out.printf(Locale.ROOT, "bench: this takes about %s%n", duration(seconds));
    }

    static String duration(long seconds) {
        return seconds < 90 ? seconds + " s" : String.format(Locale.ROOT, "%d min", Math.round(seconds / 60.0));
    }

    /**
     * JMH refuses to start while another JMH run holds its lock file; wait for it instead of
     * failing, saying so once.
     */
    private static void waitForOtherJmhRuns(PrintStream out) throws IOException {
        Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        boolean told = false;
        while (true) {
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = channel.tryLock()) {
                if (held != null) {
                    return;
                }
            } catch (OverlappingFileLockException e) {
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

    private static ChainedOptionsBuilder options(String benchmark, boolean full, Path runDir) {
        ChainedOptionsBuilder options = new OptionsBuilder()
            .include("^" + Pattern.quote(benchmark) + "$")
            .resultFormat(ResultFormatType.JSON)
            .result(runDir.resolve("jmh").resolve(benchmark + ".json").toString())
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

    private static BenchRow toRow(RunResult result) {
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
        Map<String, Result> secondary = result.getAggregatedResult().getSecondaryResults();
        Result alloc = secondary.get("gc.alloc.rate.norm");
        if (alloc == null) {
            alloc = secondary.get("·gc.alloc.rate.norm");
        }
        return new BenchRow(benchmark, benchmark.substring(0, dot), benchmark.substring(dot + 1), paramValues,
            params.getMode().shortLabel(), Spread.of(scores.stream().mapToDouble(Double::doubleValue).toArray()),
            result.getPrimaryResult().getScoreUnit(), alloc == null ? Double.NaN : alloc.getScore(), params.getThreads(),
            result.getPrimaryResult().getScoreError());
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }
}
