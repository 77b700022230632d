package org.cypclass.memory.internal;

import java.util.Arrays;

/**
 * Batches of free blocks that move between thread caches.
 *
 * <p>A thread that frees more blocks of a class than its cache keeps (for example a consumer
 * freeing what a producer allocates) hands a batch here; a thread whose cache runs dry takes
 * one back before carving new memory. A batch is a chain linked through the first word of
 * each block, as in the thread caches, so moving it costs one lock per batch, not per block.
 *
 * <p>Thread-safety: safe to use from any thread; each size class has its own lock.
 * {@code available} is written under that lock and read without it as a hint: a stale zero only
 * means carving a fresh block instead.
 */
final class CentralFreeLists {

    private static final class Batches {
        long[] heads = new long[8];
        int[] counts = new int[8];
        int size;
        /** Number of batches; volatile so that empty checks need no lock. */
        volatile int available;
    }

    private static final Batches[] BY_CLASS = new Batches[SizeClasses.COUNT];

    static {
        for (int c = 0; c < BY_CLASS.length; c++) {
            BY_CLASS[c] = new Batches();
        }
    }

    private CentralFreeLists() {
    }

    static void put(int sizeClass, long head, int count) {
        Batches batches = BY_CLASS[sizeClass];
        synchronized (batches) {
            if (batches.size == batches.heads.length) {
                batches.heads = Arrays.copyOf(batches.heads, batches.size * 2);
                batches.counts = Arrays.copyOf(batches.counts, batches.size * 2);
            }
            batches.heads[batches.size] = head;
            batches.counts[batches.size] = count;
            batches.available = ++batches.size;
        }
    }

    /**
     * Moves one batch into {@code cache}'s empty list of {@code sizeClass}.
     *
     * @return whether a batch was there
     */
    static boolean takeInto(LocalHeap cache, int sizeClass) {
        Batches batches = BY_CLASS[sizeClass];
        if (batches.available == 0) {
            return false;
        }
        synchronized (batches) {
            if (batches.size == 0) {
                return false;
            }
            int last = --batches.size;
            cache.adoptList(sizeClass, batches.heads[last], batches.counts[last]);
            batches.available = last;
            return true;
        }
    }
}
