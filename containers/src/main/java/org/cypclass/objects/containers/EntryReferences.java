package org.cypclass.objects.containers;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.ReferenceVisitor;

import static org.cypclass.memory.internal.NativeAccess.ALL;
import static org.cypclass.objects.containers.DictLayout.DICT_ENTRY;
import static org.cypclass.objects.containers.DictLayout.SET_ENTRY;
import static org.cypclass.objects.containers.HashContainer.OBJECTS;

/**
 * The counted words of a reference dict's or set's entries: the value word of {@link LongRefDict}
 * and {@link IntRefDict} (an instance address or 0), the key word of {@link RefLongDict} and of
 * the sets {@link RefSet} and {@link KeySet} (an instance address), both words of
 * {@link RefRefDict} and {@link KeyRefDict}. Entries keyed by content ({@code Key*}) carry their
 * key's hash as a last, uncounted word. Each counted word holds one count of its instance; this class gives them
 * back (removal, clear, destruction) and reports them to the memory layer as the dict's
 * references ({@link ReferenceVisitor}: cycle reports, {@code Isolated.consume}, the switch of a
 * graph to another capability, the adoption of orphans).
 *
 * <p>Slots are reported by their byte offset in the entry block, so that a report can name
 * them from the offset alone: {@code values[42]} (the value of key 42) or {@code keys[3]} (the
 * fourth key in iteration order).
 *
 * <p>Thread-safety: immutable; works on the dict passed in, on its owner's thread, or while
 * nothing changes it for the visitor (see {@link ReferenceVisitor}).
 */
final class EntryReferences implements ReferenceVisitor {

    /** The values count (a dict from primitive keys to references). */
    static final EntryReferences VALUES = new EntryReferences(DICT_ENTRY, false, true, false);
    /** The keys count (a dict from references to primitive values). */
    static final EntryReferences KEYS = new EntryReferences(DICT_ENTRY, true, false, false);
    /** Keys and values count ({@link RefRefDict}). */
    static final EntryReferences KEYS_AND_VALUES = new EntryReferences(DICT_ENTRY, true, true, false);
    /** The elements of {@link RefSet}: 8-byte entries. */
    static final EntryReferences ELEMENTS = new EntryReferences(SET_ENTRY, true, false, true);
    /** The keys of {@link KeyLongDict}: key, value, hash. */
    static final EntryReferences CONTENT_KEYS = new EntryReferences(DictLayout.CONTENT_DICT_ENTRY, true, false, false);
    /** Keys and values of {@link KeyRefDict}: key, value, hash. */
    static final EntryReferences CONTENT_KEYS_AND_VALUES = new EntryReferences(DictLayout.CONTENT_DICT_ENTRY, true, true, false);
    /** The elements of {@link KeySet}: key, hash. */
    static final EntryReferences CONTENT_ELEMENTS = new EntryReferences(DictLayout.CONTENT_SET_ENTRY, true, false, true);

    /** The bytes of an entry. */
    private final long stride;
    /** Whether the key word (offset 0) holds a count. */
    private final boolean keys;
    /** Whether the value word (offset 8) holds a count. */
    private final boolean values;

    /** Whether the entries are a set's elements (for the names of slots). */
    private final boolean set;

    private EntryReferences(long stride, boolean keys, boolean values, boolean set) {
        this.stride = stride;
        this.set = set;
        this.keys = keys;
        this.values = values;
    }

    /**
     * Releases what a removed entry counted (its words stay readable until the next insertion):
     * the value first, then the key.
     */
    void release(long entry) {
        if (values) {
            long target = HashStorage.load(entry + 8);
            if (target != 0) {
                if (keys) {
                    // A throwing destructor run by the value's release must not keep the key.
                    try {
                        OBJECTS.release(target);
                    } finally {
                        OBJECTS.release(HashStorage.load(entry));
                    }
                    return;
                }
                OBJECTS.release(target);
            }
        }
        if (keys) {
            OBJECTS.release(HashStorage.load(entry));
        }
    }

    /**
     * The destructor's part: releases every live entry's count (the deaths this causes are
     * queued by the destruction loop, so a dict of a million references dies in constant
     * stack), then frees the blocks.
     */
    void destroy(long self) {
        long entries = HashStorage.entries(self);
        long used = HashStorage.used(self);
        long capacity = HashStorage.capacity(self);
        emptyHeader(self);
        for (long e = 0; e < used; e++) {
            if (!HashStorage.isDead(entries, capacity, stride, e)) {
                release(entries + e * stride);
            }
        }
        HashStorage.free(self);
    }

    /** Empties a dying dict's header first, so that nothing reads the entries being released. */
    private static void emptyHeader(long self) {
        HashStorage.WORD.set(ALL, self + DictLayout.SIZE, 0L);
        HashStorage.WORD.set(ALL, self + DictLayout.USED, 0L);
    }

    /**
     * Removes every entry of {@code container} and releases what they counted, in insertion order.
     * The blocks are detached first, so that destructors run by the releases see an empty dict
     * and may use it; they are taken back afterwards if the dict is still without storage. If
     * some releases throw, every entry is still released and the first failure is rethrown.
     */
    void clear(HashContainer dict) {
        long self = OBJECTS.write(dict);
        long entries = HashStorage.entries(self);
        long index = HashStorage.index(self);
        long bits = HashStorage.indexBits(self);
        long capacity = HashStorage.capacity(self);
        long used = HashStorage.used(self);
        HashStorage.detach(self);
        Throwable failure = null;
        for (long e = 0; e < used; e++) {
            if (!HashStorage.isDead(entries, capacity, stride, e)) {
                try {
                    release(entries + e * stride);
                } catch (RuntimeException | Error t) {
                    if (failure == null) {
                        failure = t;
                    } else {
                        failure.addSuppressed(t);
                    }
                }
            }
        }
        if (dict.isOpen()) {
            HashStorage.reattach(OBJECTS.write(dict), entries, index, bits, capacity, stride);
        } else if (entries != 0) {
            // A release destroyed the dict itself (it was reached through a borrowed reference
            // and held only by what it held): its destructor found no blocks, so free them here.
            Allocator.free(entries);
            Allocator.free(index);
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        } else if (failure instanceof Error error) {
            throw error;
        }
    }

    @Override
    public void forEachReference(long object, Slot slot) {
        long entries = HashStorage.entries(object);
        long used = HashStorage.used(object);
        long capacity = HashStorage.capacity(object);
        for (long e = 0; e < used; e++) {
            if (!HashStorage.isDead(entries, capacity, stride, e)) {
                if (keys) {
                    slot.visit(e * stride, HashStorage.load(entries + e * stride));
                }
                long target = values ? HashStorage.load(entries + e * stride + 8) : 0;
                if (target != 0) {
                    slot.visit(e * stride + 8, target);
                }
            }
        }
    }

    @Override
    public String slotName(long object, long offset) {
        long e = offset / stride;
        boolean value = offset % stride != 0;
        if (value && !keys) {
            return "values[" + HashStorage.load(HashStorage.entries(object) + e * stride) + "]";
        }
        long entries = HashStorage.entries(object);
        long capacity = HashStorage.capacity(object);
        long position = 0;
        for (long before = 0; before < e; before++) {
            if (!HashStorage.isDead(entries, capacity, stride, before)) {
                position++;
            }
        }
        return (value ? "values[" : set ? "elements[" : "keys[") + position + "]";
    }
}
