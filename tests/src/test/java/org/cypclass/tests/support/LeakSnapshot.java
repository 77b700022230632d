package org.cypclass.tests.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.tests.libc.OpenDescriptors;

/**
 * What a test may leak, counted at one moment: the allocator's live blocks and bytes by type,
 * the libc module's open {@code FILE*} streams and line-buffer blocks, and, for the tests
 * that touch files, the open file descriptors.
 *
 * <p>Taking one costs a walk of the allocator's per-type counters (no heap walk), three
 * volatile reads and, with descriptors, one listing of {@code /proc/self/fd}. Nothing waits for
 * the garbage collector.
 *
 * @param memory the allocator's counts
 * @param libc the libc module's counts
 * @param descriptors the open descriptors, or {@code null} when they are not compared
 */
record LeakSnapshot(MemoryStats memory, LibcHandles libc, Map<Integer, String> descriptors) {

    /**
     * Counts now.
     *
     * @param withDescriptors whether to list the open file descriptors too
     * @return the snapshot
     */
    static LeakSnapshot take(boolean withDescriptors) {
        return new LeakSnapshot(MemoryStats.snapshot(), LibcHandles.now(), withDescriptors ? OpenDescriptors.snapshot() : null);
    }

    /**
     * Fails if anything is held now that was not held at {@code before}.
     *
     * @param before the snapshot taken when {@code what} started
     * @param what the test or test class, for the message
     * @throws AssertionError naming each leak, followed by the allocator's leak report
     */
    private static Map<Integer, String> openedSince(Map<Integer, String> before, Map<Integer, String> now) {
        Map<Integer, String> opened = new TreeMap<>(now);
        opened.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        return opened;
    }

    static void assertNothingLeakedSince(LeakSnapshot before, String what) {
        LeakSnapshot after = take(before.descriptors != null);
        List<String> leaks = new ArrayList<>(AllocatorLeaks.between(before.memory, after.memory));
        leaks.addAll(after.libc.leaksSince(before.libc));
        if (before.descriptors != null) {
            Map<Integer, String> opened = openedSince(before.descriptors, after.descriptors);
            // A child process's pipes can outlive the test by a moment: the JDK's process reaper
            // thread, not the test, drains and closes them when the child exits. Only pipes get
            // that grace, and only for two seconds; a file, socket or pipe still open then leaked.
            for (long deadline = System.nanoTime() + 2_000_000_000L;
                 !opened.isEmpty() && opened.values().stream().allMatch(d -> d.startsWith("pipe:")) && System.nanoTime() < deadline; ) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                after = new LeakSnapshot(after.memory, after.libc, OpenDescriptors.snapshot());
                opened = openedSince(before.descriptors, after.descriptors);
            }
            if (!opened.isEmpty()) {
                leaks.add("leaked file descriptors " + opened + " (" + before.descriptors.size() + " open before, "
                    + after.descriptors.size() + " after)");
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError(what + " " + String.join("; ", leaks)
                + " (live before: " + before.memory + "; after: " + after.memory + ")\n" + LeakReport.create());
        }
    }
}
