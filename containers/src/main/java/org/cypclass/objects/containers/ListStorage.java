package org.cypclass.objects.containers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.cypclass.memory.internal.Allocator;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The storage block of a list ({@link ListLayout}): growth, gaps for inserts and removals,
 * and the checks of sizes. Works on raw instance addresses that the caller has just obtained
 * through the capability check, so it is package-private and never sees a reference.
 */
final class ListStorage {

    static final VarHandle WORD = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    /**
     * The most elements a list holds: 2^44 elements of 8 bytes fill the 2^47-byte user address
     * space of x86-64 (5-level paging too: {@code mmap} stays below 2^47 unless asked), so a
     * larger capacity is impossible on any machine and is refused before anything is allocated,
     * where it used to reach {@code calloc} as an {@link OutOfMemoryError}. No byte count
     * computed from it can overflow.
     */
    static final long MAX_ELEMENTS = 1L << 44;

    private ListStorage() {
    }

    static long size(long self) {
        return (long) WORD.get(ALL, self + ListLayout.SIZE);
    }

    static long data(long self) {
        return (long) WORD.get(ALL, self + ListLayout.DATA);
    }

    static long capacity(long self) {
        return (long) WORD.get(ALL, self + ListLayout.CAPACITY);
    }

    static long modCount(long self) {
        return (long) WORD.get(ALL, self + ListLayout.MOD_COUNT);
    }

    /**
     * Records a change of size that may lower it or move elements (insert, removal, clear):
     * the new size, and {@code mod_count} bumped.
     */
    static void resized(long self, long size) {
        WORD.set(ALL, self + ListLayout.SIZE, size);
        WORD.set(ALL, self + ListLayout.MOD_COUNT, modCount(self) + 1);
    }

    /**
     * Records an append: the new size only. A walk notices it by the size (appends only raise
     * it, and whatever else changes it bumps {@code mod_count}), so the hot append path does
     * one store to the header instead of a store and a read-modify-write.
     */
    static void appended(long self, long size) {
        WORD.set(ALL, self + ListLayout.SIZE, size);
    }

    /** Checks a capacity given by a user before anything is allocated. */
    static void checkCapacity(Class<?> list, long capacity) {
        if (capacity < 0 || capacity > MAX_ELEMENTS) {
            throw new IllegalArgumentException("cannot make a " + list.getSimpleName() + " with capacity " + capacity
                + ": the capacity must be from 0 to " + MAX_ELEMENTS);
        }
    }

    /**
     * Makes room for at least {@code needed} elements: a block of at least twice the old
     * capacity (so appends cost amortised O(1)), the elements copied, the old block freed.
     * Out of line: appends call it once per doubling.
     *
     * @return the new data address
     */
    static long grow(long self, long needed, long elementBytes, int storageType) {
        long old = capacity(self);
        if (needed > MAX_ELEMENTS) {
            throw new IllegalStateException("a list cannot hold more than " + MAX_ELEMENTS + " elements");
        }
        long capacity = Math.max(needed, Math.max(old * 2, ListLayout.FIRST_CAPACITY));
        capacity = Math.min(capacity, MAX_ELEMENTS);
        return reallocate(self, capacity, elementBytes, storageType);
    }

    /** Moves the elements to a block of exactly {@code capacity} elements (0: no block). */
    static long reallocate(long self, long capacity, long elementBytes, int storageType) {
        long oldData = data(self);
        long data = capacity == 0 ? 0 : Allocator.allocate(storageType, capacity * elementBytes);
        if (oldData != 0) {
            MemorySegment.copy(ALL, oldData, ALL, data, size(self) * elementBytes);
            Allocator.free(oldData);
        }
        WORD.set(ALL, self + ListLayout.DATA, data);
        WORD.set(ALL, self + ListLayout.CAPACITY, capacity);
        return data;
    }

    /**
     * Opens a gap of one element at {@code index} (0 to size), growing if needed; the size is
     * not changed. Returns the data address.
     */
    static long openGap(long self, long index, long elementBytes, int storageType) {
        long size = size(self);
        long data = data(self);
        if (size == capacity(self)) {
            data = grow(self, size + 1, elementBytes, storageType);
        }
        long at = data + index * elementBytes;
        MemorySegment.copy(ALL, at, ALL, at + elementBytes, (size - index) * elementBytes);
        return data;
    }

    /** Closes the gap of one element at {@code index} (0 to size - 1); the size is not changed. */
    static void closeGap(long self, long index, long elementBytes) {
        long size = size(self);
        long at = data(self) + index * elementBytes;
        MemorySegment.copy(ALL, at + elementBytes, ALL, at, (size - index - 1) * elementBytes);
    }

    /** Frees the storage block of a dying list. */
    static void free(long self) {
        long data = data(self);
        if (data != 0) {
            WORD.set(ALL, self + ListLayout.DATA, 0L);
            Allocator.free(data);
        }
    }
}
