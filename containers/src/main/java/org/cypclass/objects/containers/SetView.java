package org.cypclass.objects.containers;

import java.util.AbstractSet;
import java.util.Iterator;

/**
 * The boxed {@link java.util.Set} view of a set: {@code contains}, {@code add} and
 * {@code remove} go straight to the set's engine (not through {@code AbstractCollection}'s
 * linear scans); the iterator walks in insertion order and fails fast on a change of size made
 * through the set itself or another view too ({@link HashWalk}).
 *
 * <p>Thread-safety: as the set it views.
 *
 * @param <E> the boxed element type
 */
final class SetView<E> extends AbstractSet<E> {

    private final PrimitiveSet<E> set;
    private final Word<E> word;

    SetView(PrimitiveSet<E> set) {
        this.set = set;
        this.word = set.word();
    }

    @Override
    public int size() {
        return (int) Math.min(set.size(), Integer.MAX_VALUE);
    }

    @Override
    public boolean contains(Object o) {
        return word.accepts(o) && set.containsWord(word.unboxChecked(o));
    }

    @Override
    public boolean add(E e) {
        return set.addWord(word.unboxChecked(e));
    }

    @Override
    public boolean remove(Object o) {
        return word.accepts(o) && set.removeWord(word.unboxChecked(o));
    }

    @Override
    public void clear() {
        set.clear();
    }

    @Override
    public Iterator<E> iterator() {
        return new HashWalk<>(set) {
            @Override
            E element(long at) {
                return word.box(HashStorage.load(at));
            }
        };
    }
}
