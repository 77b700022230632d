package org.cypclass.memory.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each live block was allocated, recorded only when leak tracking is switched on
 * ({@code -Dcypclass.memory.leakTracking=true}). Recording takes a stack trace per
 * allocation: a debugging tool, not for production hot paths.
 *
 * <p>Thread-safety: safe to use from any thread; the sites are kept in a concurrent map.
 */
public final class LeakTracker {

    /** Where a block was allocated. */
    public static final class AllocationSite extends Throwable {
        private static final long serialVersionUID = 1L;

        AllocationSite(String thread) {
            super("allocated by " + thread);
        }
    }

    private static final Map<Long, AllocationSite> SITES = new ConcurrentHashMap<>();

    private LeakTracker() {
    }

    /**
     * {@return whether allocation sites are being recorded}
     */
    public static boolean enabled() {
        return MemoryOptions.LEAK_TRACKING;
    }

    static void allocated(long block) {
        SITES.put(block, new AllocationSite(ThreadNames.current()));
    }

    static void freed(long block) {
        SITES.remove(block);
    }

    /**
     * {@return where {@code block} was allocated, or {@code null} when tracking is off}
     *
     * @param block a live block
     */
    public static AllocationSite siteOf(long block) {
        return SITES.get(block);
    }
}
