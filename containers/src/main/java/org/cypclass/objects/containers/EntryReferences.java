package org.cypclass.objects.containers;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.ReferenceVisitor;

import static org.cypclass.memory.internal.NativeAccess.ALL;
import static org.cypclass.objects.containers.DictLayout.DICT_ENTRY;
import static org.cypclass.objects.containers.DictLayout.SET_ENTRY;
import static org.cypclass.objects.containers.HashContainer.OBJECTS;

/**
 * The counted words of a reference container's entries: the value word of {@link LongRefDict}
 * and {@link IntRefDict} (an instance address or 0), the key word of {@link RefLongDict},
 * {@link StrLongDict} and {@link KeyLongDict} (an instance address), both words of
 * {@link StrRefDict}, {@link RefRefDict} and {@link KeyRefDict}, the element word of
 * {@link StrSet}, {@link RefSet} (8-byte entries) and {@link KeySet}. Entries keyed by their
 * {@code @Hash} ({@code Key*}) carry the key's hash as a last, uncounted word. Each counted word holds one count of its instance; this class gives them
 * back (removal, clear, destruction) and reports them to the memory layer as the dict's
 * references ({@link ReferenceVisitor}: cycle reports, {@code Isolated.consume}, the switch of a
 * graph to another capability, the adoption of orphans).
 *
 * <p>Slots are reported by their byte offset in the entry block, so that a report can name
 * them from the offset alone: {@code values[42]} (the value of key 42) or {@code keys[3]} (the
 * fourth key in iteration order; a value of a dict with counted keys is {@code values[3]}
 * likewise).
 *
 * <p>Thread-safety: immutable; works on the dict passed in, on its owner's thread, or while
 * nothing changes it for the visitor (see {@link ReferenceVisitor}).
 */
final class EntryReferences implements ReferenceVisitor {

    /** The values count (a dict from primitive keys to references). */
    static final EntryReferences VALUES = new EntryReferences(false, true, DICT_ENTRY);
    /** The keys count (a dict from references to primitive values). */
    static final EntryReferences KEYS = new EntryReferences(true, false, DICT_ENTRY);
    /** Keys and values count (a dict from strings to references). */
    static final EntryReferences KEYS_AND_VALUES = new EntryReferences(true, true, DICT_ENTRY);
    /** The elements of a set count. */
    static final EntryReferences ELEMENTS = new EntryReferences(true, false, SET_ENTRY);
    /** The keys of {@link KeyLongDict}: key, value, hash. */
    static final EntryReferences CONTENT_KEYS = new EntryReferences(true, false, DictLayout.CONTENT_DICT_ENTRY);
    /** Keys and values of {@link KeyRefDict}: key, value, hash. */
    static final EntryReferences CONTENT_KEYS_AND_VALUES = new EntryReferences(true, true, DictLayout.CONTENT_DICT_ENTRY);
    /** The elements of {@link KeySet}: key, hash (16-byte entries, named as a set's). */
    static final EntryReferences CONTENT_ELEMENTS = new EntryReferences(true, false, DictLayout.CONTENT_SET_ENTRY, true);

    /** Whether the key word (offset 0) counts. */
    private final boolean keys;
    /** Whether the value word (offset 8) counts. */
    private final boolean values;
    /** The bytes of an entry. */
    private final long stride;

    /** Whether the entries are a set's elements (for the names of slots). */
    private final boolean set;

    private EntryReferences(boolean keys, boolean values, long stride) {
        this(keys, values, stride, stride == SET_ENTRY);
    }

    private EntryReferences(boolean keys, boolean values, long stride, boolean set) {
        this.keys = keys;
        this.values = values;
        this.stride = stride;
        this.set = set;
    }

    /**
     * Releases what a removed entry counted (its words stay readable until the next
     * insertion): the key, then the value; the value even if the key's release threw.
     */
    void release(long entry) {
        try {
            if (keys) {
                releaseWord(entry);
            }
        } finally {
            if (values) {
                releaseWord(entry + 8);
            }
        }
    }

    private static void releaseWord(long at) {
        long target = HashStorage.load(at);
        if (target != 0) {
            OBJECTS.release(target);
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
            HashStorage.reattach(OBJECTS.write(dict), entries, index, bits, capacity, stride, dict.content);
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
                    visit(slot, e * stride, HashStorage.load(entries + e * stride));
                }
                if (values) {
                    visit(slot, e * stride + 8, HashStorage.load(entries + e * stride + 8));
                }
            }
        }
    }

    private static void visit(Slot slot, long offset, long target) {
        if (target != 0) {
            slot.visit(offset, target);
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
