package org.cypclass.objects.containers;

import java.util.ConcurrentModificationException;

import static org.cypclass.objects.containers.HashContainer.OBJECTS;

/**
 * What the cursors of the dicts and sets share: the walk over the entry block in insertion
 * order, skipping removed entries, failing fast on a change of size, and removal of the
 * current entry. The typed cursors add the typed reads and writes of the current entry.
 */
abstract class HashCursor {

    private final HashContainer container;
    private final long stride;
    private long entry;
    private long expectedModCount;

    HashCursor(HashContainer container) {
        this.container = container;
        this.stride = container.stride();
    }

    /** Puts the cursor before the first entry; {@return this cursor} */
    final HashCursor start() {
        entry = -1;
        expectedModCount = HashStorage.modCount(OBJECTS.read(container));
        return this;
    }

    /**
     * Moves to the next entry, in insertion order.
     *
     * @return false once past the last entry (the cursor is then done and recycled)
     * @throws ConcurrentModificationException if the container's size changed since the start,
     *         other than through this cursor's {@link #remove()}
     */
    public final boolean next() {
        long self = OBJECTS.read(container);
        if (HashStorage.modCount(self) != expectedModCount) {
            throw Cursors.changedDuringWalk(container);
        }
        entry = HashStorage.nextLive(self, entry, stride);
        if (entry < HashStorage.used(self)) {
            return true;
        }
        container.recycle(this);
        return false;
    }

    /**
     * Removes the current entry; the walk goes on with the next one.
     *
     * @throws java.util.NoSuchElementException if the cursor is not on an entry, or it was removed
     */
    public final void remove() {
        long self = OBJECTS.write(container);
        long at = entry(self);
        container.removeWord(HashStorage.load(at), container.entryHash(at));
        expectedModCount = HashStorage.modCount(self);
    }

    /** {@return the address of the current entry, after the caller's capability check} */
    final long entry(long self) {
        if (entry < 0 || entry >= HashStorage.used(self)
                || HashStorage.isDead(HashStorage.entries(self), HashStorage.capacity(self), stride, entry)) {
            throw Cursors.noElement();
        }
        return HashStorage.entries(self) + entry * stride;
    }

    /** {@return the address of the current entry, checked for reading} */
    final long readEntry() {
        return entry(OBJECTS.read(container));
    }

    /** {@return the address of the current entry, checked for writing} */
    final long writeEntry() {
        return entry(OBJECTS.write(container));
    }
}
