package org.cypclass.objects.containers;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import org.checkerframework.checker.mustcall.qual.MustCall;

import static org.cypclass.objects.containers.DictLayout.DICT_ENTRY;

/**
 * The common type of the dicts, such as {@link LongLongDict} or {@link LongRefDict}: what every
 * dict shares over its 64-bit words ({@link HashStorage}, {@link DictLayout}), namely clearing,
 * the {@link Map} view and the dump. The typed classes add the typed signatures, each a
 * capability check and a call into the engine; the dicts whose keys or values are counted
 * references override the hooks below that box, store and release them.
 *
 * <p>Thread-safety: as every cypclass instance, thread-local to its creating thread; a
 * reference object is not thread-safe.
 *
 * @param <K> the boxed key type of the view (the key cypclass for reference keys)
 * @param <V> the boxed value type of the view (the value cypclass for a reference dict)
 */
public abstract sealed class HashDict<K, V> extends HashContainer implements Iterable<@MustCall({}) K>
        permits LongLongDict, LongIntDict, LongDoubleDict, IntLongDict, IntIntDict, IntDoubleDict,
                LongRefDict, IntRefDict, RefLongDict, StrLongDict, StrRefDict, RefRefDict, KeyLongDict, KeyRefDict {

    HashDict() {
    }

    HashDict(boolean content) {
        super(content);
    }

    @Override
    long stride() {
        return DICT_ENTRY;
    }

    /** {@return how the keys sit in their words, null for counted references} */
    abstract Word<K> keyWord();

    /** {@return how the values sit in their words, null for counted references} */
    abstract Word<V> valueWord();

    /** Removes every entry; the blocks are kept for the next insertions. */
    public void clear() {
        HashStorage.clear(OBJECTS.write(this), DICT_ENTRY, content);
    }

    /**
     * Returns a boxed {@link Map} view: reads and writes go to this dict, through this
     * reference (so it must stay open). It supports every optional operation but {@code null}
     * keys (and {@code null} values where the values are primitive), iterates in insertion
     * order, and its
     * iterators fail fast on any change of size made while they are in use, through the view
     * or not.
     *
     * @return a view of this dict
     */
    public final Map<K, V> asMap() {
        return new DictView<>(this);
    }

    /**
     * Returns an iterator over the keys, in insertion order, for for-each: as in Python and
     * Cython+, {@code for (long key : dict)} walks a dict's keys (read each value with
     * {@code get}, or walk the entries with {@code cursor()}). Reference keys ({@link RefLongDict},
     * {@link RefRefDict}, {@link KeyLongDict}, {@link KeyRefDict}) are borrowed references, valid
     * while their instance lives; primitive keys are boxed. The
     * iterator is one small Java object per walk; {@code cursor()} is the walk that allocates
     * nothing, for hot loops. It fails fast with
     * {@link java.util.ConcurrentModificationException} on a change of size made since the walk
     * started, except by its own {@code remove()}, which removes the last key returned.
     *
     * @return an iterator before the first key
     * @throws IllegalStateException if this reference is closed
     */
    @Override
    public final Iterator<@MustCall({}) K> iterator() {
        // @MustCall({}): a key of a RefLongDict is borrowed; the Resource Leak Checker sees no
        // obligation on a for-each variable (the JDK's Iterator.next() is not annotated).
        return new HashWalk<@MustCall({}) K>(this) {
            @Override
            K element(long at) {
                return boxKey(HashStorage.load(at));
            }
        };
    }

    /** {@return the address of the entry of {@code key} for reading, or 0} */
    final long find(long key) {
        return HashStorage.find(OBJECTS.read(this), key, DICT_ENTRY, content);
    }

    /**
     * {@return the address of the entry of a boxed key, for the view, or 0 if it has none or
     * {@code key} is no key of this dict} Keys by content override it with a lookup that calls
     * their equality.
     */
    long findKey(Object key) {
        return acceptsKey(key) ? find(keyOf(key)) : 0;
    }

    /** Removes the entry of a boxed key, for the view; {@return whether there was one} */
    boolean removeKey(Object key) {
        return acceptsKey(key) && removeWord(keyOf(key));
    }

    /** {@return the address of the entry of {@code key} for reading} */
    final long entryOf(long key) {
        long at = find(key);
        if (at == 0) {
            throw missingKey(boxKey(key));
        }
        return at;
    }

    /** {@return the exception of a strict {@code get} of a missing key, printed as given} */
    final NoSuchElementException missingKey(Object key) {
        return new NoSuchElementException(this + " has no key " + key
            + "; use getOrDefault or containsKey for a key that may be missing");
    }

    /** Stores a primitive value word under {@code key}. */
    final void putWord(long key, long value) {
        long at = HashStorage.insert(OBJECTS.write(this), key, DICT_ENTRY, storage());
        HashStorage.store(at + 8, value);
    }

    /** {@return whether the view may look {@code key} up: of the key type, not null} */
    boolean acceptsKey(Object key) {
        return keyWord().accepts(key);
    }

    /** {@return the word a lookup of {@code key} probes for; the view checked it with {@link #acceptsKey}} */
    long keyOf(Object key) {
        return keyWord().unboxChecked(key);
    }

    /** {@return the boxed key of a key word read from a live entry} */
    K boxKey(long word) {
        return keyWord().box(word);
    }

    /** {@return the boxed value of a value word read from a live entry} */
    V boxValue(long word) {
        return valueWord().box(word);
    }

    /** Stores a boxed entry, for the view: an overwrite or a new last entry. */
    void putBoxed(K key, V value) {
        putWord(keyOf(key), valueWord().unboxChecked(value));
    }

    /** Overwrites the value of the live entry at {@code at} (found just before), for the view's entries. */
    void setValueAt(long at, V value) {
        long word = valueWord().unboxChecked(value);
        OBJECTS.write(this);
        HashStorage.store(at + 8, word);
    }

    /** The dump of a dict: its size and first eight entries. */
    final void dumpFields(StringBuilder out) {
        dumpEntries(out, "entries", "{", "}",
            at -> boxKey(HashStorage.load(at)) + "=" + boxValue(HashStorage.load(at + 8)));
    }
}
