package org.cypclass.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.cypclass.memory.MemoryStats;

/**
 * Measures what short-lived threads cost: many threads, each creating and closing a few
 * instances, against the same loop over plain Java arrays. Prints the elapsed time and the
 * growth of the process's resident set (VmRSS, and the peak VmHWM, from
 * {@code /proc/self/status}, so Linux only).
 *
 * <p>Run one mode per JVM, so that the two resident sets do not mix:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     org.cypclass.benchmarks.ThreadChurn cyp [threads] [instancesPerThread] [virtual|platform] [concurrency]
 * java ... org.cypclass.benchmarks.ThreadChurn java ...
 * </pre>
 * Defaults: 1,000,000 virtual threads, 10 instances each, 64 threads in flight at a time.
 * Exits with status 1 if any cypclass block is still live at the end.
 */
public final class ThreadChurn {

    /** Keeps the Java arrays from being optimized away: each thread writes its last one here. */
    private static volatile Object sink;

    private ThreadChurn() {
    }

    /**
     * Runs the churn and prints one line of results.
     *
     * @param args {@code cyp|java [threads] [instancesPerThread] [virtual|platform] [concurrency]}
     * @throws Exception if a thread cannot be joined or /proc cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("cyp") || args[0].equals("java"))) {
            System.err.println("usage: ThreadChurn cyp|java [threads] [instancesPerThread] [virtual|platform] [concurrency]");
            System.exit(64);
        }
        boolean cyp = args[0].equals("cyp");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int perThread = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        boolean virtual = args.length <= 3 || args[3].equals("virtual");
        int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform();
        Runnable body = cyp ? () -> cypBody(perThread) : () -> javaBody(perThread);

        // Warm up both the code and the thread machinery on a small run, then measure.
        churn(builder, body, Math.min(threads, 10_000), concurrency);
        System.gc();
        long rssBefore = status("VmRSS");
        long start = System.nanoTime();
        churn(builder, body, threads, concurrency);
        long elapsed = System.nanoTime() - start;
        long rssAfter = status("VmRSS");
        long peak = status("VmHWM");
        long live = MemoryStats.snapshot().liveBlocks();
        System.out.printf(Locale.ROOT,
            "%s %s threads=%d instances/thread=%d concurrency=%d time=%d ms rss: before=%d MB after=%d MB growth=%d MB peak=%d MB live blocks=%d%n",
            args[0], virtual ? "virtual" : "platform", threads, perThread, concurrency, elapsed / 1_000_000,
            rssBefore >> 10, rssAfter >> 10, (rssAfter - rssBefore) >> 10, peak >> 10, live);
        if (live != 0) {
            System.exit(1);
        }
    }

    /** Starts {@code threads} threads, at most {@code concurrency} at a time, and joins them all. */
    private static void churn(Thread.Builder builder, Runnable body, int threads, int concurrency) throws InterruptedException {
        Thread[] inFlight = new Thread[concurrency];
        for (int i = 0; i < threads; i++) {
            int slot = i % concurrency;
            if (inFlight[slot] != null) {
                inFlight[slot].join();
            }
            inFlight[slot] = builder.start(body);
        }
        for (Thread thread : inFlight) {
            if (thread != null) {
                thread.join();
            }
        }
    }

    // The adders wait in an array, all alive at once as the benchmark means, and are closed in
    // the second loop: the checker cannot follow owned references in an array.
    @SuppressWarnings("resourceleak")
    private static void cypBody(int perThread) {
        BenchAdder[] adders = new BenchAdder[perThread];
        for (int i = 0; i < perThread; i++) {
            adders[i] = BenchAdder.create(i);
        }
        for (BenchAdder adder : adders) {
            adder.close();
        }
    }

    private static void javaBody(int perThread) {
        int[][] arrays = new int[perThread][];
        for (int i = 0; i < perThread; i++) {
            // The Java twin of a BenchAdder: a header and one int, here a small array.
            arrays[i] = new int[] {i};
        }
        sink = arrays[perThread - 1];
    }

    /** Reads one field of /proc/self/status, in KiB. */
    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new IOException(field + " not found in /proc/self/status");
    }
}
