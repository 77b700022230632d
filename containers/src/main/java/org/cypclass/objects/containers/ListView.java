package org.cypclass.objects.containers;

import java.util.AbstractList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.ListIterator;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * What the boxed {@link java.util.List} views of the lists share: {@code AbstractList} for the
 * bulk operations and sub-lists, and iterators that compare the list's off-heap
 * {@code mod_count} (not the view's own {@code modCount}), so that they fail fast on a change of
 * size made through the list itself or another view too. The view's {@code modCount} is kept
 * equal to the off-heap count after each of its changes, for {@code AbstractList}'s sub-lists.
 *
 * <p>Thread-safety: as the list it views.
 *
 * @param <E> the boxed element type
 */
abstract class ListView<E> extends AbstractList<E> implements RandomAccess {

    static final String NULL_ELEMENT = "this list holds no null elements";

    abstract long length();

    /** The list's off-heap modification count. */
    abstract long mods();

    abstract E at(long index);

    abstract E replace(long index, E value);

    abstract void insert(long index, E value);

    abstract E delete(long index);

    abstract void deleteAll();

    private void changed() {
        modCount = (int) mods();
    }

    @Override
    public int size() {
        return (int) Math.min(length(), Integer.MAX_VALUE);
    }

    @Override
    public E get(int index) {
        return at(index);
    }

    @Override
    public E set(int index, E element) {
        return replace(index, element);
    }

    @Override
    public void add(int index, E element) {
        insert(index, element);
        changed();
    }

    @Override
    public E remove(int index) {
        E removed = delete(index);
        changed();
        return removed;
    }

    @Override
    public void clear() {
        deleteAll();
        changed();
    }

    @Override
    public Iterator<E> iterator() {
        return new Walk(0);
    }

    @Override
    public ListIterator<E> listIterator() {
        return new Walk(0);
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        if (index < 0 || index > length()) {
            throw new IndexOutOfBoundsException("Index: " + index + ", Size: " + length());
        }
        return new Walk(index);
    }

    /** {@code AbstractList.ListItr}'s rules, checked against the off-heap count. */
    private final class Walk implements ListIterator<E> {
        private long next;
        private long last = -1;
        /** {@code mod_count} and the size when last in step with the list: see {@link ListLayout}. */
        private long expected = mods();
        private long expectedLength = length();

        Walk(long index) {
            next = index;
        }

        private void check() {
            if (mods() != expected || length() != expectedLength) {
                throw new ConcurrentModificationException("the list's size changed since this iterator started");
            }
        }

        @Override
        public boolean hasNext() {
            return next < length();
        }

        @Override
        public E next() {
            check();
            if (next >= length()) {
                throw new NoSuchElementException();
            }
            E element = at(next);
            last = next++;
            return element;
        }

        @Override
        public boolean hasPrevious() {
            return next > 0;
        }

        @Override
        public E previous() {
            check();
            if (next <= 0) {
                throw new NoSuchElementException();
            }
            E element = at(next - 1);
            last = --next;
            return element;
        }

        @Override
        public int nextIndex() {
            return (int) next;
        }

        @Override
        public int previousIndex() {
            return (int) next - 1;
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException("call next() or previous() before remove(), once per element");
            }
            check();
            delete(last);
            if (last < next) {
                next--;
            }
            last = -1;
            expected = mods();
            expectedLength = length();
            changed();
        }

        @Override
        public void set(E element) {
            if (last < 0) {
                throw new IllegalStateException("call next() or previous() before set(), and not after add() or remove()");
            }
            check();
            replace(last, element);
        }

        @Override
        public void add(E element) {
            check();
            insert(next++, element);
            last = -1;
            expected = mods();
            expectedLength = length();
            changed();
        }
    }
}
