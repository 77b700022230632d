package org.cypclass.benchmarks.liveset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.cypclass.benchmarks.BenchPaths;
import org.cypclass.benchmarks.Spread;
import org.cypclass.benchmarks.Verdict;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code ./cypclass bench liveset}: the second headline. The reason a Java engineer leaves the
 * heap is a large live set that the collector keeps tracing, copying and scanning; this puts N
 * records held off-heap by cypclasses beside the same records as plain Java objects, under G1
 * and under generational ZGC, and measures what such a service sees: tail latency, GC pauses,
 * CPU and resident memory.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.cypclass.benchmarks.liveset.LiveSetBench
 *     [--quick] [--n N]... [--seconds S] [--variant V]... [--seed X] [--out DIR] [--check]
 * </pre>
 * Default: N = 10^7 and 5 x 10^7, 30 s of requests per variant (six JVMs, each warming up,
 * building and closing its records besides: several minutes); {@code --quick}: N = 10^6, 15 s
 * (about a minute). {@code --n} (a whole number, {@code 5e7} allowed; repeat it for several)
 * and {@code --seconds} override either; {@code --variant java-g1|java-zgc|cypclass} (repeat
 * it for several) runs only those, for instance to measure a change of the library alone;
 * {@code --check} exits with status 3 if a goal is missed. A bad option ends it at once with the
 * usage and status 64.
 *
 * <p>For each N, three variants run one after the other, each in a JVM of its own started
 * from this JVM's {@code java} and class path, with the same seed (so the same records and
 * the same requests, checked by the children's checksums; status 2 if they differ):
 * <ul>
 *   <li>{@code java}, {@code G1}: {@link JavaLiveSet} with {@code -XX:+UseG1GC};</li>
 *   <li>{@code java}, {@code ZGC}: the same with {@code -XX:+UseZGC}, generational (JDK 24
 *       removed the other mode and ignores {@code -XX:+ZGenerational});</li>
 *   <li>{@code cypclass}, {@code G1}: {@link CypLiveSet} with {@code -XX:+UseG1GC} and a
 *       {@value #CYPCLASS_HEAP_MIB} MiB heap, which holds only the requests' garbage and the
 *       borrowed references.</li>
 * </ul>
 * The Java heap is sized as a user would: twice the live set, {@code -Xmx} = 2 x N x
 * {@value #JAVA_BYTES_PER_RECORD} B, at least {@value #MIN_HEAP_MIB} MiB. 36 B per record is
 * what {@code Runtime.totalMemory() - freeMemory()} grows by after a full GC (measured with
 * 10^6 and 10^7 records on JDK 25): a 32-byte object (12-byte header, two longs, a compressed
 * reference) and a 4-byte slot of the presized {@code ArrayList}.
 *
 * <p>GC pauses come from the child's {@code -Xlog:safepoint} file, not from the
 * {@code GarbageCollectorMXBean}s: a notification's duration is in whole milliseconds (a ZGC
 * pause of 0.2 ms reads as 0), and it leaves out the time threads take to reach the
 * safepoint. A safepoint counts as a GC pause when its VM operation is a collector's
 * ({@link #isGcOperation}); its "Total" (reaching, at and leaving the safepoint) is the time the
 * application stood still. On JDK 25 those are {@code G1CollectForAllocation},
 * {@code G1PauseRemark}, {@code G1PauseCleanup}, {@code G1CollectFull}, and ZGC's
 * {@code ZMarkStart*}, {@code ZMarkEnd*}, {@code ZRelocateStart*}. (The MXBeans a JDK 25
 * names, for the record: "G1 Young Generation", "G1 Old Generation", "G1 Concurrent GC"
 * (remark and cleanup); "ZGC Minor Pauses", "ZGC Major Pauses", besides "ZGC Minor Cycles" and
 * "ZGC Major Cycles", which time whole concurrent cycles.) Pauses, CPU and peak RSS cover the
 * child's whole run, build included, as {@code time} would; latency and requests cover the
 * measured requests ({@link LiveSetRun} says how they are timed).
 *
 * <p>Writes, under {@code benchmarks/target/bench/} (or {@code --out}): {@code liveset.json},
 * a list of rows with the keys {@code impl, gc, n, buildSeconds, requests, p50Micros,
 * p99Micros, p999Micros, maxMicros, gcPauseTotalMillis, gcPauseMaxMillis, cpuSeconds,
 * peakRssMb} (MiB) and, beside them, {@code xmxMb} (the heap it was given) and
 * {@code allocBytesPerRequest} (Java heap bytes per request, the 1 KiB of garbage included);
 * {@code liveset.png}, the latency by percentile of each variant at the largest N, and
 * {@code liveset-N.png} for each smaller N; {@code liveset.md}, the table and the verdicts it
 * prints; and under {@code liveset-logs/}, each child's GC and safepoint logs and its
 * percentile distribution ({@code .hgrm}, HdrHistogram's text form, in microseconds). A run
 * of {@code ./cypclass bench} ({@code -Dcypclass.bench.run}) gets a copy of the first three
 * in its folder.
 *
 * <p>The goals, at every N measured (the issue sets them at 5 x 10^7), compare cypclass with
 * Java on G1; each line shows the ratio to ZGC beside it, not judged. Each variant is measured
 * once, so a goal is MET or MISS, never UNCLEAR.
 */
public final class LiveSetBench {

    /** The keys of every row of {@code liveset.json}, in order. */
    static final List<String> KEYS = List.of("impl", "gc", "n", "buildSeconds", "requests", "p50Micros", "p99Micros",
        "p999Micros", "maxMicros", "gcPauseTotalMillis", "gcPauseMaxMillis", "cpuSeconds", "peakRssMb", "xmxMb",
        "allocBytesPerRequest");
    static final long JAVA_BYTES_PER_RECORD = 36;
    static final long MIN_HEAP_MIB = 64;
    static final long CYPCLASS_HEAP_MIB = 256;
    private static final long DEFAULT_SEED = 2021;
    private static final Pattern SAFEPOINT = Pattern.compile("Safepoint \"([A-Za-z0-9_]+)\".*Total: (\\d+) ns");

    private LiveSetBench() {
    }

    /** A variant: which records, under which collector. */
    enum Variant {
        JAVA_G1("java", "G1", "-XX:+UseG1GC"),
        JAVA_ZGC("java", "ZGC", "-XX:+UseZGC"),
        CYPCLASS("cypclass", "G1", "-XX:+UseG1GC");

        final String impl;
        final String gc;
        final String collector;
        /** Its name for {@code --variant}. */
        final String option;

        Variant(String impl, String gc, String collector) {
            this.impl = impl;
            this.gc = gc;
            this.collector = collector;
            this.option = (impl.equals("java") ? impl + "-" + gc : impl).toLowerCase(Locale.ROOT);
        }

        /** {@return the {@code -Xmx} in MiB for N records} */
        long heapMib(long n) {
            if (impl.equals("cypclass")) {
                return CYPCLASS_HEAP_MIB;
            }
            long twice = 2 * n * JAVA_BYTES_PER_RECORD;
            return Math.max(MIN_HEAP_MIB, (twice + (1 << 20) - 1) >> 20);
        }

        String label() {
            return impl + " " + gc;
        }
    }

    /** What one variant measured; the latency histogram in nanoseconds. */
    record Row(Variant variant, long n, long xmxMib, double buildSeconds, long requests, double p50Micros, double p99Micros,
               double p999Micros, double maxMicros, double gcPauseTotalMillis, double gcPauseMaxMillis, double cpuSeconds,
               double peakRssMb, double allocBytesPerRequest, long checksum, Histogram histogram) {

        String json() {
            return String.format(Locale.ROOT, "{\"impl\": \"%s\", \"gc\": \"%s\", \"n\": %d, \"buildSeconds\": %.3f,"
                    + " \"requests\": %d, \"p50Micros\": %.3f, \"p99Micros\": %.3f, \"p999Micros\": %.3f, \"maxMicros\": %.3f,"
                    + " \"gcPauseTotalMillis\": %.3f, \"gcPauseMaxMillis\": %.3f, \"cpuSeconds\": %.3f, \"peakRssMb\": %.1f,"
                    + " \"xmxMb\": %d, \"allocBytesPerRequest\": %.1f}", variant.impl, variant.gc, n, buildSeconds, requests,
                p50Micros, p99Micros, p999Micros, maxMicros, gcPauseTotalMillis, gcPauseMaxMillis, cpuSeconds, peakRssMb, xmxMib,
                allocBytesPerRequest);
        }
    }

    /** A goal of the issue: cypclass's {@code metric} over Java G1's, at most or at least a bound. */
    private record Target(String what, ToDoubleFunction<Row> metric, double atMost, double atLeast) {
    }

    private static final List<Target> TARGETS = List.of(
        new Target("p50 latency", Row::p50Micros, 1.5, Double.NaN),
        new Target("p99.9 latency", Row::p999Micros, 1.0, Double.NaN),
        new Target("max latency", Row::maxMicros, 0.1, Double.NaN),
        new Target("longest GC pause", Row::gcPauseMaxMillis, 0.1, Double.NaN),
        new Target("requests served", row -> row.requests, Double.NaN, 0.7),
        new Target("build time", Row::buildSeconds, 1.0, Double.NaN),
        new Target("CPU time", Row::cpuSeconds, 1.0, Double.NaN),
        new Target("peak RSS", Row::peakRssMb, 1.5, Double.NaN));

    /** The parsed command line. */
    record Options(List<Long> sizes, double seconds, List<Variant> variants, long seed, Path out, boolean check) {

        static Options parse(String... args) {
            boolean quick = false;
            List<Long> sizes = new ArrayList<>();
            double seconds = Double.NaN;
            List<Variant> variants = new ArrayList<>();
            long seed = DEFAULT_SEED;
            Path out = null;
            boolean check = false;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--quick" -> quick = true;
                    case "--check" -> check = true;
                    case "--n", "--seconds", "--variant", "--seed", "--out" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException(option + " needs a value");
                        }
                        String value = args[++i];
                        switch (option) {
                            case "--n" -> sizes.add(whole(option, value, 2, Integer.MAX_VALUE - 8));
                            case "--seconds" -> seconds = whole(option, value, 1, 86_400);
                            case "--seed" -> seed = whole(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
                            case "--variant" -> variants.add(Arrays.stream(Variant.values())
                                .filter(variant -> variant.option.equals(value)).findFirst()
                                .orElseThrow(() -> new IllegalArgumentException("--variant takes java-g1, java-zgc or cypclass,"
                                    + " not '" + value + "'")));
                            default -> out = Path.of(value);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + option + "'");
                }
            }
            if (sizes.isEmpty()) {
                sizes = quick ? List.of(1_000_000L) : List.of(10_000_000L, 50_000_000L);
            }
            if (Double.isNaN(seconds)) {
                seconds = quick ? 15 : 30;
            }
            if (variants.isEmpty()) {
                variants = List.of(Variant.values());
            }
            return new Options(sizes.stream().distinct().toList(), seconds, variants.stream().distinct().sorted().toList(), seed,
                out != null ? out.toAbsolutePath() : BenchPaths.target().resolve("bench"), check);
        }

        private static long whole(String option, String value, long min, long max) {
            try {
                long number = new BigDecimal(value).longValueExact();
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (ArithmeticException | NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " takes a whole number from " + min + " to " + max + ", not '"
                + value + "'");
        }
    }

    /**
     * Runs the benchmark and exits with its status (see {@link #run}).
     *
     * @param args see the class documentation
     * @throws Exception if a file cannot be written or a variant's JVM cannot be started
     */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("liveset bench: " + e.getMessage());
            System.err.println("usage: LiveSetBench [--quick] [--n N]... [--seconds S] [--variant java-g1|java-zgc|cypclass]..."
                + " [--seed X] [--out DIR] [--check]");
            System.exit(64);
            return;
        }
        System.exit(run(options, System.out));
    }

    /**
     * Measures every variant at every size, writes the files and prints the table and the
     * verdicts to {@code printed}; progress goes to standard error.
     *
     * @return 0; 1 if a variant failed; 2 if the variants' checksums differ; 3 if
     *         {@code --check} and a goal was missed
     */
    static int run(Options options, PrintStream printed) throws IOException, InterruptedException {
        Path logs = Files.createDirectories(options.out().resolve("liveset-logs"));
        List<Row> rows = new ArrayList<>();
        int total = options.sizes().size() * options.variants().size();
        long started = System.nanoTime();
        for (long n : options.sizes()) {
            for (Variant variant : options.variants()) {
                System.err.printf(Locale.ROOT, "liveset: [%d/%d] %s, N = %,d, -Xmx%dm, %.0f s of requests (%.0f s elapsed)%n",
                    rows.size() + 1, total, variant.label(), n, variant.heapMib(n), options.seconds(),
                    (System.nanoTime() - started) / 1e9);
                Row row = measure(variant, n, options, logs);
                if (row == null) {
                    return 1;
                }
                rows.add(row);
            }
        }
        Report report = report(rows, options);
        String text = report.text();
        printed.print(text);
        Path out = options.out();
        Files.writeString(out.resolve("liveset.json"), json(rows), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("liveset.md"), text, StandardCharsets.UTF_8);
        long largest = options.sizes().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<Path> charts = new ArrayList<>();
        for (long n : options.sizes()) {
            Path png = out.resolve(n == largest ? "liveset.png" : "liveset-" + n + ".png");
            chart(rows.stream().filter(row -> row.n() == n).toList(), options.seconds(), png);
            charts.add(png);
        }
        String run = System.getProperty("cypclass.bench.run");
        if (run != null) {
            Path runDir = Files.createDirectories(out.resolve("runs").resolve(run));
            for (String file : List.of("liveset.json", "liveset.md", "liveset.png")) {
                Files.copy(out.resolve(file), runDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        printed.println("(written: " + out.resolve("liveset.json") + ", " + charts + ", " + out.resolve("liveset.md")
            + (run == null ? "" : "; copied to " + out.resolve("runs").resolve(run)) + ")");
        for (long n : options.sizes()) {
            List<Row> same = rows.stream().filter(row -> row.n() == n).toList();
            if (same.stream().mapToLong(Row::checksum).distinct().count() != 1) {
                System.err.println("liveset bench: FAILED: at N = " + n + " the variants read different records in their first "
                    + LiveSetRun.CHECKED_REQUESTS + " requests: " + same.stream().map(row -> row.variant().label() + " "
                    + row.checksum()).toList());
                return 2;
            }
        }
        return options.check() && report.missed() > 0 ? 3 : 0;
    }

    /** Runs one variant in its own JVM; {@return its row, or null if it failed} (said on standard error) */
    private static Row measure(Variant variant, long n, Options options, Path logs) throws IOException, InterruptedException {
        String name = variant.impl + "-" + variant.gc + "-" + n;
        Path safepoints = logs.resolve(name + "-safepoint.log");
        Path gcLog = logs.resolve(name + "-gc.log");
        long heap = variant.heapMib(n);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString()));
        command.add(variant.collector);
        command.add("-Xmx" + heap + "m");
        command.add("--enable-native-access=ALL-UNNAMED");
        // No rotation: a long ZGC run logs more safepoints than the default five 20 MB files keep.
        command.add("-Xlog:safepoint=info:file=\"" + safepoints + "\":uptime:filecount=0");
        command.add("-Xlog:gc:file=\"" + gcLog + "\":uptime:filecount=0");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LiveSetRun.class.getName());
        command.addAll(List.of(variant.impl, variant.gc, Long.toString(n), Double.toString(options.seconds()),
            Long.toString(options.seed())));
        Process child = new ProcessBuilder(command).start();
        // Copied line by line through System.err rather than inherited, so that a test's
        // captured output (Surefire's) gets it too.
        Thread errors = Thread.ofVirtual().start(() -> copyLines(child.getErrorStream()));
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = child.waitFor();
        errors.join();
        Map<String, String> values = new LinkedHashMap<>();
        String histogram = null;
        for (String line : output.lines().toList()) {
            if (line.startsWith(LiveSetRun.ROW + " ")) {
                for (String pair : line.substring(LiveSetRun.ROW.length() + 1).split(" ")) {
                    int at = pair.indexOf('=');
                    values.put(pair.substring(0, at), pair.substring(at + 1));
                }
            } else if (line.startsWith(LiveSetRun.HISTOGRAM + " ")) {
                histogram = line.substring(LiveSetRun.HISTOGRAM.length() + 1);
            }
        }
        if (status != 0 || histogram == null || !values.containsKey("checksum")) {
            System.err.println("liveset bench: FAILED: " + variant.label() + " at N = " + n + " exited with status " + status
                + (histogram == null ? " and printed no result" : ""));
            return null;
        }
        Histogram latencies;
        try {
            latencies = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(histogram)), 0);
        } catch (DataFormatException e) {
            throw new IOException("cannot read the latency histogram of " + variant.label(), e);
        }
        try (PrintStream hgrm = new PrintStream(Files.newOutputStream(logs.resolve(name + ".hgrm")), false,
                StandardCharsets.UTF_8)) {
            latencies.outputPercentileDistribution(hgrm, 1000.0);
        }
        double[] pauses = gcPauses(Files.readAllLines(safepoints, StandardCharsets.UTF_8));
        return new Row(variant, n, heap, number(values, "buildSeconds"), Long.parseLong(values.get("requests")),
            number(values, "p50Micros"), number(values, "p99Micros"), number(values, "p999Micros"), number(values, "maxMicros"),
            pauses[0], pauses[1], number(values, "cpuSeconds"), number(values, "peakRssMb"),
            number(values, "allocBytesPerRequest"), Long.parseLong(values.get("checksum")), latencies);
    }

    private static double number(Map<String, String> values, String key) {
        return Double.parseDouble(values.get(key));
    }

    private static void copyLines(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                System.err.println(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sums the GC pauses of a {@code -Xlog:safepoint} file; {@return the total and the longest,
     * in milliseconds}
     */
    static double[] gcPauses(List<String> lines) {
        double total = 0;
        double longest = 0;
        for (String line : lines) {
            Matcher matcher = SAFEPOINT.matcher(line);
            if (matcher.find() && isGcOperation(matcher.group(1))) {
                double millis = Long.parseLong(matcher.group(2)) / 1e6;
                total += millis;
                longest = Math.max(longest, millis);
            }
        }
        return new double[] {total, longest};
    }

    /**
     * Tells whether a safepoint's VM operation is a collector's: G1's ({@code G1...}), ZGC's
     * ({@code Z} then a capital), or a collection another collector asks for
     * ({@code ...Collect...}); not the JVM's other safepoints (deoptimisation, class
     * unloading's {@code CleanClassLoaderDataMetaspaces}, ...).
     */
    static boolean isGcOperation(String operation) {
        return operation.startsWith("G1") || operation.matches("Z[A-Z].*") || operation.contains("Collect");
    }

    private static String json(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            lines.add("  " + row.json());
        }
        return "[\n" + String.join(",\n", lines) + "\n]\n";
    }

    /** The table and the verdicts, as printed, and how many goals were met, missed and not judged. */
    record Report(String text, int met, int missed, int skipped) {
    }

    /** {@return the table and the verdicts of {@code rows}} */
    static Report report(List<Row> rows, Options options) {
        int[] counts = new int[Verdict.values().length];
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%nliveset bench: %s records of two longs and a reference; requests of %d random"
                + " reads (and each one's next), %d B of garbage, a replacement 1 in %d; %.0f s of requests per variant after"
                + " warm-up, one thread, seed %d; %d cores, JDK %s%n%n", options.sizes().stream()
                .map(n -> String.format(Locale.ROOT, "%,d", n)).toList(), LiveSetRun.READS_PER_REQUEST,
            LiveSetRun.GARBAGE_BYTES, LiveSetRun.REPLACE_ONE_IN, options.seconds(), options.seed(),
            Runtime.getRuntime().availableProcessors(), Runtime.version()));
        text.append("| impl | GC | N | -Xmx | build | requests | p50 | p99 | p99.9 | max | GC pauses (total) | longest GC pause"
            + " | CPU | peak RSS | heap alloc per request |\n");
        text.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d MiB | %.2f s | %,d | %.1f us | %.1f us | %.1f us |"
                    + " %.1f us | %.1f ms | %.2f ms | %.1f s | %,.0f MiB | %,.0f B |%n", row.variant().impl, row.variant().gc,
                row.n(), row.xmxMib(), row.buildSeconds(), row.requests(), row.p50Micros(), row.p99Micros(),
                row.p999Micros(), row.maxMicros(), row.gcPauseTotalMillis(), row.gcPauseMaxMillis(), row.cpuSeconds(),
                row.peakRssMb(), row.allocBytesPerRequest()));
        }
        for (long n : options.sizes()) {
            List<Row> same = rows.stream().filter(row -> row.n() == n).toList();
            Row mine = find(same, Variant.CYPCLASS);
            Row g1 = find(same, Variant.JAVA_G1);
            Row zgc = find(same, Variant.JAVA_ZGC);
            text.append(String.format(Locale.ROOT, "%nGoals at N = %,d (cypclass over java on G1, measured once each; the"
                + " issue sets them at N = 50,000,000; the ratio over java on ZGC beside each, not judged):%n", n));
            for (Target target : TARGETS) {
                String label = String.format(Locale.ROOT, "cypclass %s %s %.2f x java G1", target.what(),
                    Double.isNaN(target.atMost()) ? ">=" : "<=", Double.isNaN(target.atMost()) ? target.atLeast()
                        : target.atMost());
                if (mine == null || g1 == null) {
                    text.append("  ").append(Verdict.SKIP.label()).append(' ').append(label).append(": not measured\n");
                    counts[Verdict.SKIP.ordinal()]++;
                    continue;
                }
                double ratio = target.metric().applyAsDouble(mine) / target.metric().applyAsDouble(g1);
                Verdict verdict = Verdict.of(Spread.exactly(ratio), target.atMost(), target.atLeast());
                counts[verdict.ordinal()]++;
                String beside = zgc == null ? "" : String.format(Locale.ROOT, "; over ZGC %.2fx",
                    target.metric().applyAsDouble(mine) / target.metric().applyAsDouble(zgc));
                text.append(String.format(Locale.ROOT, "  %s %s (measured %.2fx%s)%n", verdict.label(), label, ratio, beside));
            }
        }
        int missed = counts[Verdict.MISS.ordinal()] + counts[Verdict.UNCLEAR.ordinal()];
        text.append(String.format(Locale.ROOT, "%nGoals: %d met, %d missed, %d not judged%n", counts[Verdict.MET.ordinal()],
            missed, counts[Verdict.SKIP.ordinal()]));
        return new Report(text.toString(), counts[Verdict.MET.ordinal()],
            missed, counts[Verdict.SKIP.ordinal()]);
    }

    private static Row find(List<Row> rows, Variant variant) {
        return rows.stream().filter(row -> row.variant() == variant).findFirst().orElse(null);
    }

    /**
     * Draws latency by percentile, one line per variant, as HdrHistogram's plots do: x is the
     * number of nines, log10(1 / (1 - percentile)), so that 90%, 99%, 99.9% ... fall one unit
     * apart, and the latency axis is logarithmic; the last point of each line is its maximum.
     * (x is that logarithm on a linear axis rather than a logarithmic axis of 1 / (1 - p):
     * XChart's custom tick labels ignore a logarithmic axis and step through it linearly.)
     */
    private static void chart(List<Row> rows, double seconds, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(560)
            .title(String.format(Locale.ROOT, "Request latency by percentile, %,d records, %.0f s of requests (lower is better)",
                rows.getFirst().n(), seconds))
            .xAxisTitle("percentile").yAxisTitle("latency (us)").build();
        chart.getStyler().setYAxisLogarithmic(true).setYAxisLogarithmicDecadeOnly(true).setXAxisMin(0.0)
            .setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(0);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(LiveSetBench::percentileLabel);
        for (Row row : rows) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (HistogramIterationValue value : row.histogram().percentiles(5)) {
                double percentile = value.getPercentileLevelIteratedTo();
                if (percentile >= 100) {
                    break;
                }
                x.add(Math.log10(100 / (100 - percentile)));
                y.add(Math.max(0.01, value.getValueIteratedTo() / 1000.0));
            }
            x.add(Math.max(x.isEmpty() ? 0 : x.getLast(), Math.log10(row.histogram().getTotalCount())));
            y.add(Math.max(0.01, row.histogram().getMaxValue() / 1000.0));
            XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s (-Xmx%dm)", row.variant().label(), row.xmxMib()),
                x, y);
            series.setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * {@return the percentile at {@code nines} on the chart's axis: 0%, 90%, 99%, 99.9%, ... at
     * 0, 1, 2, 3, ...; no label between}
     */
    static String percentileLabel(double nines) {
        long whole = Math.round(nines);
        if (Math.abs(nines - whole) > 1e-6 || whole < 0 || whole > 12) {
            return "";
        }
        return whole == 0 ? "0%"
            : String.format(Locale.ROOT, "%." + Math.max(0, whole - 2) + "f%%", 100 - 100 / Math.pow(10, whole));
    }
}
