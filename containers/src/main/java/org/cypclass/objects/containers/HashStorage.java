package org.cypclass.objects.containers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.objects.internal.StrLayout;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The engine of every dict and set ({@link DictLayout}): one implementation over 64-bit key
 * words and entries of {@code stride} bytes (16 for a dict, 8 for a set), which the typed
 * classes wrap. Lookup, insertion (appending an entry, growing or compacting when the block
 * is full), removal (dead bit, backward shift in the index), clearing and walking. Works on raw
 * instance addresses the caller has just obtained through the capability check, so it is
 * package-private and never sees a reference; it knows nothing of counted keys and values,
 * which the reference dicts retain and release themselves ({@link EntryReferences}).
 *
 * <p><b>Content keys.</b> The string-keyed containers ({@link StrLongDict}, {@link StrRefDict},
 * {@link StrSet}) pass {@code content = true}: a key word is then the address of a
 * {@code CyStr} instance, whose hash is the one computed at its creation (read from the
 * instance, {@link StrLayout#HASH}, never recomputed: a rebuild loads one word per key), and two
 * key words are the same key when their bytes are equal: the slot's 32-bit tag first (no entry
 * load), then the address, then the full hash, the length and the bytes. Their index slots are
 * 16 bytes wide ({@link #slotBytes}): the key's address sits beside the entry number, so a probe
 * loads the stored string and the entry together instead of one after the other (a lookup of a
 * string not in cache is two dependent misses, slot then string and entry, not three). Lookups
 * by bytes that are not in a {@code CyStr} ({@link #findBytes}) hash them with the same function
 * and compare the same way, so that a lookup by a line's bytes makes no instance and no Java
 * object.
 */
final class HashStorage {

    static final VarHandle WORD = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    /** The most entries a container holds: entry numbers + 1 must fit the 32 low bits of a slot. */
    static final long MAX_ENTRIES = 1L << 30;

    /** Bytes of an index slot: the hash bits and the entry number. */
    private static final long SLOT = 8;
    /**
     * Bytes of an index slot of a container of {@code CyStr} keys: the word of {@link #SLOT},
     * then the key's instance address, so that a probe loads the stored string and the entry
     * side by side rather than one after the other.
     */
    private static final long WIDE_SLOT = 16;
    private static final long LOW32 = 0xFFFF_FFFFL;

    private HashStorage() {
    }

    /** {@return the bytes of an index slot: {@link #WIDE_SLOT} for {@code CyStr} keys ({@code content}), else {@link #SLOT}} */
    static long slotBytes(boolean content) {
        return content ? WIDE_SLOT : SLOT;
    }

    static long size(long self) {
        return (long) WORD.get(ALL, self + DictLayout.SIZE);
    }

    static long used(long self) {
        return (long) WORD.get(ALL, self + DictLayout.USED);
    }

    static long capacity(long self) {
        return (long) WORD.get(ALL, self + DictLayout.CAPACITY);
    }

    static long modCount(long self) {
        return (long) WORD.get(ALL, self + DictLayout.MOD_COUNT);
    }

    static long entries(long self) {
        return (long) WORD.get(ALL, self + DictLayout.ENTRIES);
    }

    static long load(long address) {
        return (long) WORD.get(ALL, address);
    }

    static void store(long address, long value) {
        WORD.set(ALL, address, value);
    }

    /**
     * The murmur3 64-bit finalizer: every key bit affects every hash bit, so the top bits that
     * pick the home slot are good for sequential keys too.
     */
    static long hash(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51_afd7_ed55_8ccdL;
        h ^= h >>> 33;
        h *= 0xc4ce_b9fe_1a85_ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Checks a capacity given by a user before anything is allocated. */
    static void checkCapacity(Class<?> container, long capacity) {
        if (capacity < 0 || capacity > MAX_ENTRIES) {
            throw new IllegalArgumentException("cannot make a " + container.getSimpleName() + " with capacity " + capacity
                + ": the capacity must be from 0 to " + MAX_ENTRIES);
        }
    }

    /** {@return the address of the entry of {@code key}, or 0} */
    static long find(long self, long key, long stride) {
        return find(self, key, stride, false);
    }

    /** {@return the address of the entry of {@code key} (a content key if {@code content}), or 0} */
    static long find(long self, long key, long stride, boolean content) {
        long slot = slotOf(self, key, hashOf(key, content), stride, content);
        return slot < 0 ? 0 : entryAt(self, slot, stride, content);
    }

    /**
     * {@return the address of the entry whose key word is {@code key}, indexed under the hash
     * {@code h}, or 0} A walk removes or re-finds the entry it walked to this way (the same key
     * word, and the hash the index keeps for it: {@link HashContainer#entryHash}).
     */
    static long findWord(long self, long key, long h, long stride, boolean content) {
        long slot = slotOf(self, key, h, stride, content);
        return slot < 0 ? 0 : entryAt(self, slot, stride, content);
    }

    /** {@return the address of the entry that index slot {@code slot} (occupied) points to} */
    static long entryAt(long self, long slot, long stride) {
        return entryAt(self, slot, stride, false);
    }

    /** {@link #entryAt(long, long, long)} in a container of {@code CyStr} keys if {@code content}. */
    static long entryAt(long self, long slot, long stride, boolean content) {
        long word = (long) WORD.get(ALL, (long) WORD.get(ALL, self + DictLayout.INDEX) + slot * slotBytes(content));
        return entries(self) + ((word & LOW32) - 1) * stride;
    }

    /**
     * {@return the index slot that holds {@code key}'s entry under hash {@code h}, or -1}: the
     * same key word, or with {@code content} a {@code CyStr} of the same bytes
     */
    private static long slotOf(long self, long key, long h, long stride, boolean content) {
        long index = (long) WORD.get(ALL, self + DictLayout.INDEX);
        if (index == 0) {
            return -1;
        }
        long bits = (long) WORD.get(ALL, self + DictLayout.INDEX_BITS);
        long mask = (1L << bits) - 1;
        long tag = h >>> 32;
        long entries = entries(self);
        long width = slotBytes(content);
        for (long slot = h >>> -bits; ; slot = (slot + 1) & mask) {
            long at = index + slot * width;
            long word = (long) WORD.get(ALL, at);
            if (word == 0) {
                return -1;
            }
            if (word >>> 32 == tag && sameKey(storedKey(at, word, entries, stride, content), key, content)) {
                return slot;
            }
        }
    }

    /**
     * {@return the key word of the entry that the occupied index slot at {@code at}, holding
     * {@code word}, points to} A wide slot ({@code content}) holds it beside the entry number, so
     * the entry is not loaded for it.
     */
    private static long storedKey(long at, long word, long entries, long stride, boolean content) {
        return content ? (long) WORD.get(ALL, at + 8) : (long) WORD.get(ALL, entries + ((word & LOW32) - 1) * stride);
    }

    /** {@return the hash of a key word: its own (content keys), or the murmur3 finalizer of the word} */
    static long hashOf(long key, boolean content) {
        return content ? (long) WORD.get(ALL, key + StrLayout.HASH) : hash(key);
    }

    /** {@return whether the stored key word and {@code key} are the same key} */
    private static boolean sameKey(long stored, long key, boolean content) {
        if (stored == key) {
            return true;
        }
        if (!content || (long) WORD.get(ALL, stored + StrLayout.HASH) != (long) WORD.get(ALL, key + StrLayout.HASH)) {
            return false;
        }
        long length = (long) WORD.get(ALL, key + StrLayout.LENGTH);
        return (long) WORD.get(ALL, stored + StrLayout.LENGTH) == length && StrLayout.sameData(stored, key, length);
    }

    /** {@return whether the {@code CyStr} at {@code stored} holds the {@code length} bytes at {@code offset} of {@code bytes}} */
    private static boolean sameBytes(long stored, MemorySegment bytes, long offset, long length) {
        return (long) WORD.get(ALL, stored + StrLayout.LENGTH) == length && StrLayout.sameData(stored, bytes, offset, length);
    }

    /**
     * Finds the entry whose {@code CyStr} key holds the {@code length} bytes at {@code offset}
     * of {@code bytes}, whose hash ({@link StrLayout#hash}) is {@code h}; the range is the
     * caller's to check.
     *
     * @return the address of the entry, or 0
     */
    static long findBytes(long self, long h, MemorySegment bytes, long offset, long length, long stride) {
        long index = (long) WORD.get(ALL, self + DictLayout.INDEX);
        if (index == 0) {
            return 0;
        }
        long bits = (long) WORD.get(ALL, self + DictLayout.INDEX_BITS);
        long mask = (1L << bits) - 1;
        long tag = h >>> 32;
        long entries = entries(self);
        for (long slot = h >>> -bits; ; slot = (slot + 1) & mask) {
            long word = (long) WORD.get(ALL, index + slot * WIDE_SLOT);
            if (word == 0) {
                return 0;
            }
            if (word >>> 32 == tag) {
                long stored = (long) WORD.get(ALL, index + slot * WIDE_SLOT + 8);
                if ((long) WORD.get(ALL, stored + StrLayout.HASH) == h && sameBytes(stored, bytes, offset, length)) {
                    return entries + ((word & LOW32) - 1) * stride;
                }
            }
        }
    }

    /**
     * One step of a lookup by content ({@link ContentKeys}): from index slot {@code slot} (-1:
     * from the home slot of {@code h}) along {@code h}'s probe path, the first slot whose entry
     * stores the hash {@code h} at {@code hashAt}, for the caller's equality test; or -1 at the
     * first empty slot (no entry is equal). Reads only words: no user code runs in the engine.
     */
    static long nextWithHash(long self, long h, long slot, long stride, long hashAt) {
        long index = (long) WORD.get(ALL, self + DictLayout.INDEX);
        if (index == 0) {
            return -1;
        }
        long bits = (long) WORD.get(ALL, self + DictLayout.INDEX_BITS);
        long mask = (1L << bits) - 1;
        long tag = h >>> 32;
        long entries = entries(self);
        for (long s = slot < 0 ? h >>> -bits : (slot + 1) & mask; ; s = (s + 1) & mask) {
            long word = (long) WORD.get(ALL, index + s * SLOT);
            if (word == 0) {
                return -1;
            }
            if (word >>> 32 == tag && (long) WORD.get(ALL, entries + ((word & LOW32) - 1) * stride + hashAt) == h) {
                return s;
            }
        }
    }

    /**
     * Appends an entry for a key known to be absent (a container keyed by content has just
     * looked it up): {@code key} written, value word 0 in a dict, {@code h} stored at
     * {@code hashAt} (which is not 0), after growing or compacting if the block is full; a
     * change of size. A rebuild re-indexes entries by their stored hashes, so no user code runs.
     *
     * @return the address of the entry
     */
    static long append(long self, long key, long h, long stride, long hashAt, int storageType) {
        long used = used(self);
        if (used == capacity(self)) {
            makeRoom(self, stride, storageType, false, hashAt);
            used = used(self);
        }
        long index = (long) WORD.get(ALL, self + DictLayout.INDEX);
        long slot = emptySlot(index, (long) WORD.get(ALL, self + DictLayout.INDEX_BITS), h, SLOT);
        long at = entries(self) + used * stride;
        WORD.set(ALL, at, key);
        for (long w = 8; w < stride; w += 8) {
            WORD.set(ALL, at + w, 0L);
        }
        WORD.set(ALL, at + hashAt, h);
        WORD.set(ALL, index + slot * SLOT, (h >>> 32) << 32 | (used + 1));
        WORD.set(ALL, self + DictLayout.USED, used + 1);
        changed(self, size(self) + 1);
        return at;
    }

    /**
     * Finds the entry of {@code key}, or appends one (key written, value word 0 in a dict)
     * after growing or compacting if the block is full; an append counts as a change of size.
     *
     * @return the address of the entry
     */
    static long insert(long self, long key, long stride, int storageType) {
        return insert(self, key, stride, storageType, false);
    }

    /** {@link #insert(long, long, long, int)} of a content key if {@code content}. */
    static long insert(long self, long key, long stride, int storageType, boolean content) {
        long h = hashOf(key, content);
        long tag = h >>> 32;
        long width = slotBytes(content);
        long index = (long) WORD.get(ALL, self + DictLayout.INDEX);
        long slot = 0;
        if (index != 0) {
            long bits = (long) WORD.get(ALL, self + DictLayout.INDEX_BITS);
            long mask = (1L << bits) - 1;
            long entries = entries(self);
            for (slot = h >>> -bits; ; slot = (slot + 1) & mask) {
                long word = (long) WORD.get(ALL, index + slot * width);
                if (word == 0) {
                    break;
                }
                if (word >>> 32 == tag && sameKey(storedKey(index + slot * width, word, entries, stride, content), key,
                        content)) {
                    return entries + ((word & LOW32) - 1) * stride;
                }
            }
        }
        long used = used(self);
        if (used == capacity(self)) {
            makeRoom(self, stride, storageType, content, 0);
            index = (long) WORD.get(ALL, self + DictLayout.INDEX);
            used = used(self);
            slot = emptySlot(index, (long) WORD.get(ALL, self + DictLayout.INDEX_BITS), h, width);
        }
        long at = entries(self) + used * stride;
        WORD.set(ALL, at, key);
        if (stride == DictLayout.DICT_ENTRY) {
            WORD.set(ALL, at + 8, 0L);
        }
        setSlot(index + slot * width, tag << 32 | (used + 1), key, content);
        WORD.set(ALL, self + DictLayout.USED, used + 1);
        changed(self, size(self) + 1);
        return at;
    }

    /** Records a change of size. */
    private static void changed(long self, long size) {
        WORD.set(ALL, self + DictLayout.SIZE, size);
        WORD.set(ALL, self + DictLayout.MOD_COUNT, modCount(self) + 1);
    }

    /** The first empty slot on {@code h}'s probe sequence, in an index of slots of {@code width} bytes. */
    private static long emptySlot(long index, long bits, long h, long width) {
        long mask = (1L << bits) - 1;
        long slot = h >>> -bits;
        while ((long) WORD.get(ALL, index + slot * width) != 0) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Fills the index slot at {@code at}: its word, and in a wide slot ({@code content}) the key word after it. */
    private static void setSlot(long at, long word, long key, boolean content) {
        WORD.set(ALL, at, word);
        if (content) {
            WORD.set(ALL, at + 8, key);
        }
    }

    /**
     * Out of line, once per doubling: a full block grows to twice its capacity, unless at most
     * half of it is live, when it is rebuilt at the same capacity (the removed entries give
     * their room back). Either way at least {@code capacity / 2} appends follow before the next
     * rebuild, so appends stay amortised O(1) under any mix of removals.
     */
    private static void makeRoom(long self, long stride, int storageType, boolean content, long hashAt) {
        long capacity = capacity(self);
        if (capacity == 0) {
            rebuild(self, DictLayout.FIRST_CAPACITY, stride, storageType, content, hashAt);
        } else if (size(self) <= capacity / 2) {
            rebuild(self, capacity, stride, storageType, content, hashAt);
        } else if (capacity >= MAX_ENTRIES) {
            throw new IllegalStateException("a dict or set cannot hold more than " + MAX_ENTRIES + " entries");
        } else {
            rebuild(self, capacity * 2, stride, storageType, content, hashAt);
        }
    }

    /** Grows so that {@code entries} entries fit without a rebuild. */
    static void ensureCapacity(long self, long entries, long stride, int storageType) {
        ensureCapacity(self, entries, stride, storageType, false, 0);
    }

    /**
     * {@link #ensureCapacity(long, long, long, int)} of a container of {@code CyStr} keys if
     * {@code content}, or whose entries store their key's hash at {@code hashAt} (not 0).
     */
    static void ensureCapacity(long self, long entries, long stride, int storageType, boolean content, long hashAt) {
        if (entries > capacity(self)) {
            rebuild(self, Math.max(DictLayout.FIRST_CAPACITY, Long.highestOneBit(entries - 1) << 1), stride, storageType,
                content, hashAt);
        }
    }

    /**
     * {@return the hash the index keeps for the entry at {@code at}: stored at {@code hashAt}
     * (keys by their {@code @Hash}), else its key word's ({@link #hashOf})}
     */
    static long entryHash(long at, boolean content, long hashAt) {
        return hashAt != 0 ? (long) WORD.get(ALL, at + hashAt) : hashOf((long) WORD.get(ALL, at), content);
    }

    private static long deadWords(long capacity) {
        return (capacity + 63) >>> 6;
    }

    /** {@return whether entry {@code e} of the block was removed} */
    static boolean isDead(long entries, long capacity, long stride, long e) {
        long word = (long) WORD.get(ALL, entries + capacity * stride + (e >>> 6) * 8);
        return (word & (1L << e)) != 0;
    }

    /**
     * Moves the live entries, in order, to new blocks of {@code capacity} entries and rebuilds
     * the index. Both blocks are allocated before anything changes, so a failed allocation
     * leaves the container as it was.
     */
    private static void rebuild(long self, long capacity, long stride, int storageType, boolean content, long hashAt) {
        long bits = Long.numberOfTrailingZeros(capacity) + 1;
        long entries = Allocator.allocate(storageType, capacity * stride + deadWords(capacity) * 8);
        long index;
        try {
            index = Allocator.allocateZeroed(storageType, (1L << bits) * slotBytes(content));
        } catch (RuntimeException | Error e) {
            Allocator.free(entries);
            throw e;
        }
        for (long w = 0; w < deadWords(capacity); w++) {
            WORD.set(ALL, entries + capacity * stride + w * 8, 0L);
        }
        long oldEntries = entries(self);
        long oldIndex = (long) WORD.get(ALL, self + DictLayout.INDEX);
        long oldCapacity = capacity(self);
        long used = used(self);
        long live = size(self);
        if (live == used) {
            MemorySegment.copy(ALL, oldEntries, ALL, entries, used * stride);
        } else {
            long to = entries;
            for (long e = 0; e < used; e++) {
                if (!isDead(oldEntries, oldCapacity, stride, e)) {
                    MemorySegment.copy(ALL, oldEntries + e * stride, ALL, to, stride);
                    to += stride;
                }
            }
        }
        long width = slotBytes(content);
        for (long e = 0; e < live; e++) {
            long h = entryHash(entries + e * stride, content, hashAt);
            setSlot(index + emptySlot(index, bits, h, width) * width, (h >>> 32) << 32 | (e + 1),
                (long) WORD.get(ALL, entries + e * stride), content);
        }
        if (oldEntries != 0) {
            Allocator.free(oldEntries);
            Allocator.free(oldIndex);
        }
        WORD.set(ALL, self + DictLayout.ENTRIES, entries);
        WORD.set(ALL, self + DictLayout.INDEX, index);
        WORD.set(ALL, self + DictLayout.INDEX_BITS, bits);
        WORD.set(ALL, self + DictLayout.CAPACITY, capacity);
        WORD.set(ALL, self + DictLayout.USED, live);
    }

    /**
     * Removes the entry of {@code key}: its dead bit set, its slot emptied and the slots after
     * it shifted back (so the index never holds tombstones), a change of size recorded. The
     * entry's words stay readable until the next insertion, so that the caller can read (and
     * release) the value.
     *
     * @return the address of the removed entry, or 0 if there was none
     */
    static long remove(long self, long key, long stride) {
        return remove(self, key, stride, false);
    }

    /** {@link #remove(long, long, long)} of a content key if {@code content}. */
    static long remove(long self, long key, long stride, boolean content) {
        long slot = slotOf(self, key, hashOf(key, content), stride, content);
        return slot < 0 ? 0 : removeSlot(self, slot, stride, content);
    }

    /**
     * {@link #remove(long, long, long)} of the entry of key word {@code key} indexed under hash
     * {@code h}, in a container of {@code CyStr} keys if {@code content}.
     */
    static long removeWord(long self, long key, long h, long stride, boolean content) {
        long slot = slotOf(self, key, h, stride, content);
        return slot < 0 ? 0 : removeSlot(self, slot, stride, content);
    }

    /**
     * Removes the entry index slot {@code slot} points to, as {@link #remove(long, long, long)},
     * in a container of {@code CyStr} keys if {@code content}; {@return its address}
     */
    static long removeSlot(long self, long slot, long stride, boolean content) {
        long index = (long) WORD.get(ALL, self + DictLayout.INDEX);
        long bits = (long) WORD.get(ALL, self + DictLayout.INDEX_BITS);
        long mask = (1L << bits) - 1;
        long width = slotBytes(content);
        long entries = entries(self);
        long e = ((long) WORD.get(ALL, index + slot * width) & LOW32) - 1;
        long hole = slot;
        for (long next = (slot + 1) & mask; ; next = (next + 1) & mask) {
            long word = (long) WORD.get(ALL, index + next * width);
            if (word == 0) {
                break;
            }
            long home = (word >>> 32) >>> (32 - bits);
            // The slot may fill the hole if the hole lies on its probe path, from home to next.
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                setSlot(index + hole * width, word, content ? (long) WORD.get(ALL, index + next * width + 8) : 0, content);
                hole = next;
            }
        }
        setSlot(index + hole * width, 0L, 0L, content);
        long deadWord = entries + capacity(self) * stride + (e >>> 6) * 8;
        WORD.set(ALL, deadWord, (long) WORD.get(ALL, deadWord) | 1L << e);
        changed(self, size(self) - 1);
        return entries + e * stride;
    }

    /** Empties the container, keeping its blocks (the index and the dead bits are zeroed). */
    static void clear(long self, long stride, boolean content) {
        long index = (long) WORD.get(ALL, self + DictLayout.INDEX);
        if (index != 0) {
            zeroIndex(index, (long) WORD.get(ALL, self + DictLayout.INDEX_BITS), slotBytes(content));
            long capacity = capacity(self);
            long entries = entries(self);
            for (long w = 0; w < deadWords(capacity); w++) {
                WORD.set(ALL, entries + capacity * stride + w * 8, 0L);
            }
        }
        WORD.set(ALL, self + DictLayout.USED, 0L);
        changed(self, 0);
    }

    /**
     * Takes the blocks away from the container, leaving it empty with no storage (a change of
     * size), without freeing them: a reference dict's {@code clear} reads the entries,
     * {@code index}, {@code index_bits}, {@code capacity} and {@code used} words first, releases
     * what the old entries count (destructors that run meanwhile may use the dict, which is
     * consistent and empty), then gives the blocks back with {@link #reattach} or frees them.
     */
    static void detach(long self) {
        WORD.set(ALL, self + DictLayout.ENTRIES, 0L);
        WORD.set(ALL, self + DictLayout.INDEX, 0L);
        WORD.set(ALL, self + DictLayout.INDEX_BITS, 0L);
        WORD.set(ALL, self + DictLayout.CAPACITY, 0L);
        WORD.set(ALL, self + DictLayout.USED, 0L);
        changed(self, 0);
    }

    /**
     * Gives blocks taken by {@link #detach} back to the container if it still has none (it is
     * then empty: nothing was inserted meanwhile), zeroing the index and the dead bits; else
     * frees them.
     */
    static void reattach(long self, long entries, long index, long bits, long capacity, long stride, boolean content) {
        if (entries == 0) {
            return;
        }
        if (capacity(self) != 0) {
            Allocator.free(entries);
            Allocator.free(index);
            return;
        }
        zeroIndex(index, bits, slotBytes(content));
        for (long w = 0; w < deadWords(capacity); w++) {
            WORD.set(ALL, entries + capacity * stride + w * 8, 0L);
        }
        WORD.set(ALL, self + DictLayout.ENTRIES, entries);
        WORD.set(ALL, self + DictLayout.INDEX, index);
        WORD.set(ALL, self + DictLayout.INDEX_BITS, bits);
        WORD.set(ALL, self + DictLayout.CAPACITY, capacity);
    }

    /** Zeroes the {@code 2^bits} slots of {@code width} bytes of an index. */
    private static void zeroIndex(long index, long bits, long width) {
        long words = (1L << bits) * (width / 8);
        for (long w = 0; w < words; w++) {
            WORD.set(ALL, index + w * 8, 0L);
        }
    }

    static long index(long self) {
        return (long) WORD.get(ALL, self + DictLayout.INDEX);
    }

    static long indexBits(long self) {
        return (long) WORD.get(ALL, self + DictLayout.INDEX_BITS);
    }

    /** Frees the blocks of a dying container. */
    static void free(long self) {
        long entries = entries(self);
        if (entries != 0) {
            Allocator.free(entries);
            Allocator.free((long) WORD.get(ALL, self + DictLayout.INDEX));
            WORD.set(ALL, self + DictLayout.ENTRIES, 0L);
            WORD.set(ALL, self + DictLayout.INDEX, 0L);
        }
    }

    /** {@return the first live entry number after {@code e} (-1 to start), or {@code used} at the end} */
    static long nextLive(long self, long e, long stride) {
        long used = used(self);
        long next = e + 1;
        if (size(self) == used) {
            return Math.min(next, used);
        }
        long entries = entries(self);
        long capacity = capacity(self);
        while (next < used && isDead(entries, capacity, stride, next)) {
            next++;
        }
        return next;
    }
}
