package org.cypclass.tests.support;

import java.util.List;

import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The last line of defence, when the whole test run is over: no off-heap block may be live,
 * and the leak check must have been around every Jupiter test that ran. If either fails, it
 * prints why and ends the JVM with exit status 3, which fails the build even if every single
 * test passed (for example when a leak happened outside any test method, or when the
 * extension was not registered).
 *
 * <p>The second rule looks up each test {@link LeakCheckCoverage} saw start (by unique id)
 * among those {@link LeakCheckExtension} was around.
 */
public final class LeakCheckSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        MemoryStats stats = MemoryStats.snapshot();
        if (stats.liveBlocks() != 0 || stats.liveBytes() != 0) {
            halt("the test run ended with " + stats + "\n" + LeakReport.create());
        }
        List<String> unchecked = LeakCheckCounts.STARTED.stream().filter(id -> !LeakCheckCounts.CHECKED.contains(id))
            .sorted().toList();
        if (!unchecked.isEmpty()) {
            halt(unchecked.size() + " of the " + LeakCheckCounts.STARTED.size()
                + " Jupiter tests that ran were not under the leak check (is LeakCheckExtension registered through"
                + " META-INF/services, with junit.jupiter.extensions.autodetection.enabled?), for example "
                + unchecked.subList(0, Math.min(5, unchecked.size())));
        }
        long dynamic = LeakCheckCounts.CHECKED_DYNAMIC.get();
        System.out.println("cypclass leak check: around each of the " + LeakCheckCounts.STARTED.size() + " tests run ("
            + dynamic + " of the checks around dynamic tests); the test run ended with 0 live off-heap blocks and 0 bytes");
    }

    private static void halt(String why) {
        System.err.println("\n*** CYPCLASS LEAK CHECK FAILED: " + why);
        System.err.flush();
        Runtime.getRuntime().halt(3);
    }
}
