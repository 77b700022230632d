package org.cypclass.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.benchmarks.BenchPaths;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;

/**
 * {@code ./cypclass soak}: runs the mixed workload of every feature ({@link Workload}) on all
 * cores for a while, printing throughput, live objects, live off-heap bytes and the process's
 * resident set every few seconds, with the percentiles of the request latency over each interval
 * (p50, p99, p99.9, max: a request is one operation of one worker, {@link Workload}); writes them
 * as CSV and two PNG charts; and fails (exit 1) if the resident set, the live bytes or the p99.9
 * latency keep growing after warm-up ({@link Growth}), if an operation fails, or if any off-heap
 * block is left when everything is closed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.cypclass.benchmarks.soak.Soak [--minutes N | --seconds N]
 *     [--interval SECONDS] [--out DIR]
 * </pre>
 * Defaults: 1 minute, a sample every 2 seconds, {@code benchmarks/target/soak}. The samples,
 * a line each, and what went wrong go to standard error; the verdict to standard output.
 */
public final class Soak {

    private Soak() {
    }

    /**
     * Runs the soak.
     *
     * @param args see the class documentation
     * @throws Exception if the output cannot be written
     */
    public static void main(String[] args) throws Exception {
        double seconds = 60;
        double interval = 2;
        Path out = BenchPaths.target().resolve("soak");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--minutes" -> seconds = 60 * positive(args[i], value);
                case "--seconds" -> seconds = positive(args[i], value);
                case "--interval" -> interval = positive(args[i], value);
                case "--out" -> out = Path.of(require(args[i], value));
                default -> usage("unknown argument " + args[i]);
            }
            i++;
        }
        System.exit(run(seconds, interval, out));
    }

    private static double positive(String option, String value) {
        try {
            double number = Double.parseDouble(require(option, value));
            if (number > 0 && number < 1e7) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(option + " takes a positive number, not " + value);
        return 0;
    }

    private static String require(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("soak: " + problem);
        System.err.println("usage: soak [--minutes N | --seconds N] [--interval SECONDS] [--out DIR]");
        System.exit(64);
    }

    static int run(double seconds, double interval, Path out) throws Exception {
        Files.createDirectories(out);
        int workers = Runtime.getRuntime().availableProcessors();
        System.err.printf(Locale.ROOT, "soak: %d workers for %.0f s, a sample every %.0f s; CSV and PNGs in %s%n", workers,
            seconds, interval, out);
        List<Sample> samples = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        try (Workload workload = new Workload(workers, out)) {
            for (int w = 0; w < workers; w++) {
                int worker = w;
                threads.add(Thread.ofPlatform().name("soak-worker-" + w).start(() -> {
                    try {
                        workload.run(worker);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        workload.stop();
                    }
                }));
            }
            long start = System.nanoTime();
            long lastOps = 0;
            long lastTime = start;
            while (failure.get() == null && System.nanoTime() - start < (long) (seconds * 1e9)) {
                Thread.sleep((long) (interval * 1000));
                long now = System.nanoTime();
                long ops = workload.operations();
                MemoryStats stats = MemoryStats.snapshot();
                Sample sample = new Sample((now - start) / 1e9, (ops - lastOps) / ((now - lastTime) / 1e9),
                    stats.liveBlocks(), stats.liveBytes(), rss(), workload.intervalLatency());
                samples.add(sample);
                System.err.println(sample.line());
                lastOps = ops;
                lastTime = now;
            }
            workload.stop();
            for (Thread thread : threads) {
                thread.join();
            }
        }
        Path csv = out.resolve("soak.csv");
        List<String> lines = new ArrayList<>();
        lines.add(Sample.CSV_HEADER);
        samples.forEach(s -> lines.add(s.csv()));
        Files.write(csv, lines);
        if (!samples.isEmpty()) {
            SoakChart.write(samples, out.resolve("soak.png"));
            SoakChart.writeLatency(samples, out.resolve("soak-latency.png"));
        }
        return verdict(samples, failure.get(), seconds);
    }

    private static int verdict(List<Sample> samples, Throwable failure, double seconds) {
        List<String> problems = new ArrayList<>();
        if (failure != null) {
            problems.add("an operation failed: " + failure);
            failure.printStackTrace(System.err);
        }
        double warmUp = Math.max(10, seconds / 5);
        List<Sample> steady = samples.stream().filter(s -> s.seconds() >= warmUp).toList();
        addIfNotNull(problems, Growth.check(steady, Sample::rssBytes, "the resident set", 64L << 20, 0.15));
        addIfNotNull(problems, Growth.check(steady, Sample::liveBytes, "the live off-heap bytes", 8L << 20, 0.5));
        addIfNotNull(problems, Growth.checkLatency(steady));
        MemoryStats end = MemoryStats.snapshot();
        if (end.liveBlocks() != 0) {
            problems.add(end.liveBlocks() + " off-heap blocks left after closing everything:\n" + LeakReport.create());
        }
        if (problems.isEmpty()) {
            Sample last = samples.isEmpty() ? null : samples.getLast();
            System.out.printf(Locale.ROOT, "soak: passed: %d samples, steady after %.0f s, 0 live blocks at the end%s%n",
                samples.size(), warmUp, last == null ? "" : String.format(Locale.ROOT, ", last %,.0f ops/s, %.1f MiB RSS and"
                    + " p99.9 %s", last.opsPerSecond(), last.rssBytes() / 1048576.0, Sample.time(last.latency().p999())));
            return 0;
        }
        problems.forEach(p -> System.err.println("soak: FAILED: " + p));
        return 1;
    }

    private static void addIfNotNull(List<String> problems, String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }

    /** VmRSS from /proc/self/status, in bytes; 0 where there is no such file. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
