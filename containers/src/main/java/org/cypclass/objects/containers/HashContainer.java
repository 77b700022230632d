package org.cypclass.objects.containers;

import java.util.StringJoiner;
import java.util.function.LongFunction;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.generated.CyTypes;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.SharedSecrets;

/**
 * What every dict and set shares over the engine ({@link HashStorage}): size, capacity,
 * reservation, removal by key word and the recycling of cursors. Package-private: its public
 * methods are documented on the public classes that inherit them.
 *
 * <p>Thread-safety: as every cypclass instance, thread-local to its creating thread; a
 * reference object is not thread-safe.
 */
abstract class HashContainer extends CyObject {

    static final ObjectsAccess OBJECTS = SharedSecrets.objects();

    /**
     * Whether the key words are {@code CyStr} instances compared by content (the {@code Str*}
     * containers; see {@link HashStorage}): a final field rather than a virtual call, so the
     * engine's calls stay monomorphic.
     */
    final boolean content;

    /** An idle cursor to hand out again, so that loops allocate nothing. */
    private HashCursor spare;

    HashContainer() {
        this(false);
    }

    HashContainer(boolean content) {
        this.content = content;
    }

    /** {@return the allocator type of this class's blocks} */
    abstract int storage();

    /** {@return the bytes of an entry: {@link DictLayout#DICT_ENTRY} or {@link DictLayout#SET_ENTRY}} */
    abstract long stride();

    /**
     * {@return where an entry stores its key's hash, or 0 when the index hashes the key word
     * itself} Containers keyed by content store the hash their key's {@code @Hash} method gave
     * at insertion, so that a rebuild never runs user code.
     */
    long hashAt() {
        return 0;
    }

    /** {@return the hash the index keeps for the live entry at {@code at}} */
    final long entryHash(long at) {
        return HashStorage.entryHash(at, content, hashAt());
    }

    /** Reserves room after {@code create}, closing the new container if that fails. */
    static <C extends HashContainer> C reserve(C container, long capacity) {
        HashStorage.checkCapacity(container.getClass(), capacity);
        if (capacity > 0) {
            try {
                HashStorage.ensureCapacity(OBJECTS.write(container), capacity, container.stride(), container.storage(),
                    container.content, container.hashAt());
            } catch (RuntimeException | Error e) {
                container.close();
                throw e;
            }
        }
        return container;
    }

    /**
     * Returns the number of entries.
     *
     * @return the number of keys
     */
    public final long size() {
        return HashStorage.size(OBJECTS.read(this));
    }

    /**
     * Tells whether there is no entry.
     *
     * @return whether the size is 0
     */
    public final boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Returns how many entries fit before the next rebuild (removed entries keep their room
     * until then).
     *
     * @return the capacity of the entry block
     */
    public final long capacity() {
        return HashStorage.capacity(OBJECTS.read(this));
    }

    /**
     * Makes room for {@code capacity} entries, so that insertions up to that size do not grow.
     *
     * @param capacity the capacity wanted
     * @throws IllegalArgumentException if {@code capacity} is negative or above 2^30
     */
    public final void ensureCapacity(long capacity) {
        HashStorage.checkCapacity(getClass(), capacity);
        HashStorage.ensureCapacity(OBJECTS.write(this), capacity, stride(), storage(), content, hashAt());
    }

    /** Removes the entry of {@code key}, releasing what it counts; {@return whether there was one} */
    final boolean removeWord(long key) {
        long at = HashStorage.remove(OBJECTS.write(this), key, stride(), content);
        if (at == 0) {
            return false;
        }
        // After the removal: the container is consistent before a destructor run by the release.
        released(at);
        return true;
    }

    /**
     * Removes the entry of key word {@code key} indexed under hash {@code h} (what
     * {@link #entryHash} read: a walk's own entry), releasing what it counts; {@return whether
     * there was one}
     */
    final boolean removeWord(long key, long h) {
        long at = HashStorage.removeWord(OBJECTS.write(this), key, h, stride(), content);
        if (at == 0) {
            return false;
        }
        // After the removal: the container is consistent before a destructor run by the release.
        released(at);
        return true;
    }

    /** Removes the entry at the index slot a lookup by content found just before, as {@link #removeWord}. */
    final void removeSlot(long self, long slot) {
        released(HashStorage.removeSlot(self, slot, stride(), content));
    }

    /** Gives back the counts a removed entry held, read from its words: none in a primitive container. */
    void released(long entry) {
    }

    /**
     * Dumps {@code size} and the first eight live entries, each as {@code show} prints the
     * entry at its address, between {@code open} and {@code close}.
     */
    final void dumpEntries(StringBuilder out, String name, String open, String close, LongFunction<String> show) {
        long self = OBJECTS.read(this);
        long stride = stride();
        StringJoiner entries = new StringJoiner(", ", open, close);
        long shown = 0;
        for (long e = HashStorage.nextLive(self, -1, stride); e < HashStorage.used(self) && shown < 8;
                e = HashStorage.nextLive(self, e, stride), shown++) {
            entries.add(show.apply(HashStorage.entries(self) + e * stride));
        }
        if (HashStorage.size(self) > shown) {
            entries.add("...");
        }
        CyTypes.dumpField(out, "size", HashStorage.size(self));
        CyTypes.dumpField(out, name, entries);
    }

    /** {@return the recycled cursor, or null; the caller makes one if null} */
    final HashCursor takeSpare() {
        HashCursor cursor = spare;
        spare = null;
        return cursor;
    }

    /** Keeps a finished cursor for the next {@code cursor()}. */
    final void recycle(HashCursor cursor) {
        spare = cursor;
    }
}
