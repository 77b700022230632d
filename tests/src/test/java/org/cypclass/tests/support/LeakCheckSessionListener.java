package org.cypclass.tests.support;

import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The last line of defence: when the whole test run is over, no off-heap block may be live.
 * If one is, it prints the leak report and ends the JVM with exit status 3, which fails the
 * build even if every single test passed (for example when a leak happened outside any test
 * method).
 */
public final class LeakCheckSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        MemoryStats stats = MemoryStats.snapshot();
        if (stats.liveBlocks() != 0 || stats.liveBytes() != 0) {
            System.err.println("\n*** CYPCLASS LEAK CHECK FAILED: the test run ended with " + stats + "\n"
                + LeakReport.create());
            System.err.flush();
            Runtime.getRuntime().halt(3);
        }
        System.out.println("cypclass leak check: the test run ended with 0 live off-heap blocks and 0 bytes");
    }
}
