package org.cypclass.memory.internal;

/**
 * Switches read once from system properties when the memory module initializes.
 * Being static finals, a disabled switch costs nothing on the hot paths: the JIT removes
 * the code it guards.
 */
final class MemoryOptions {

    /** {@code -Dcypclass.memory.leakTracking=true}: record the stack trace of every allocation. */
    static final boolean LEAK_TRACKING = SystemSwitches.flag(org.cypclass.memory.MemoryStats.LEAK_TRACKING_PROPERTY);

    /** {@code -Dcypclass.memory.debug=true}: poison freed blocks and delay their reuse. */
    static final boolean DEBUG = SystemSwitches.flag(org.cypclass.memory.MemoryStats.DEBUG_PROPERTY);

    /**
     * {@code -Dcypclass.memory.decayMillis=N}: how long free memory waits before the {@link Trimmer}
     * gives its pages back to the operating system; 0 never does.
     */
    static final int DECAY_MILLIS = SystemSwitches.whole(org.cypclass.memory.MemoryStats.DECAY_PROPERTY,
        Trimmer.DEFAULT_DECAY_MILLIS);

    private MemoryOptions() {
    }
}
