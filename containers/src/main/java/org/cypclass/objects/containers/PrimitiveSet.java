package org.cypclass.objects.containers;

import java.util.Iterator;
import java.util.Set;

import static org.cypclass.objects.containers.DictLayout.SET_ENTRY;

/**
 * The common type of the sets, {@link LongSet} and {@link IntSet}: what both share over their
 * 64-bit key words ({@link HashStorage} with 8-byte entries, {@link DictLayout}), namely adding,
 * looking up and removing a word, clearing, the {@link Set} view and the dump. The typed classes
 * add the typed signatures, each a capability check and a call into the engine.
 *
 * <p>Thread-safety: as every cypclass instance, thread-local to its creating thread; a
 * reference object is not thread-safe.
 *
 * @param <E> the boxed element type of the view
 */
public abstract sealed class PrimitiveSet<E> extends HashContainer implements Iterable<E>
        permits LongSet, IntSet {

    PrimitiveSet() {
    }

    @Override
    final long stride() {
        return SET_ENTRY;
    }

    /** {@return how the elements sit in their words} */
    abstract Word<E> word();

    /** Removes every element; the blocks are kept for the next insertions. */
    public final void clear() {
        HashStorage.clear(OBJECTS.write(this), SET_ENTRY, false);
    }

    /**
     * Returns a boxed {@link Set} view: reads and writes go to this set, through this reference
     * (so it must stay open). It supports every optional operation but {@code null} elements
     * (a {@code null} query answers false), iterates in insertion order, and its iterators fail
     * fast on any change of size made while they are in use, through the view or not.
     *
     * @return a view of this set
     */
    public final Set<E> asSet() {
        return new SetView<>(this);
    }

    /**
     * Returns an iterator over the elements, boxed, in insertion order, for for-each:
     * {@code for (long element : set)}. The iterator is one small Java object per walk;
     * {@code cursor()} is the walk that allocates nothing, for hot loops. It fails fast with
     * {@link java.util.ConcurrentModificationException} on a change of size made since the walk
     * started, except by its own {@code remove()}, which removes the last element returned.
     *
     * @return an iterator before the first element
     * @throws IllegalStateException if this reference is closed
     */
    @Override
    public final Iterator<E> iterator() {
        Word<E> word = word();
        return new HashWalk<>(this) {
            @Override
            E element(long at) {
                return word.box(HashStorage.load(at));
            }
        };
    }

    /** {@return whether the element word {@code key} was added (false: it was there)} */
    final boolean addWord(long key) {
        long self = OBJECTS.write(this);
        long size = HashStorage.size(self);
        HashStorage.insert(self, key, SET_ENTRY, storage());
        return HashStorage.size(self) != size;
    }

    /** {@return whether the element word {@code key} is present} */
    final boolean containsWord(long key) {
        return HashStorage.find(OBJECTS.read(this), key, SET_ENTRY) != 0;
    }

    /** The dump of a set: its size and first eight elements. */
    final void dumpFields(StringBuilder out) {
        dumpEntries(out, "elements", "[", "]", at -> String.valueOf(word().box(HashStorage.load(at))));
    }
}
