package org.cypclass.objects;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.LocalHeap;
import org.cypclass.objects.internal.Words;

/**
 * One thread's borrowed references, so that reading a reference field allocates nothing once
 * its target has been borrowed before: a walk over a list or a tree that fits in the cache
 * reuses the same Java objects on every pass.
 *
 * <p>A borrowed reference is immutable (its target, the target's stamp and its owner never
 * change, and closing it does nothing), so handing the same Java object to every reader of one
 * target is indistinguishable from handing each a new one, except for {@code ==}.
 *
 * <p>The cache is {@value #WAYS}-way set-associative on the target address, {@value #SETS}
 * sets. Blocks of one size class sit an odd number of 8-byte words apart, so a run of up to
 * {@value #SETS} consecutive blocks inside one 64 KiB window puts one block in each set, and
 * up to {@value #WAYS} such runs fit with no eviction; the window's bits are mixed in, so that
 * blocks at the same offset of different regions (the free lists of a busy thread) do not pile
 * up in one set, and scattered addresses rarely fill a set. A look-up loads no block's memory
 * but its target's stamp: a full set gives up a reference to an earlier allocation of the same
 * block if it holds one, else the way its rotating victim index points to. A reference
 * evicted, or replaced by a later allocation of its block (its stamp differs), keeps failing
 * on use as it must.
 *
 * <p><b>Admission.</b> A target enters a set that has a free way at once; it enters a full set
 * only on its second miss in a short while: a table of {@value #SEEN} plain {@code long}s keeps
 * the last address that missed a full set at each entry, the entries spread as the sets are (so
 * that the blocks of a walk that fits in the cache do not push each other out); until then
 * each read gets a fresh reference that the cache does not keep. Random reads over a structure
 * far bigger than the cache miss almost always: admitting each would store a new young object
 * into the old {@code slots} array (under G1 a barrier with a full fence) and evict another for
 * nothing, which cost about half the time of such a read; a fresh reference dropped at once
 * costs a young allocation only. A walk that fits in the cache still reuses its references from
 * its third pass on: the first records the targets, the second admits them. The admission test
 * is one load and one compare: a per-set list of candidates measured slower than no admission
 * at all, its miss path grown past what C2 inlines.
 *
 * <p>Thread-safety: confined to its thread; found through the thread's {@link LocalHeap}.
 */
final class BorrowCache {

    static final int WAYS = 4;
    static final int SETS = 512;
    /** Entries of the table of recently missed addresses (see Admission). */
    static final int SEEN = 8192;

    private final long threadId = Thread.currentThread().threadId();
    /** Set {@code s} is {@code slots[WAYS * s]} to {@code slots[WAYS * s + WAYS - 1]}. */
    private final CyObject[] slots = new CyObject[WAYS * SETS];
    /**
     * {@code addresses[w]}: the target address of {@code slots[w]}, 0 for an empty way. A set's
     * search compares these (one cache line per set) and loads a cached reference only for the
     * way whose address matches, rather than four objects scattered over the Java heap.
     */
    private final long[] addresses = new long[WAYS * SETS];
    /** Per set, the way a full set gives up next when none holds a dead target. */
    private final byte[] victims = new byte[SETS];
    /** Per entry ({@link #seenAt}), the last address that missed a full set there (see Admission). */
    private final long[] seen = new long[SEEN];

    private BorrowCache() {
    }

    /** The calling thread's cache, created on first use. */
    static BorrowCache current() {
        LocalHeap heap = LocalHeap.current();
        BorrowCache cache = heap.attachment(BorrowCache.class);
        if (cache != null && cache.threadId == Thread.currentThread().threadId()) {
            return cache;
        }
        cache = new BorrowCache();
        heap.attach(cache);
        return cache;
    }

    /**
     * Tells whether this is the calling thread's cache: a borrowed reference remembers the
     * cache it came from, which only its own thread may use.
     */
    boolean isCurrent() {
        return threadId == Thread.currentThread().threadId();
    }

    /**
     * Returns a borrowed reference to {@code target}, a live instance the caller has just read
     * from a field of {@code holder}, an instance the calling thread may use.
     */
    static CyObject borrow(CyObject holder, long target) {
        CyObject last = holder.lastBorrowed;
        // The very check the caller's next use of the result makes, so the JIT can share it.
        if (last != null && last.address == target && last.targetAlive()) {
            return last;
        }
        BorrowCache cache = holder.borrows;
        if (cache == null || !cache.isCurrent()) {
            cache = current();
            // Remembered by an owned holder of this thread too (a list read at random indices),
            // so that its next read skips the thread's heap look-up. Not by a holder other
            // threads read (frozen): their reads would take turns writing one Java object.
            if (holder.owner == cache.threadId) {
                holder.borrows = cache;
            }
        }
        return cache.borrowFor(holder, target);
    }

    /**
     * Returns a borrowed reference to {@code target}, a live instance the calling thread may use,
     * reached without a holder (a {@link WeakRef} whose stamp still matches).
     */
    static CyObject borrowLive(long target) {
        return current().lookUp(target);
    }

    private CyObject borrowFor(CyObject holder, long target) {
        CyObject borrowed = lookUp(target);
        // A frozen target's reference may be handed to other threads, which must never read a
        // memo this thread writes (racy publication), so it keeps none. Only references this
        // cache holds keep one (see CyObject.lastBorrowed).
        if (holder.kind == CyObject.BORROWED && holder.owner != Words.FROZEN_BORROWED && holds(holder)) {
            holder.lastBorrowed = borrowed;
        }
        return borrowed;
    }

    private CyObject lookUp(long target) {
        long stampAt = target;
        long stamp = Allocator.stamp(target);
        if (Allocator.isBigStamp(stamp)) {
            stampAt = Allocator.stampAddress(target);
            stamp = Allocator.stamp(stampAt);
        }
        int set = setOf(target);
        int first = WAYS * set;
        int free = -1;
        // Only the target's own stamp is loaded: asking each way whether its target still
        // lives would load the prefixes of up to four other, unrelated blocks, which over a big
        // structure means four more cache misses per borrowed read. A way of the same address
        // with another stamp holds a dead allocation's reference and is the one to reuse.
        for (int way = first; way < first + WAYS; way++) {
            long address = addresses[way];
            if (address == 0) {
                if (free < 0) {
                    free = way;
                }
            } else if (address == target) {
                CyObject cached = slots[way];
                // A big block's stamp lives in its stub, and two stubs may hold equal words:
                // the same address and stamp name the same allocation only read at one place.
                if (cached.stamp == stamp && cached.stampAt == stampAt) {
                    return cached;
                }
                free = way;
            }
        }
        CyObject borrowed = Instances.newUnbound(target);
        borrowed.bindBorrowed(target, Access.borrowedWord(target), stampAt, stamp, this);
        if (free < 0) {
            int at = seenAt(target);
            if (seen[at] != target) {
                seen[at] = target;
                return borrowed;        // its first miss: not admitted into a full set
            }
        }
        admit(set, free, target, borrowed);
        return borrowed;
    }

    /**
     * Puts {@code borrowed} into way {@code free} of set {@code set}, or (-1) in place of the
     * set's rotating victim. Out of line: random reads over a big structure rarely come here,
     * so C2 compiles it as a call and the look-up it inlines into each field getter and
     * container read stays smaller (with it, {@code RefList.get} inlines into
     * {@code RandomReadBench}'s loop; no change of speed was measurable).
     */
    private void admit(int set, int free, long target, CyObject borrowed) {
        int way = free;
        if (way < 0) {
            way = WAYS * set + victims[set];
            victims[set] = (byte) ((victims[set] + 1) % WAYS);
        }
        CyObject evicted = slots[way];
        if (evicted != null) {
            evicted.lastBorrowed = null;    // see CyObject.lastBorrowed
        }
        slots[way] = borrowed;
        addresses[way] = target;
    }

    private boolean holds(CyObject reference) {
        long address = reference.address;
        int first = WAYS * setOf(address);
        for (int way = first; way < first + WAYS; way++) {
            if (addresses[way] == address && slots[way] == reference) {
                return true;
            }
        }
        return false;
    }

    /**
     * The set of a target: its word index, mixed with its 64 KiB window so that blocks at the
     * same offset of different regions (which share their low 16 bits) spread over sets, while
     * consecutive blocks inside one window still take consecutive, distinct sets.
     */
    private static int setOf(long address) {
        return (int) ((address >>> 3) ^ (address >>> 16)) & (SETS - 1);
    }

    /** The entry of {@link #seen} for an address: spread as {@link #setOf} spreads sets, over more entries. */
    private static int seenAt(long address) {
        return (int) ((address >>> 3) ^ (address >>> 16)) & (SEEN - 1);
    }
}
