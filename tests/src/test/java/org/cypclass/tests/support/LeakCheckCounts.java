package org.cypclass.tests.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which tests this JVM's launcher started, and which tests the leak check was around, by
 * unique id, for {@link LeakCheckSessionListener} to compare at the end of the run.
 *
 * <p>Thread-safety: safe from any thread (concurrent sets, atomic counters).
 */
final class LeakCheckCounts {

    /** Unique ids of the Jupiter tests and dynamic tests the launcher started. */
    static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
    /** Unique ids of the tests, dynamic tests and test factories the leak check was around. */
    static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();
    /** How many of {@link #CHECKED} were dynamic tests. */
    static final AtomicLong CHECKED_DYNAMIC = new AtomicLong();

    private LeakCheckCounts() {
    }
}
