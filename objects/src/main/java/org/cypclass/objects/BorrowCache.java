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
     * from a field of an instance it may use.
     */
    CyObject borrow(long target) {
        long stampAt = Allocator.stampAddress(target);
        long stamp = Allocator.stamp(stampAt);
        int slot = (int) (target >>> 3) & (SLOTS - 1);
        CyObject cached = slots[slot];
        if (cached != null && cached.address == target && cached.stamp == stamp) {
            return cached;
        }
        return miss(slot, target, stampAt, stamp);
    }

    private CyObject miss(int slot, long target, long stampAt, long stamp) {
        CyObject borrowed = CyType.newUnbound(target);
        borrowed.bindBorrowed(target, RefCount.owner(target), stampAt, stamp, this);
        slots[slot] = borrowed;
        return borrowed;
    }
}
