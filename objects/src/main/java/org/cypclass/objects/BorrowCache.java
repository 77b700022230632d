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
 * <p>Thread-safety: confined to its thread; found through the thread's {@link LocalHeap}.
 */
final class BorrowCache {

    static final int WAYS = 4;
    static final int SETS = 512;

    private final long threadId = Thread.currentThread().threadId();
    /** Set {@code s} is {@code slots[WAYS * s]} to {@code slots[WAYS * s + WAYS - 1]}. */
    private final CyObject[] slots = new CyObject[WAYS * SETS];
    /** Per set, the way a full set gives up next when none holds a dead target. */
    private final byte[] victims = new byte[SETS];

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
            CyObject cached = slots[way];
            if (cached == null) {
                if (free < 0) {
                    free = way;
                }
            } else if (cached.address == target) {
                // A big block's stamp lives in its stub, and two stubs may hold equal words:
                // the same address and stamp name the same allocation only read at one place.
                if (cached.stamp == stamp && cached.stampAt == stampAt) {
                    return cached;
                }
                free = way;
            }
        }
        if (free < 0) {
            free = first + victims[set];
            victims[set] = (byte) ((victims[set] + 1) % WAYS);
        }
        CyObject borrowed = Instances.newUnbound(target);
        borrowed.bindBorrowed(target, Access.borrowedWord(target), stampAt, stamp, this);
        CyObject evicted = slots[free];
        if (evicted != null) {
            evicted.lastBorrowed = null;    // see CyObject.lastBorrowed
        }
        slots[free] = borrowed;
        return borrowed;
    }

    private boolean holds(CyObject reference) {
        int first = WAYS * setOf(reference.address);
        for (int way = first; way < first + WAYS; way++) {
            if (slots[way] == reference) {
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
}
