package org.cypclass.benchmarks.liveset;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;

/**
 * One variant of the live-set benchmark, in a JVM of its own that {@link LiveSetBench} starts
 * with the variant's collector and heap: builds N records, then serves requests on one thread
 * for a fixed time and prints what it measured on standard output, progress on standard error.
 *
 * <pre>
 * java ... LiveSetRun java|cypclass GC-LABEL N SECONDS SEED
 * </pre>
 *
 * <p>The workload, the same in every variant for one seed:
 * <ul>
 *   <li><b>build</b>: N records appended in order, record {@code i} made of two longs and a
 *       {@code next} naming a uniformly random earlier record (none for the first). Pointing
 *       only backwards keeps the records acyclic, so reference counting frees them all; a pass
 *       that set each {@code next} afterwards could close cycles, which no user of the library
 *       would build on purpose.</li>
 *   <li><b>a request</b> reads {@value #READS_PER_REQUEST} random records and each one's
 *       {@code next} (key and value of both), allocates {@value #GARBAGE_BYTES} bytes of Java
 *       garbage (a {@code byte[]} kept in a static field until the next request, as a request's
 *       buffers would be), and one time in {@value #REPLACE_ONE_IN} replaces a random record
 *       with a new one whose {@code next} is another random record. Replacing never closes a
 *       cycle either: a new record points only at records older than itself.</li>
 * </ul>
 * A warm-up (a tenth of the measured time, and at least {@value #CHECKED_REQUESTS} requests)
 * is served first and not recorded: a service runs for hours, and its first seconds in the
 * interpreter would otherwise weigh on a 30-second window. The sum of what the first
 * {@value #CHECKED_REQUESTS} requests read is printed as {@code checksum}, equal across
 * variants when they did the same work.
 *
 * <p>Latency is the service time of each request in a closed loop: the next request starts
 * when the last one ends (the "30 s of requests"), timed with {@link System#nanoTime}
 * from the end of one request to the end of the next, so that a pause anywhere in the loop,
 * recording included, lands in a request. A closed loop does not model the requests an open
 * system would queue behind a pause (coordinated omission): a 300 ms pause counts as one slow
 * request here, not as the thousands that would have waited. The maximum and the GC pauses are
 * reported for that reason.
 *
 * <p>What it prints on standard output, read by {@link LiveSetBench}: a line {@value #ROW}
 * with {@code key=value} pairs ({@code buildSeconds}, {@code requests}, the percentiles in
 * microseconds, {@code cpuSeconds}: the process's CPU time from its start to the end of the
 * requests, build included; {@code peakRssMb}: VmHWM in MiB; {@code allocBytesPerRequest}: Java
 * heap bytes the thread allocated per measured request; {@code checksum}), and a line
 * {@value #HISTOGRAM} with the latency histogram (nanoseconds), compressed and in Base64. The
 * cypclass variant then closes its list and fails with status 1, printing the leak report, if
 * any off-heap block is still live.
 */
public final class LiveSetRun {

    static final int READS_PER_REQUEST = 16;
    static final int GARBAGE_BYTES = 1024;
    static final int REPLACE_ONE_IN = 100;
    static final int CHECKED_REQUESTS = 10_000;
    static final String ROW = "LIVESET-ROW";
    static final String HISTOGRAM = "LIVESET-HISTOGRAM";
    /** Longer requests are recorded as this long (an hour: none will be). */
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
    /** The requests' random stream is the build's seed mixed with this, so that the two differ. */
    private static final long REQUEST_STREAM = 0x9E3779B97F4A7C15L;

    /** Where each request leaves its garbage, so that the JIT cannot leave out the allocation. */
    static byte[] sink;

    private LiveSetRun() {
    }

    /**
     * Runs one variant.
     *
     * @param args see the class documentation
     * @throws IOException if {@code /proc/self/status} cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5 || !(args[0].equals("java") || args[0].equals("cypclass"))) {
            System.err.println("usage: LiveSetRun java|cypclass GC-LABEL N SECONDS SEED (started by LiveSetBench)");
            System.exit(64);
        }
        String impl = args[0];
        String gc = args[1];
        int n = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        long seed = Long.parseLong(args[4]);
        String name = impl + "/" + gc;

        progress(name, String.format(Locale.ROOT, "building %,d records", n));
        SplittableRandom build = new SplittableRandom(seed);
        long buildStart = System.nanoTime();
        LiveSet set = impl.equals("cypclass") ? new CypLiveSet(n) : new JavaLiveSet(n);
        for (int i = 0; i < n; i++) {
            set.add(build.nextLong(), build.nextLong(), i == 0 ? -1 : build.nextInt(i));
        }
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        long offHeap = impl.equals("cypclass") ? MemoryStats.snapshot().liveBytes() : 0;
        progress(name, String.format(Locale.ROOT, "built in %.2f s%s; warming up, then %.0f s of requests", buildSeconds,
            offHeap == 0 ? "" : String.format(Locale.ROOT, " (%,d off-heap bytes live, %.1f per record)", offHeap,
                (double) offHeap / n), seconds));

        SplittableRandom requests = new SplittableRandom(seed ^ REQUEST_STREAM);
        long checksum = 0;
        long warmedUp = System.nanoTime() + (long) (seconds * 1e8);
        for (long done = 0; done < CHECKED_REQUESTS || System.nanoTime() < warmedUp; done++) {
            long read = request(set, requests, n);
            if (done < CHECKED_REQUESTS) {
                checksum += read;
            }
        }

        Histogram latencies = new Histogram(HIGHEST_NANOS, 3);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long count = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        for (long end = start; end < deadline; start = end) {
            request(set, requests, n);
            end = System.nanoTime();
            latencies.recordValue(Math.min(end - start, HIGHEST_NANOS));
            count++;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        double cpuSeconds = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1e9;
        // Closed before reading the peak RSS, which can fail: VmHWM is a high-water mark, which
        // the close does not lower.
        set.close();
        double peakRssMb = statusKib("VmHWM") / 1024.0;
        progress(name, String.format(Locale.ROOT, "%,d requests, p50 %.1f us, p99.9 %.1f us, max %.1f us; CPU %.1f s,"
            + " peak RSS %.0f MiB", count, micros(latencies.getValueAtPercentile(50)), micros(latencies.getValueAtPercentile(99.9)),
            micros(latencies.getMaxValue()), cpuSeconds, peakRssMb));

        if (impl.equals("cypclass")) {
            MemoryStats left = MemoryStats.snapshot();
            if (left.liveBlocks() != 0) {
                System.err.println("liveset " + name + ": FAILED: " + left.liveBlocks() + " off-heap blocks still live after"
                    + " closing the list:");
                System.err.println(LeakReport.create());
                System.exit(1);
            }
        }

        System.out.printf(Locale.ROOT, "%s impl=%s gc=%s n=%d buildSeconds=%.4f requests=%d p50Micros=%.3f p99Micros=%.3f"
                + " p999Micros=%.3f maxMicros=%.3f cpuSeconds=%.3f peakRssMb=%.1f allocBytesPerRequest=%.1f checksum=%d%n",
            ROW, impl, gc, n, buildSeconds, count, micros(latencies.getValueAtPercentile(50)),
            micros(latencies.getValueAtPercentile(99)), micros(latencies.getValueAtPercentile(99.9)),
            micros(latencies.getMaxValue()), cpuSeconds, peakRssMb, count == 0 ? 0.0 : (double) allocated / count, checksum);
        ByteBuffer encoded = ByteBuffer.allocate(latencies.getNeededByteBufferCapacity());
        int length = latencies.encodeIntoCompressedByteBuffer(encoded);
        System.out.println(HISTOGRAM + " " + Base64.getEncoder().encodeToString(Arrays.copyOf(encoded.array(), length)));
    }

    /** One request (see the class documentation); {@return the sum of what it read} */
    static long request(LiveSet set, SplittableRandom random, int n) {
        long sum = 0;
        for (int k = 0; k < READS_PER_REQUEST; k++) {
            sum += set.read(random.nextInt(n));
        }
        byte[] garbage = new byte[GARBAGE_BYTES];
        garbage[(int) (sum & (GARBAGE_BYTES - 1))] = (byte) sum;
        sink = garbage;
        if (random.nextInt(REPLACE_ONE_IN) == 0) {
            set.replace(random.nextInt(n), random.nextLong(), random.nextLong(), random.nextInt(n));
        }
        return sum;
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    /** {@return a field of {@code /proc/self/status} in KiB}, 0 where there is none (not Linux) */
    private static long statusKib(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        return 0;
    }

    private static void progress(String name, String message) {
        System.err.println("liveset " + name + ": " + message);
    }
}
