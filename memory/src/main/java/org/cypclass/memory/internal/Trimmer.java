package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * Gives the pages of wholly free regions back to the operating system after a decay time, so
 * that a process that had one spike does not keep its peak resident set for ever.
 *
 * <p><b>Where free memory sits.</b> A thread cache keeps at most {@code LocalHeap}'s limit per
 * size class (about 32 KiB, at least 16 blocks) and hands the rest of what it frees to
 * {@link CentralFreeLists} in batches: after a spike, nearly every free block is there, under
 * a lock, and none is in a thread cache. So the trimmer works on the central lists only and
 * never touches a thread's cache: a thread's fast path gains no lock, no fence, no handshake.
 * What a live thread keeps cached (its lists, bounded as above, and its current region) stays
 * resident until that thread frees or allocates more; {@link #trimNow} also gives back the
 * calling thread's own cache.
 *
 * <p><b>A pass</b> ({@link #pass}, one at a time under {@link #PASS}):
 * <ol>
 *   <li>takes out of the central lists every batch that came at least the decay time ago
 *       ({@link CentralFreeLists#takeOld}). From then on the pass alone holds those blocks:
 *       a block is in one list at a time (a thread cache, a central batch, or this pass), so
 *       nobody else reads or writes their link words;</li>
 *   <li>counts them per region (blocks never cross a 64 KiB region, and chunks are aligned
 *       to regions, so the region is the address rounded down), noting for each region
 *       whether they are all of one class and on that class's grid from the region's first
 *       byte, the highest grid slot among them, and their largest generation;</li>
 *   <li>for each region whose counted blocks fill slots 0 to n - 1 of one class's grid, asks
 *       {@link ChunkSpace#markTrimmedIfWhole} whether the region is closed (no heap carves in
 *       it any more; a retired heap's shelved tail right after slot n - 1 leaves the shelf) and
 *       what follows slot n - 1 is the filler that ends every region: then those blocks are
 *       the whole region. Such a region is marked trimmed, which takes it out of heap walks;</li>
 *   <li>unlinks the blocks of those regions from the chains it holds and puts the other blocks
 *       back as examined batches (re-examined only with a pass that new batches trigger);</li>
 *   <li>drops each region's pages ({@link NativeAccess#dropPages}, {@code MADV_DONTNEED})
 *       only then, since step 4 read link words inside them, and files the region under its
 *       size class ({@link CentralFreeLists#addTrimmed}).</li>
 * </ol>
 * A pass that fails in steps 1 or 2 (its own records cannot grow: an {@code OutOfMemoryError})
 * puts every batch it took back, and {@code takeOld} keeps the batch it could not hand over
 * with every later one, so a batch is never both in the pass's hands and listed; steps 3 to 5
 * allocate nothing but the lists' growth, and a region marked trimmed is always filed.
 *
 * <p><b>Reuse, and why a stamp never repeats.</b> A trimmed region is revived
 * ({@link #revive}) only by a thread that needs a block of its class and finds no batch: its
 * blocks are rebuilt at the same addresses, with the same class, each prefix carrying the
 * region's largest generation, so the next allocation of each block has a generation no
 * allocation at that address ever had. (Blocks past the region's last old one, if its tail was
 * long, are new addresses: no stamp was ever taken there.) Keeping the layout is what keeps
 * stale references safe: a stamp check through an old address reads a prefix (zero while the
 * pages are dropped, and no stamp is zero), never the middle of a block carved differently.
 * That is why regions hold one size class each ({@link LocalHeap} carves each class from a
 * region of its own); a region that would not fit one class's grid is left resident, which now
 * happens only to a corrupted one.
 *
 * <p><b>Who runs it.</b> The daemon thread {@code cypclass-memory-trimmer}, started when the
 * allocator first hands out a batch, ticks {@link #epoch} every quarter of the decay time
 * ({@code -Dcypclass.memory.decayMillis}, default 1000 ms; 0 for no
 * thread and no decay) and runs a pass when some batch not yet examined has been in the
 * central lists for about the decay time (between three quarters of it and the whole: a batch
 * stamped with epoch e is taken at tick e + 4); so free memory goes back about one decay time
 * after it was freed. {@link #trimNow} ({@code MemoryStats.trim()}) runs a pass at
 * once over every batch.
 *
 * <p><b>Cost.</b> Nothing on the allocation and free paths: a batch hand-over reads the
 * epoch, a refill that finds no batch checks the trimmed regions under the lock it takes
 * anyway, and a heap moving to a new region closes the old one under the chunk lock it takes
 * anyway. A pass reads the link word and prefix of every block it takes, twice, so its time
 * grows with the free blocks older than the decay time (the 10^7 of {@code TrimRssTest} take
 * about a second on a loaded two-core machine); blocks it put back are read again only by a
 * pass that a newer batch triggers. A service whose central lists hold many blocks in regions
 * that never become wholly free pays that reading at each tick in which a fresh batch ages,
 * which while it keeps freeing can be every quarter of the decay time, and the blocks a pass
 * holds are out of the lists while it runs: set the decay longer, or to 0 and call
 * {@code MemoryStats.trim()} when it suits.
 *
 * <p><b>Ordering.</b> {@link #epoch} is written by the trimmer thread alone and read by any
 * thread when it hands over a batch (volatile: a stale epoch makes a batch look one tick older, which the three quarters above count).
 * Every other field of the scheme is guarded by a lock: the batch and trimmed lists by their
 * class's lock, the region bits by {@link ChunkSpace}'s. The blocks a pass holds were written
 * by the thread that put their batch, before it released the class lock the pass then took;
 * a revived region's prefixes are written before {@link ChunkSpace#revived} releases the
 * chunk lock that a heap walk takes, and before the reviving thread allocates from them.
 */
public final class Trimmer {

    /** The decay time when {@code cypclass.memory.decayMillis} is not set. */
    static final int DEFAULT_DECAY_MILLIS = 1000;
    /** How long a batch waits in the central lists before its regions may be given back; 0: never. */
    private static final long DECAY_MILLIS = MemoryOptions.DECAY_MILLIS;
    private static final long TICK_MILLIS = Math.max(1, DECAY_MILLIS / 4);
    /** Ticks a batch waits: between three quarters of the decay time and the whole of it. */
    private static final long AGE_TICKS = (DECAY_MILLIS + TICK_MILLIS - 1) / TICK_MILLIS;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    /** One pass at a time; {@link #trimNow} may race the trimmer thread. */
    private static final Object PASS = new Object();
    /** Ticks of the trimmer thread since it started; see the class comment. */
    private static volatile long epoch;
    /** Bytes given back since the JVM started; guarded by {@link #PASS}. */
    private static long givenBack;
    /** Regions revived since the JVM started, for tests and diagnostics; one increment per 64 KiB rebuilt. */
    private static final java.util.concurrent.atomic.AtomicLong REVIVED = new java.util.concurrent.atomic.AtomicLong();

    static {
        if (DECAY_MILLIS > 0 && NativeAccess.canDropPages()) {
            Thread trimmer = new Thread(Trimmer::tick, "cypclass-memory-trimmer");
            trimmer.setDaemon(true);
            trimmer.start();
        }
    }

    private Trimmer() {
    }

    /** {@return the trimmer's clock, in ticks} */
    static long epoch() {
        return epoch;
    }

    private static void tick() {
        while (true) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                continue;   // nobody may stop it: it is what gives memory back
            }
            long now = epoch + 1;
            epoch = now;
            try {
                if (CentralFreeLists.hasFreshBatchBy(now - AGE_TICKS)) {
                    pass(now - AGE_TICKS);
                }
            } catch (RuntimeException | Error e) {
                System.getLogger("org.cypclass.memory").log(System.Logger.Level.ERROR, "giving memory back failed", e);
            }
        }
    }

    /**
     * Gives back at once what can be given back: the calling thread's cached free blocks go to
     * the central lists, then a pass runs over every batch there, whatever its age.
     *
     * @return the bytes whose pages were given back by this call
     */
    public static long trimNow() {
        LocalHeap.current().giveBackLists();
        return NativeAccess.canDropPages() ? pass(Long.MAX_VALUE) : 0;
    }

    /** {@return the bytes given back since the JVM started} */
    public static long givenBack() {
        synchronized (PASS) {
            return givenBack;
        }
    }

    /** {@return how many trimmed regions were rebuilt for reuse since the JVM started} */
    public static long revivedCount() {
        return REVIVED.get();
    }

    /** The batches a pass took, per class, in growable parallel arrays. */
    private static final class Taken {
        long[] heads = new long[64];
        int[] counts = new int[64];
        long[] epochs = new long[64];
        int[] classes = new int[64];
        int size;

        /** Records a batch; if growing throws (OutOfMemoryError), nothing changed, and the batch stays in its list. */
        void add(int sizeClass, long head, int count, long came) {
            if (size == heads.length) {
                long[] newHeads = Arrays.copyOf(heads, size * 2);
                int[] newCounts = Arrays.copyOf(counts, size * 2);
                long[] newEpochs = Arrays.copyOf(epochs, size * 2);
                int[] newClasses = Arrays.copyOf(classes, size * 2);
                heads = newHeads;
                counts = newCounts;
                epochs = newEpochs;
                classes = newClasses;
            }
            heads[size] = head;
            counts[size] = count;
            epochs[size] = came;
            classes[size] = sizeClass;
            size++;
        }
    }

    /**
     * Regions seen by a pass: open addressing on the region address, with per region the
     * class of its blocks ({@code MIXED} once two classes were seen, or a block off the grid
     * of its class), how many there are, the highest grid slot among them, their largest
     * generation, and whether the region was trimmed.
     */
    private static final class Regions {
        private static final int MIXED = -2;
        long[] keys = new long[1024];
        int[] classes = new int[1024];
        int[] counts = new int[1024];
        int[] lastSlots = new int[1024];
        long[] generations = new long[1024];
        boolean[] trimmed = new boolean[1024];
        int size;

        int slot(long region) {
            int mask = keys.length - 1;
            int at = Long.hashCode(region * 0x9E3779B97F4A7C15L) & mask;
            while (keys[at] != 0 && keys[at] != region) {
                at = (at + 1) & mask;
            }
            return at;
        }

        /** Adds a run of {@code blocks} blocks of one region; {@code sizeClass} is MIXED if one was off the grid. */
        void count(long region, int sizeClass, int blocks, int lastSlot, long generation) {
            int at = slot(region);
            if (keys[at] == 0) {
                keys[at] = region;
                classes[at] = sizeClass;
                if (++size * 2 > keys.length) {
                    grow();
                    at = slot(region);
                }
            } else if (classes[at] != sizeClass) {
                classes[at] = MIXED;
            }
            counts[at] += blocks;
            lastSlots[at] = Math.max(lastSlots[at], lastSlot);
            generations[at] = Math.max(generations[at], generation);
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldClasses = classes;
            int[] oldCounts = counts;
            int[] oldLastSlots = lastSlots;
            long[] oldGenerations = generations;
            keys = new long[oldKeys.length * 2];
            classes = new int[keys.length];
            counts = new int[keys.length];
            lastSlots = new int[keys.length];
            generations = new long[keys.length];
            trimmed = new boolean[keys.length];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    int at = slot(oldKeys[i]);
                    keys[at] = oldKeys[i];
                    classes[at] = oldClasses[i];
                    counts[at] = oldCounts[i];
                    lastSlots[at] = oldLastSlots[i];
                    generations[at] = oldGenerations[i];
                }
            }
        }

        boolean trimmed(long region) {
            return trimmed[slot(region)];
        }
    }

    private static long regionOf(long block) {
        return (block - BlockPrefix.SIZE) & -ChunkSpace.REGION_SIZE;
    }

    /**
     * Runs one pass over the batches that came at or before {@code upTo}; see the class comment.
     *
     * @param upTo an epoch
     * @return the bytes given back
     */
    static long pass(long upTo) {
        synchronized (PASS) {
            Taken taken = new Taken();
            Regions regions = new Regions();
            try {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    int sizeClass = c;
                    CentralFreeLists.takeOld(c, upTo, (head, count, came) -> taken.add(sizeClass, head, count, came));
                }
                for (int b = 0; b < taken.size; b++) {
                    countRuns(taken.heads[b], taken.classes[b], regions);
                }
            } catch (RuntimeException | Error e) {
                putBackAll(taken, e);   // nothing is marked yet: every batch goes back as it came
                throw e;
            }
            // From here on nothing allocates until the put-backs: a region marked trimmed is
            // always filed, and its blocks never go back to the lists.
            int whole = 0;
            for (int at = 0; at < regions.keys.length; at++) {
                if (regions.keys[at] != 0 && regions.classes[at] >= 0 && regions.lastSlots[at] == regions.counts[at] - 1
                    && ChunkSpace.markTrimmedIfWhole(regions.keys[at], regions.classes[at], regions.counts[at])) {
                    regions.trimmed[at] = true;
                    whole++;
                }
            }
            for (int b = 0; b < taken.size; b++) {
                if (whole == 0) {
                    CentralFreeLists.putBack(taken.classes[b], taken.heads[b], taken.counts[b], taken.epochs[b]);
                } else {
                    putBackSurvivors(taken.classes[b], taken.heads[b], taken.epochs[b], regions);
                }
            }
            long bytes = 0;
            for (int at = 0; at < regions.keys.length; at++) {
                if (regions.trimmed[at]) {
                    // Filed even if the kernel refused or the call failed: a revival rewrites every
                    // word it relies on.
                    try {
                        if (NativeAccess.dropPages(regions.keys[at], ChunkSpace.REGION_SIZE)) {
                            bytes += ChunkSpace.REGION_SIZE;
                        }
                    } finally {
                        CentralFreeLists.addTrimmed(regions.classes[at], regions.keys[at], regions.generations[at]);
                    }
                }
            }
            givenBack += bytes;
            return bytes;
        }
    }

    /** Puts every batch a failed pass took back into its list; a put-back that fails too is added to {@code failure}. */
    private static void putBackAll(Taken taken, Throwable failure) {
        for (int b = 0; b < taken.size; b++) {
            try {
                CentralFreeLists.putBack(taken.classes[b], taken.heads[b], taken.counts[b], taken.epochs[b]);
            } catch (RuntimeException | Error e) {
                // That batch's blocks are lost to reuse, never listed twice. (The JVM may throw
                // the same preallocated OutOfMemoryError again, which cannot suppress itself.)
                if (e != failure) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /**
     * Counts the blocks of one chain of {@code sizeClass} per region, in runs: blocks freed one
     * after another are mostly neighbours. Each block's slot on its class's grid (its offset in
     * the region over the stride) and generation are read here, next to its link word, so that
     * whether a region is whole takes one prefix read ({@link ChunkSpace#markTrimmedIfWhole}).
     */
    private static void countRuns(long head, int sizeClass, Regions regions) {
        int stride = SizeClasses.stride(sizeClass);
        long run = 0;
        int runClass = sizeClass;
        int runLength = 0;
        int runLastSlot = 0;
        long runGeneration = 0;
        for (long block = head; block != 0; block = (long) LONG.get(ALL, block)) {
            long region = regionOf(block);
            if (region != run) {
                if (runLength > 0) {
                    regions.count(run, runClass, runLength, runLastSlot, runGeneration);
                }
                run = region;
                runClass = sizeClass;
                runLength = 0;
                runLastSlot = 0;
                runGeneration = 0;
            }
            long offset = block - BlockPrefix.SIZE - region;
            if (offset % stride != 0) {
                runClass = Regions.MIXED;      // carved after a block of another class
            }
            runLastSlot = Math.max(runLastSlot, (int) (offset / stride));
            runGeneration = Math.max(runGeneration, BlockPrefix.generation(BlockPrefix.read(block)));
            runLength++;
        }
        if (runLength > 0) {
            regions.count(run, runClass, runLength, runLastSlot, runGeneration);
        }
    }

    /** Puts back, as one examined batch, the blocks of a chain that are not in a trimmed region. */
    private static void putBackSurvivors(int sizeClass, long head, long came, Regions regions) {
        long keptHead = 0;
        long keptTail = 0;
        int kept = 0;
        long lastRegion = 0;
        boolean lastTrimmed = false;
        for (long block = head; block != 0; ) {
            long next = (long) LONG.get(ALL, block);
            long region = regionOf(block);
            if (region != lastRegion) {
                lastRegion = region;
                lastTrimmed = regions.trimmed(region);
            }
            if (!lastTrimmed) {
                if (keptTail == 0) {
                    keptHead = block;
                } else {
                    LONG.set(ALL, keptTail, block);
                }
                keptTail = block;
                kept++;
            }
            block = next;
        }
        if (kept > 0) {
            LONG.set(ALL, keptTail, 0L);
            CentralFreeLists.putBack(sizeClass, keptHead, kept, came);
        }
    }

    /**
     * Rebuilds a trimmed region's blocks of {@code sizeClass}, free, each one's generation
     * {@code generation} (see the class comment), and hands them to {@code cache}'s empty list of
     * that class: as many as a batch holds, the rest to the central lists, so that the cache
     * is no fuller than after taking a batch (a cache past its limit would hand the next block
     * it frees straight on, instead of giving it back first). Runs on the cache's thread,
     * which took the region out of the central lists, so it holds the region alone.
     */
    static void revive(LocalHeap cache, int sizeClass, long region, long generation) {
        int stride = SizeClasses.stride(sizeClass);
        int blocks = ChunkSpace.REGION_SIZE / stride;
        // The cache keeps a batch's worth; the rest goes to the central lists in batches of the
        // same size, none larger than a cache may take whole.
        int batch = Math.max(1, LocalHeap.limit(sizeClass) / 2);
        int kept = Math.min(blocks, batch);
        long free = BlockPrefix.pack(0, sizeClass, BlockPrefix.FREE, generation);
        long next = 0;
        for (int i = blocks - 1; i >= 0; i--) {
            long block = region + (long) i * stride + BlockPrefix.SIZE;
            BlockPrefix.write(block, free);
            boolean chainEnds = i == kept - 1 || (i >= kept && (i - kept + 1) % batch == 0);
            LONG.set(ALL, block, chainEnds ? 0L : next);
            next = block;
        }
        ChunkSpace.markFiller(region + (long) blocks * stride, ChunkSpace.REGION_SIZE - (long) blocks * stride);
        ChunkSpace.revived(region);
        for (int start = kept; start < blocks; start += batch) {
            CentralFreeLists.put(sizeClass, region + (long) start * stride + BlockPrefix.SIZE, Math.min(batch, blocks - start));
        }
        cache.adoptList(sizeClass, next, kept);
        REVIVED.incrementAndGet();
    }
}
