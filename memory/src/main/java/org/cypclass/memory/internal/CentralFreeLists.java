package org.cypclass.memory.internal;

import java.util.Arrays;

/**
 * Batches of free blocks that move between thread caches, and the trimmed regions of each
 * size class.
 *
 * <p>A thread that frees more blocks of a class than its cache keeps (for example a consumer
 * freeing what a producer allocates) hands a batch here; a thread whose cache runs dry takes
 * one back before carving new memory. A batch is a chain linked through the first word of
 * each block, as in the thread caches, so moving it costs one lock per batch, not per block.
 *
 * <p>Each batch carries the {@link Trimmer#epoch()} at which it came, and whether the
 * {@link Trimmer} has examined it since: the trimmer {@linkplain #takeOld takes} the batches
 * older than the decay time, keeps the blocks of regions it can give back and
 * {@linkplain #putBack puts back} the others. A region it gave back waits here, under its
 * class, until a thread needs a block of that class and no batch is left: {@link #takeInto}
 * then revives it ({@link Trimmer#revive}) rather than carve fresh memory.
 *
 * <p>Thread-safety: safe to use from any thread; each size class has its own lock, which
 * guards everything of that class. {@code available} is written under that lock and read
 * without it as a hint: a stale zero only means carving a fresh block instead.
 */
final class CentralFreeLists {

    private static final class Batches {
        long[] heads = new long[8];
        int[] counts = new int[8];
        /** The epoch each batch came at; {@code ~epoch} (negative) once the trimmer examined it. */
        long[] epochs = new long[8];
        int size;
        /** The oldest epoch of a batch not yet examined, {@link Long#MAX_VALUE} when none (or a lower bound of it). */
        long oldestFresh = Long.MAX_VALUE;
        /** Trimmed regions of this class and the generation their blocks start from when revived. */
        long[] regions = new long[4];
        long[] generations = new long[4];
        int trimmed;
        /** Batches plus trimmed regions; volatile so that empty checks need no lock. */
        volatile int available;
    }

    /** Receives each batch {@link #takeOld} takes. */
    interface BatchSink {
        void accept(long head, int count, long epoch);
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
        long epoch = Trimmer.epoch();
        synchronized (batches) {
            append(batches, head, count, epoch);
            batches.oldestFresh = Math.min(batches.oldestFresh, epoch);
        }
    }

    /** Gives back a batch the trimmer examined, with the epoch it came at. */
    static void putBack(int sizeClass, long head, int count, long epoch) {
        Batches batches = BY_CLASS[sizeClass];
        synchronized (batches) {
            append(batches, head, count, ~epoch);
        }
    }

    private static void append(Batches batches, long head, int count, long epoch) {
        if (batches.size == batches.heads.length) {
            // All three arrays first, then the fields: an OutOfMemoryError leaves them as they were.
            long[] heads = Arrays.copyOf(batches.heads, batches.size * 2);
            int[] counts = Arrays.copyOf(batches.counts, batches.size * 2);
            long[] epochs = Arrays.copyOf(batches.epochs, batches.size * 2);
            batches.heads = heads;
            batches.counts = counts;
            batches.epochs = epochs;
        }
        batches.heads[batches.size] = head;
        batches.counts[batches.size] = count;
        batches.epochs[batches.size] = epoch;
        batches.size++;
        batches.available = batches.size + batches.trimmed;
    }

    /**
     * Moves one batch into {@code cache}'s empty list of {@code sizeClass}, else revives a
     * trimmed region of that class into it.
     *
     * @return whether there was a batch or a region
     */
    static boolean takeInto(LocalHeap cache, int sizeClass) {
        Batches batches = BY_CLASS[sizeClass];
        if (batches.available == 0) {
            return false;
        }
        long region;
        long generation;
        synchronized (batches) {
            if (batches.size > 0) {
                int last = --batches.size;
                cache.adoptList(sizeClass, batches.heads[last], batches.counts[last]);
                batches.available = last + batches.trimmed;
                return true;
            }
            if (batches.trimmed == 0) {
                return false;
            }
            int last = --batches.trimmed;
            region = batches.regions[last];
            generation = batches.generations[last];
            batches.available = last;
        }
        // Outside the lock: writing a region's prefixes takes microseconds, and the region is
        // this thread's alone now.
        Trimmer.revive(cache, sizeClass, region, generation);
        return true;
    }

    /** {@return whether some batch not yet examined came at or before {@code epoch}} */
    static boolean hasFreshBatchBy(long epoch) {
        for (Batches batches : BY_CLASS) {
            synchronized (batches) {
                if (batches.oldestFresh <= epoch) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Takes every batch of {@code sizeClass} that came at or before {@code epoch}, examined or
     * not, out of the list and hands it to {@code sink} (under the lock: the sink only records it).
     * If the sink throws, the batch it was given and every later one stay in the list, and the
     * exception is rethrown: a batch is never both handed out and listed.
     */
    static void takeOld(int sizeClass, long epoch, BatchSink sink) {
        Batches batches = BY_CLASS[sizeClass];
        Throwable failure = null;
        synchronized (batches) {
            int kept = 0;
            long oldestFresh = Long.MAX_VALUE;
            for (int i = 0; i < batches.size; i++) {
                long stamp = batches.epochs[i];
                long came = stamp < 0 ? ~stamp : stamp;
                if (came <= epoch && failure == null) {
                    try {
                        sink.accept(batches.heads[i], batches.counts[i], came);
                        continue;
                    } catch (RuntimeException | Error e) {
                        failure = e;    // not taken: this batch stays, and so does every later one
                    }
                }
                batches.heads[kept] = batches.heads[i];
                batches.counts[kept] = batches.counts[i];
                batches.epochs[kept] = stamp;
                if (stamp >= 0) {
                    oldestFresh = Math.min(oldestFresh, stamp);
                }
                kept++;
            }
            batches.size = kept;
            batches.oldestFresh = oldestFresh;
            batches.available = kept + batches.trimmed;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Keeps a region the trimmer gave back, to be revived with blocks of {@code sizeClass}. */
    static void addTrimmed(int sizeClass, long region, long generation) {
        Batches batches = BY_CLASS[sizeClass];
        synchronized (batches) {
            if (batches.trimmed == batches.regions.length) {
                long[] regions = Arrays.copyOf(batches.regions, batches.trimmed * 2);
                long[] generations = Arrays.copyOf(batches.generations, batches.trimmed * 2);
                batches.regions = regions;
                batches.generations = generations;
            }
            batches.regions[batches.trimmed] = region;
            batches.generations[batches.trimmed] = generation;
            batches.trimmed++;
            batches.available = batches.size + batches.trimmed;
        }
    }
}
