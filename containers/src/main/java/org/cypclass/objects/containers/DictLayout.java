package org.cypclass.objects.containers;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import org.cypclass.memory.CyObjectHeader;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The descriptor of a hash container instance (the dicts such as {@link LongLongDict} and the
 * sets {@link LongSet}, {@link IntSet}): C structs {@code org_cypclass_objects_containers_LongLongDict}
 * and its siblings in {@code cypclass/containers.h}. A compact dict, as CPython's since 3.6: the
 * entries sit in insertion order in one block, and a separate open-addressing index maps hashes
 * to entry numbers.
 *
 * <pre>
 *   0                   8                  16                  24                  32
 *   +-------------------+------------------+-------------------+-------------------+
 *   |                 CyObject ob_base (the header of every cypclass instance)      |
 *   +-------------------+------------------+-------------------+-------------------+
 *   | int64 size        | int64 used       | int64 capacity    | int64 mod_count   |  32..64
 *   +-------------------+------------------+-------------------+-------------------+
 *   | entry *entries    | uint64 *index    | int64 index_bits  | int64 value_type  |  64..96
 *   +-------------------+------------------+-------------------+-------------------+
 *
 *   entries ──► +--------+--------+-----+----------+------------------+----------------+
 *               | entry 0| entry 1| ... | used - 1 | (capacity-used)  | dead bits      |
 *               +--------+--------+-----+----------+------------------+----------------+
 *               entry (dict) = int64 key | int64 value  (16 bytes; a set: the key only)
 *               dead bits   = ceil(capacity / 64) words, bit e set: entry e was removed
 *
 *   index ──► 2^index_bits slots of 8 bytes:  0 = empty, else  hash_hi32 << 32 | (entry + 1)
 *             (CyStr keys: slots of 16 bytes, that word then the key's CyStr *)
 * </pre>
 *
 * <ul>
 *   <li>{@code size}: live entries; {@code used}: entries written since the last rebuild,
 *       live or removed ({@code size <= used <= capacity}); the next entry goes at
 *       {@code used}.</li>
 *   <li>{@code capacity}: entries the block holds, a power of two (or 0 while both pointers
 *       are null); the index has {@code 2 * capacity} slots, so it is at most half full and a
 *       miss ends within a few slots.</li>
 *   <li>{@code mod_count}: bumped by every change of size (and by a clear); cursors and
 *       iterators compare it to fail fast. Overwriting a value leaves it alone.</li>
 *   <li>Keys are 64-bit words ({@code int} keys sign-extended, a {@link RefLongDict}'s key
 *       its instance address: identity), hashed with the murmur3
 *       finalizer; a slot keeps the hash's high 32 bits, whose top {@code index_bits} bits are
 *       the home slot (linear probing), so a probe compares hashes without touching the
 *       entries, and a removal shifts the following slots back instead of leaving a
 *       tombstone in the index. Values are 64-bit words: {@code long}, {@code int}
 *       (sign-extended), {@code double} (its IEEE bits) or a counted reference (an instance
 *       address or 0). Why not Robin Hood hashing: at a load of at most one half, linear
 *       probing's clusters are short, and the backward shift already keeps lookups free of
 *       tombstones. Why 8-byte slots rather than CPython's 4-byte indices: with the hash in the
 *       slot, a miss passes occupied slots without loading an entry for each.</li>
 *   <li>A removed entry stays in place with its dead bit set, so insertion order survives;
 *       the rebuild that growth makes (doubling) or that a full block with at most half of it
 *       live makes (same capacity) copies the live entries down, in order.</li>
 *   <li>{@code value_type}: a reference-value dict's declared value cypclass
 *       ({@link LongRefDict}, {@link IntRefDict}), as its allocator type id (0: any cypclass,
 *       or a primitive dict or set). In {@link RefLongDict} and {@link KeyLongDict} the same
 *       word is {@code key_type}, its declared key cypclass, and in {@link RefSet} and
 *       {@link KeySet} it is {@code element_type}. {@link RefRefDict} and {@link KeyRefDict}
 *       have both: {@code value_type} at 88, then {@code key_type} at 96 (104 bytes).</li>
 *   <li>Keys by content ({@link KeyLongDict}, {@link KeyRefDict}, {@link KeySet}): an entry
 *       ends with one more word, the key's hash as the index uses it (the murmur3 finalizer of
 *       what the key's {@code @Hash} method returned when it was inserted): 24-byte dict
 *       entries {@code key | value | hash}, 16-byte set entries {@code key | hash}. A rebuild
 *       re-indexes from these words, so no user code runs inside the engine.</li>
 * </ul>
 */
final class DictLayout {

    static final long SIZE = 32;
    static final long USED = 40;
    static final long CAPACITY = 48;
    static final long MOD_COUNT = 56;
    static final long ENTRIES = 64;
    static final long INDEX = 72;
    static final long INDEX_BITS = 80;
    static final long VALUE_TYPE = 88;
    /** {@code value_type}'s word as {@link RefLongDict} uses it: {@code key_type}, its key cypclass. */
    static final long KEY_TYPE = VALUE_TYPE;

    /** Bytes of a dict entry: the key word, then the value word. */
    static final long DICT_ENTRY = 16;
    /** Bytes of a set entry: the key word. */
    static final long SET_ENTRY = 8;
    /** Bytes of a dict entry keyed by content: the key word, the value word, the key's hash. */
    static final long CONTENT_DICT_ENTRY = 24;
    /** Bytes of a set entry keyed by content: the key word, the key's hash. */
    static final long CONTENT_SET_ENTRY = 16;
    /** Where a dict entry keyed by content keeps its key's hash. */
    static final long CONTENT_DICT_HASH = 16;
    /** Where a set entry keyed by content keeps its key's hash. */
    static final long CONTENT_SET_HASH = 8;
    /** {@code key_type} of a dict with references on both sides, after {@code value_type}. */
    static final long SECOND_KEY_TYPE = 96;

    /** The first capacity a container grows to from nothing. */
    static final long FIRST_CAPACITY = 8;

    private DictLayout() {
    }

    /** The layout of a dict or set, named as the processor names a cypclass's struct. */
    static StructLayout of(Class<?> container) {
        return of(container, "value_type");
    }

    /**
     * The layout of a dict whose last word is named {@code typeWord}: {@code key_type} for
     * {@link RefLongDict}, whose counted references are its keys.
     */
    static StructLayout of(Class<?> container, String typeWord) {
        return of(container, typeWord, null);
    }

    /**
     * The layout of a dict with references on both sides ({@link RefRefDict},
     * {@link KeyRefDict}): {@code value_type}, then {@code key_type} at
     * {@link #SECOND_KEY_TYPE}; or, with {@code secondWord} null, {@link #of(Class, String)}'s.
     */
    static StructLayout of(Class<?> container, String typeWord, String secondWord) {
        MemoryLayout[] members = {
            CyObjectHeader.LAYOUT.withName("ob_base"),
            ValueLayout.JAVA_LONG.withName("size"),
            ValueLayout.JAVA_LONG.withName("used"),
            ValueLayout.JAVA_LONG.withName("capacity"),
            ValueLayout.JAVA_LONG.withName("mod_count"),
            ValueLayout.ADDRESS.withName("entries"),
            ValueLayout.ADDRESS.withName("index"),
            ValueLayout.JAVA_LONG.withName("index_bits"),
            ValueLayout.JAVA_LONG.withName(typeWord)};
        if (secondWord != null) {
            members = Arrays.copyOf(members, members.length + 1);
            members[members.length - 1] = ValueLayout.JAVA_LONG.withName(secondWord);
        }
        StructLayout layout = MemoryLayout.structLayout(members).withName(ListLayout.cName(container));
        if (secondWord != null && layout.byteOffset(groupElement(secondWord)) != SECOND_KEY_TYPE) {
            throw new ExceptionInInitializerError("DictLayout's offset of " + secondWord + " disagrees with " + layout);
        }
        return check(layout, typeWord);
    }

    private static StructLayout check(StructLayout layout, String typeWord) {
        long[] expected = {SIZE, USED, CAPACITY, MOD_COUNT, ENTRIES, INDEX, INDEX_BITS, VALUE_TYPE};
        String[] names = {"size", "used", "capacity", "mod_count", "entries", "index", "index_bits", typeWord};
        for (int i = 0; i < names.length; i++) {
            if (layout.byteOffset(groupElement(names[i])) != expected[i]) {
                throw new ExceptionInInitializerError("DictLayout's offset of " + names[i] + " disagrees with " + layout);
            }
        }
        return layout;
    }
}
