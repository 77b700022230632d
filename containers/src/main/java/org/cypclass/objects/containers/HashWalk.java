package org.cypclass.objects.containers;

import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static org.cypclass.objects.containers.HashContainer.OBJECTS;

/**
 * The iterator of the {@code java.util} views of the dicts and sets: a walk over the entry
 * block in insertion order that compares the container's off-heap {@code mod_count}, so that it
 * fails fast on a change of size made through the container itself or another view too, and
 * that removes the last entry it returned by its key word. The dicts and sets are
 * {@link Iterable} through it too (keys, elements).
 *
 * @param <T> what the iterator returns for an entry
 */
abstract class HashWalk<T> implements Iterator<T> {

    private final HashContainer container;
    private final long stride;
    /** The entry number of the next entry, {@code used} at the end. */
    private long next;
    private long expectedModCount;
    /** The key word of the last entry returned, while it may be removed. */
    private long lastKey;
    /** Its hash as the index keeps it. */
    private long lastHash;
    private boolean removable;

    HashWalk(HashContainer container) {
        this.container = container;
        this.stride = container.stride();
        long self = OBJECTS.read(container);
        expectedModCount = HashStorage.modCount(self);
        next = HashStorage.nextLive(self, -1, stride);
    }

    /** {@return what the iterator returns for the entry at {@code at}} */
    abstract T element(long at);

    private long checked() {
        long self = OBJECTS.read(container);
        if (HashStorage.modCount(self) != expectedModCount) {
            throw new ConcurrentModificationException("the size of " + container + " changed during the iteration");
        }
        return self;
    }

    @Override
    public final boolean hasNext() {
        return next < HashStorage.used(checked());
    }

    @Override
    public final T next() {
        long self = checked();
        if (next >= HashStorage.used(self)) {
            throw new NoSuchElementException();
        }
        long at = HashStorage.entries(self) + next * stride;
        next = HashStorage.nextLive(self, next, stride);
        lastKey = HashStorage.load(at);
        lastHash = container.entryHash(at);
        removable = true;
        return element(at);
    }

    @Override
    public final void remove() {
        if (!removable) {
            throw new IllegalStateException("remove() needs a next() first, and only one remove() per next()");
        }
        checked();
        container.removeWord(lastKey, lastHash);
        removable = false;
        expectedModCount = HashStorage.modCount(OBJECTS.read(container));
    }
}
