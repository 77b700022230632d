package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * One thread's allocator state: a LIFO free list per size class, the region it carves fresh
 * blocks from, its accounting counters and its destruction queue.
 *
 * <p>Free lists are intrusive: the first word of a free block holds the address of the next
 * one, so pushing and popping cost two plain memory accesses and no Java allocation. LIFO
 * order gives back the most recently freed (cache-hot) block first.
 *
 * <p>Thread-safety: confined to its thread, reached only through {@link #current()}. When the
 * thread object becomes unreachable, a cleaner hands the free lists to
 * {@link CentralFreeLists} and folds the counters into the retired totals.
 */
final class ThreadCache {

    private static final ThreadLocal<ThreadCache> CURRENT = ThreadLocal.withInitial(ThreadCache::create);
    private static final Cleaner RETIRER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "cypclass-thread-cache-retirer");
        thread.setDaemon(true);
        return thread;
    });
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final int[] LIMITS = new int[SizeClasses.COUNT];

    static {
        for (int c = 0; c < LIMITS.length; c++) {
            LIMITS[c] = Math.max(16, 32 * 1024 / SizeClasses.stride(c));
        }
    }

    final long[] heads = new long[SizeClasses.COUNT];
    final int[] counts = new int[SizeClasses.COUNT];
    final Accounting.Counters counters = Accounting.newCounters();
    final Quarantine quarantine = MemoryOptions.DEBUG ? new Quarantine() : null;
    private long regionPosition;
    private long regionEnd;

    /** Whether this thread is inside {@link Destruction#run}; see there. */
    boolean destroying;
    /** Head of the objects waiting to be destroyed, linked through their dead ob_refcnt word. */
    long pendingDestruction;

    private ThreadCache() {
    }

    static ThreadCache current() {
        return CURRENT.get();
    }

    private static ThreadCache create() {
        ThreadCache cache = new ThreadCache();
        RETIRER.register(Thread.currentThread(), cache::retire);
        return cache;
    }

    long pop(int sizeClass) {
        long block = heads[sizeClass];
        if (block == 0) {
            return refill(sizeClass);
        }
        heads[sizeClass] = (long) LONG.get(ALL, block);
        counts[sizeClass]--;
        return block;
    }

    void push(int sizeClass, long block) {
        LONG.set(ALL, block, heads[sizeClass]);
        heads[sizeClass] = block;
        if (++counts[sizeClass] > LIMITS[sizeClass]) {
            flushHalf(sizeClass);
        }
    }

    private long refill(int sizeClass) {
        if (CentralFreeLists.takeInto(this, sizeClass)) {
            return pop(sizeClass);
        }
        int stride = SizeClasses.stride(sizeClass);
        if (regionEnd - regionPosition < stride) {
            regionPosition = ChunkSpace.newRegion();
            regionEnd = regionPosition + ChunkSpace.REGION_SIZE;
        }
        long block = regionPosition + BlockPrefix.SIZE;
        regionPosition += stride;
        BlockPrefix.write(block, BlockTypes.UNTYPED, sizeClass, BlockPrefix.FREE);
        ChunkSpace.markFiller(regionPosition, regionEnd - regionPosition);
        return block;
    }

    private void flushHalf(int sizeClass) {
        int half = counts[sizeClass] / 2;
        long head = heads[sizeClass];
        long last = head;
        for (int i = 1; i < half; i++) {
            last = (long) LONG.get(ALL, last);
        }
        heads[sizeClass] = (long) LONG.get(ALL, last);
        LONG.set(ALL, last, 0L);
        counts[sizeClass] -= half;
        CentralFreeLists.put(sizeClass, head, half);
    }

    /** Runs on the cleaner thread once the owner thread is unreachable. */
    private void retire() {
        if (quarantine != null) {
            quarantine.drain(block -> push(BlockPrefix.sizeClass(block), block));
        }
        for (int c = 0; c < heads.length; c++) {
            if (counts[c] > 0) {
                CentralFreeLists.put(c, heads[c], counts[c]);
                heads[c] = 0;
                counts[c] = 0;
            }
        }
        Accounting.retire(counters);
    }
}
