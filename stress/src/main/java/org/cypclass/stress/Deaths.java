package org.cypclass.stress;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Destructions of {@link Cell}s, counted per test instance: each instance draws a token, its
 * cells carry it, their destructor records it here, and the arbiter takes the count. A count
 * below the cells made is a leak, above it a double destruction (which the allocator would
 * usually also throw on).
 *
 * <p>Thread-safety: every method may be called from any thread; a destructor's
 * {@link #record} happens before the {@link #take} of an arbiter that runs after it.
 */
final class Deaths {

    private static final AtomicLong TOKENS = new AtomicLong();
    private static final ConcurrentHashMap<Long, AtomicInteger> COUNTS = new ConcurrentHashMap<>();

    private Deaths() {
    }

    /** {@return a token no other test instance of this JVM has} */
    static long newToken() {
        return TOKENS.incrementAndGet();
    }

    /** Counts one destruction of a cell carrying {@code token}. */
    static void record(long token) {
        COUNTS.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
    }

    /** {@return how many cells carrying {@code token} were destroyed}, forgetting the token. */
    static int take(long token) {
        AtomicInteger count = COUNTS.remove(token);
        return count == null ? 0 : count.get();
    }
}
