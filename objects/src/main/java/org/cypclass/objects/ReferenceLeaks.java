package org.cypclass.objects;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

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
    /** The distinct reports kept for {@link #reports()}, oldest first; at most {@link #KEPT}. */
    private static final List<String> REPORTS = new ArrayList<>();
    /** Each distinct leak (its report without addresses) seen so far, and how many times; guarded by REPORTS. */
    private static final Map<String, Integer> SEEN = new HashMap<>();
    /** How many distinct reports are kept and logged; past that, leaks are only counted. */
    static final int KEPT = 1_000;
    private static final System.Logger LOGGER = System.getLogger("org.cypclass.objects");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]+");

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
     * Returns the reports made so far, oldest first: one per distinct leak (the same site leaking
     * again, for another instance, is counted, not repeated), at most 1,000.
     *
     * @return one text per distinct leaked reference, naming the instance and the site that took it
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
            SEEN.clear();
            notKept = 0;
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

    /**
     * Keeps and logs (warning, logger {@code org.cypclass.objects}) a leak the first time it is
     * seen, as Netty's detector does: a site that leaks on every call would otherwise flood the
     * log and the heap. A repeat is counted, and logged again, with its count, at each power of
     * two; past {@link #KEPT} distinct leaks, new ones are counted only.
     */
    static void report(String text) {
        String key = ADDRESS.matcher(text).replaceAll("0x?");
        boolean overflow;
        int seen;
        synchronized (REPORTS) {
            overflow = REPORTS.size() >= KEPT && !SEEN.containsKey(key);
            seen = overflow ? ++notKept : SEEN.merge(key, 1, Integer::sum);
            if (!overflow && seen == 1) {
                REPORTS.add(text);
            }
        }
        if (!overflow && seen == 1) {
            LOGGER.log(System.Logger.Level.WARNING, text);
        } else if (Integer.bitCount(seen) == 1) {
            LOGGER.log(System.Logger.Level.WARNING, overflow
                ? "cypclass LEAK: " + seen + " more leaks, not kept: past the first " + KEPT + " distinct ones, leaks are only counted"
                : "cypclass LEAK, the same site " + seen + " times: " + text.lines().findFirst().orElse(text));
        }
    }

    /** How many leaks came past the first {@link #KEPT} distinct ones; guarded by REPORTS. */
    private static int notKept;

    static void reportCleanerFailure(RuntimeException e) {
        report("cypclass: releasing a garbage-collected reference failed: " + e);
    }
}
