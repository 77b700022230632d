package org.cypclass.tests.support;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Counts the Jupiter tests the launcher starts (test methods and dynamic tests alike), so that
 * {@link LeakCheckSessionListener} can tell whether the leak check was around every one of
 * them. Registered through {@code META-INF/services}; tests of other engines are not counted,
 * since the leak check is a Jupiter extension.
 */
public final class LeakCheckCoverage implements TestExecutionListener {

    @Override
    public void executionStarted(TestIdentifier test) {
        if (test.isTest() && test.getUniqueId().startsWith("[engine:junit-jupiter]")) {
            LeakCheckCounts.STARTED.add(test.getUniqueId());
        }
    }
}
