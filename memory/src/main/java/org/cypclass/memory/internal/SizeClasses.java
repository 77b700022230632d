package org.cypclass.memory.internal;

/**
 * The allocator's size classes: 16-byte steps up to 1 KiB, 128-byte steps up to 8 KiB.
 * Larger blocks come straight from malloc.
 *
 * <p>A block of class {@code c} has {@link #size(int)} usable bytes and occupies
 * {@link #stride(int)} bytes of a region, its {@link BlockPrefix} included.
 */
final class SizeClasses {

    static final int SMALL_STEP = 16;          // 1 << 4, see of()
    static final int SMALL_LIMIT = 1024;
    static final int MEDIUM_STEP = 128;        // 1 << 7, see of()
    /** The largest size served from size classes; larger requests are big blocks. */
    static final int MEDIUM_LIMIT = 8192;
    static final int SMALL_CLASSES = SMALL_LIMIT / SMALL_STEP;
    static final int COUNT = SMALL_CLASSES + (MEDIUM_LIMIT - SMALL_LIMIT) / MEDIUM_STEP;

    private SizeClasses() {
    }

    /** Class index for a request of {@code bytes}, 1 &lt;= bytes &lt;= MEDIUM_LIMIT. */
    static int of(long bytes) {
        int n = (int) bytes;
        // Shifts, not divisions: n is positive, and a signed division by a power of two
        // compiles to a shift plus a fix-up for negative values.
        if (n <= SMALL_LIMIT) {
            return ((n + SMALL_STEP - 1) >>> 4) - 1;
        }
        return SMALL_CLASSES + ((n - SMALL_LIMIT + MEDIUM_STEP - 1) >>> 7) - 1;
    }

    /** Usable bytes of a block of class {@code c}. */
    static int size(int c) {
        if (c < SMALL_CLASSES) {
            return (c + 1) * SMALL_STEP;
        }
        return SMALL_LIMIT + (c - SMALL_CLASSES + 1) * MEDIUM_STEP;
    }

    /** Bytes a block of class {@code c} takes in a region, prefix included. */
    static int stride(int c) {
        return size(c) + BlockPrefix.SIZE;
    }
}
