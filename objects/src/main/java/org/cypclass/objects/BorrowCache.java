package org.cypclass.objects;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.LocalHeap;
import org.cypclass.memory.internal.RefCount;

/**
 * One thread's borrowed references, so that reading a reference field allocates nothing once
 * its target has been borrowed before: a walk over a list or a tree that fits in the cache
 * reuses the same Java objects on every pass.
 *
 * <p>A borrowed reference is immutable (its target, the target's stamp and its owner never
 * change, and closing it does nothing), so handing the same Java object to every reader of one
 * target is indistinguishable from handing each a new one, except for {@code ==}. The cache is
 * direct-mapped on the target address: blocks of one size class sit at an odd multiple of 8
 * bytes apart, so up to {@value #SLOTS} consecutive blocks of one class never collide. A slot
 * holding another target, or an earlier allocation of the same block (its stamp differs), is
 * simply replaced; the reference it held keeps failing on use as it must.
 *
 * <p>Thread-safety: confined to its thread; found through the thread's {@link LocalHeap}.
 */
final class BorrowCache {

    static final int SLOTS = 1024;

    private final long threadId = Thread.currentThread().threadId();
    private final CyObject[] slots = new CyObject[SLOTS];

    private BorrowCache() {
    }

    /** The calling thread's cache, created on first use. */
    static BorrowCache current() {
        LocalHeap heap = LocalHeap.current();
        if (heap.attachment instanceof BorrowCache cache && cache.threadId == Thread.currentThread().threadId()) {
            return cache;
        }
        BorrowCache cache = new BorrowCache();
        heap.attachment = cache;
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
        }
        return cache.borrowFor(holder, target);
    }

    private CyObject borrowFor(CyObject holder, long target) {
        CyObject borrowed = lookUp(target);
        if (holds(holder)) {
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
        int slot = slotOf(target);
        CyObject cached = slots[slot];
        if (cached != null && cached.address == target && cached.stamp == stamp) {
            return cached;
        }
        CyObject borrowed = CyType.newUnbound(target);
        borrowed.bindBorrowed(target, RefCount.owner(target), stampAt, stamp, this);
        if (cached != null) {
            cached.lastBorrowed = null;     // evicted: see CyObject.lastBorrowed
        }
        slots[slot] = borrowed;
        return borrowed;
    }

    private boolean holds(CyObject reference) {
        return slots[slotOf(reference.address)] == reference;
    }

    private static int slotOf(long address) {
        return (int) (address >>> 3) & (SLOTS - 1);
    }
}
