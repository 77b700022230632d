package org.cypclass.objects;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.cypclass.memory.internal.SystemSwitches;
import org.cypclass.memory.internal.ThreadNames;

/**
 * Finds deterministic references that were never closed: when the garbage collector finds
 * such a reference unreachable, a report naming the instance and where the reference was
 * taken is printed to {@code System.err} and kept in {@link #reports()}.
 *
 * <p>Watching a reference costs a stack trace, so by default only a sample is watched, as
 * Netty samples its buffers: one reference in {@value #DEFAULT_INTERVAL} (set
 * {@code -Dcypclass.objects.leakDetection.interval=N}, a power of two). With
 * {@code -Dcypclass.objects.leakDetection=all} every reference is watched; {@code off} watches
 * none. The unwatched path allocates nothing.
 *
 * <p>Thread-safety: safe to use from any thread.
 */
public final class ReferenceLeaks {

    /** System property choosing the mode: {@code sampled} (default), {@code all} or {@code off}. */
    public static final String MODE_PROPERTY = "cypclass.objects.leakDetection";
    /** System property setting the sampling interval of the {@code sampled} mode. */
    public static final String INTERVAL_PROPERTY = "cypclass.objects.leakDetection.interval";
    /** One reference in this many is watched by default. */
    public static final int DEFAULT_INTERVAL = 4096;

    static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "cypclass-reference-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private static final String MODE = SystemSwitches.choice(MODE_PROPERTY, "sampled", List.of("sampled", "all", "off"));
    private static final boolean ALL = MODE.equals("all");
    private static final boolean OFF = MODE.equals("off");
    private static final int MASK = Integer.highestOneBit(Math.max(1, SystemSwitches.positive(INTERVAL_PROPERTY, DEFAULT_INTERVAL))) - 1;
    private static final List<String> REPORTS = new ArrayList<>();

    private ReferenceLeaks() {
    }

    /**
     * Tells whether every reference is watched.
     *
     * @return true with {@code -Dcypclass.objects.leakDetection=all}
     */
    public static boolean watchesAll() {
        return ALL;
    }

    /**
     * Returns the reports made so far, oldest first.
     *
     * @return one text per leaked reference, naming the instance and the site that took it
     */
    public static List<String> reports() {
        synchronized (REPORTS) {
            return List.copyOf(REPORTS);
        }
    }

    /** Forgets the reports made so far. */
    public static void clearReports() {
        synchronized (REPORTS) {
            REPORTS.clear();
        }
    }

    /** Returns a watch for a sampled reference, null for the others (the common, allocation-free path). */
    static LeakWatch sample(Class<?> type, long instance) {
        if (ALL || (!OFF && (ThreadLocalRandom.current().nextInt() & MASK) == 0)) {
            return watch(type.getName(), instance);
        }
        return null;
    }

    static LeakWatch watch(String typeName, long instance) {
        LeakWatch watch = new LeakWatch(Access.describe(typeName, instance), ThreadNames.current());
        CLEANER.register(watch, watch.state());
        return watch;
    }

    static void report(String text) {
        synchronized (REPORTS) {
            REPORTS.add(text);
        }
        System.err.println(text);
    }

    static void reportCleanerFailure(RuntimeException e) {
        report("cypclass: releasing a garbage-collected reference failed: " + e);
    }
}
