package org.cypclass.objects.containers;

import java.util.Map;
import java.util.NoSuchElementException;

import static org.cypclass.objects.containers.DictLayout.DICT_ENTRY;

/**
 * The common type of the dicts, such as {@link LongLongDict}: what every dict shares over its
 * 64-bit words ({@link HashStorage}, {@link DictLayout}), namely clearing, the {@link Map} view
 * and the dump. The typed classes add the typed signatures, each a capability check and a call
 * into the engine.
 *
 * <p>Thread-safety: as every cypclass instance, thread-local to its creating thread; a
 * reference object is not thread-safe.
 *
 * @param <K> the boxed key type of the view
 * @param <V> the boxed value type of the view (the value cypclass for a reference dict)
 */
public abstract sealed class HashDict<K, V> extends HashContainer
        permits LongLongDict, LongIntDict, LongDoubleDict, IntLongDict, IntIntDict, IntDoubleDict {

    HashDict() {
    }

    @Override
    final long stride() {
        return DICT_ENTRY;
    }

    /** {@return how the keys sit in their words} */
    abstract Word<K> keyWord();

    /** {@return how the values sit in their words, null for counted references} */
    abstract Word<V> valueWord();

    /** Removes every entry; the blocks are kept for the next insertions. */
    public void clear() {
        HashStorage.clear(OBJECTS.write(this), DICT_ENTRY);
    }

    /**
     * Returns a boxed {@link Map} view: reads and writes go to this dict, through this
     * reference (so it must stay open). It supports every optional operation but {@code null}
     * keys (and {@code null} values in a primitive dict), iterates in insertion order, and its
     * iterators fail fast on any change of size made while they are in use, through the view
     * or not.
     *
     * @return a view of this dict
     */
    public final Map<K, V> asMap() {
        return new DictView<>(this);
    }

    /** {@return the address of the entry of {@code key} for reading, or 0} */
    final long find(long key) {
        return HashStorage.find(OBJECTS.read(this), key, DICT_ENTRY);
    }

    /** {@return the address of the entry of {@code key} for reading} */
    final long entryOf(long key) {
        long at = find(key);
        if (at == 0) {
            throw missingKey(key);
        }
        return at;
    }

    private NoSuchElementException missingKey(long key) {
        return new NoSuchElementException(this + " has no key " + keyWord().box(key)
            + "; use getOrDefault or containsKey for a key that may be missing");
    }

    /** Stores a primitive value word under {@code key}. */
    final void putWord(long key, long value) {
        long at = HashStorage.insert(OBJECTS.write(this), key, DICT_ENTRY, storage());
        HashStorage.store(at + 8, value);
    }

    /** {@return the boxed value of a value word} */
    V boxValue(long word) {
        return valueWord().box(word);
    }

    /** Stores a boxed value, for the view. */
    void putBoxed(long key, Object value) {
        putWord(key, valueWord().unboxChecked(value));
    }

    @Override
    protected void dumpFields(StringBuilder out) {
        dumpEntries(out, "entries", "{", "}",
            at -> keyWord().box(HashStorage.load(at)) + "=" + boxValue(HashStorage.load(at + 8)));
    }
}
