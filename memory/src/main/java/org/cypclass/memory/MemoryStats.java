package org.cypclass.memory;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.Orphans;
import org.cypclass.memory.internal.Trimmer;

/**
 * A snapshot of the off-heap memory the library holds for live objects: blocks and bytes in
 * total and per type.
 *
 * <p>Counts are kept by every thread without synchronization and summed when a snapshot is
 * taken, so a snapshot is exact when the threads that allocate and free have finished or
 * handed over their work through a happens-before edge (join, a lock, a concurrent queue),
 * and approximate while they run. Bytes are the usable sizes of the blocks (the request
 * rounded up to its size class). Blocks cached for reuse are not live and are not counted.
 *
 * @param liveBlocks the number of live blocks
 * @param liveBytes the bytes they hold
 * @param byType per type name, the types with live blocks only, sorted by name
 */
public record MemoryStats(long liveBlocks, long liveBytes, Map<String, TypeStats> byType) {

    /** System property that switches on recording where each block was allocated. */
    public static final String LEAK_TRACKING_PROPERTY = "cypclass.memory.leakTracking";

    /**
     * System property that switches on the debug allocator: freed blocks are poisoned and
     * their reuse delayed, so that use after release is caught.
     */
    public static final String DEBUG_PROPERTY = "cypclass.memory.debug";

    /**
     * System property giving how long, in milliseconds, freed memory waits before its pages go
     * back to the operating system (default 1000; 0: never, only {@link #trim()} gives memory
     * back). See {@link #trim()} for what can go back.
     */
    public static final String DECAY_PROPERTY = "cypclass.memory.decayMillis";

    /**
     * Live blocks of one type.
     *
     * @param type the type's name
     * @param liveBlocks the number of live blocks of this type
     * @param liveBytes the bytes they hold
     */
    public record TypeStats(String type, long liveBlocks, long liveBytes) {
    }

    /**
     * Creates a snapshot; prefer {@link #snapshot()}.
     *
     * @param liveBlocks the number of live blocks
     * @param liveBytes the bytes they hold
     * @param byType per type name
     */
    public MemoryStats {
        byType = Collections.unmodifiableMap(new TreeMap<>(byType));
    }

    /**
     * Takes a snapshot of the live blocks now.
     *
     * @return the snapshot
     */
    public static MemoryStats snapshot() {
        long[] totals = Allocator.liveTotals();
        Map<String, TypeStats> byType = new TreeMap<>();
        long blocks = 0;
        long bytes = 0;
        for (int type = 0; 2 * type + 1 < totals.length; type++) {
            long typeBlocks = totals[2 * type];
            long typeBytes = totals[2 * type + 1];
            if (typeBlocks != 0 || typeBytes != 0) {
                byType.merge(BlockTypes.name(type), new TypeStats(BlockTypes.name(type), typeBlocks, typeBytes),
                    (a, b) -> new TypeStats(a.type, a.liveBlocks + b.liveBlocks, a.liveBytes + b.liveBytes));
                blocks += typeBlocks;
                bytes += typeBytes;
            }
        }
        return new MemoryStats(blocks, bytes, byType);
    }

    /**
     * Counts the orphans now: live objects thread-local to a thread that has ended, which no
     * thread has adopted yet ({@link LeakReport#orphans()} lists them). They are among the live
     * blocks of every snapshot; unlike a snapshot, this walks the allocator's memory, so it is
     * exact only while no other thread allocates, frees or adopts, and costs time in
     * proportion to the heap.
     *
     * @return the number of orphans
     */
    public static long countOrphans() {
        long[] count = {0};
        Orphans.forEach((object, typeId, size, owner) -> count[0]++);
        return count[0];
    }

    /**
     * Gives the pages of free memory back to the operating system now, without waiting for the
     * decay time ({@link #DECAY_PROPERTY}). The calling thread's cached free blocks are given up
     * first; then every 64 KiB region whose blocks are all free, all of one size class and in
     * the shared free lists has its pages dropped ({@code madvise(MADV_DONTNEED)} on Linux):
     * the resident set falls by that much at once. The region is rebuilt, at the same
     * addresses, when a thread next needs blocks of that size.
     *
     * <p>What stays resident: blocks cached by other live threads (each thread keeps at most
     * about 32 KiB per size, and the regions it is carving, one per size), the regions whose
     * tails ended threads left for others to carve, regions with a live block, and chunk memory
     * never handed out. Large blocks (over 8 KiB)
     * go back to the C library as soon as they are freed, and are not counted here.
     *
     * <p>The same happens by itself, on a daemon thread, to memory that has been free for the
     * decay time. Live blocks, their counts ({@link #snapshot()}) and leak reports are not
     * affected. Safe to call from any thread; it returns 0 where the platform has no
     * {@code madvise} (only Linux is supported).
     *
     * @return the bytes whose pages were given back by this call
     */
    public static long trim() {
        return Trimmer.trimNow();
    }

    /**
     * {@return the live blocks and bytes of that type in this snapshot, zeros when there are none}
     *
     * @param type a type name
     */
    public TypeStats of(String type) {
        return byType.getOrDefault(type, new TypeStats(type, 0, 0));
    }

    /**
     * {@return a one-line summary, for example {@code 3 live blocks, 96 bytes {Adder=3/96}}}
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(liveBlocks).append(" live blocks, ")
            .append(liveBytes).append(" bytes {");
        String separator = "";
        for (TypeStats stats : byType.values()) {
            text.append(separator).append(stats.type).append('=').append(stats.liveBlocks).append('/').append(stats.liveBytes);
            separator = ", ";
        }
        return text.append('}').toString();
    }
}
