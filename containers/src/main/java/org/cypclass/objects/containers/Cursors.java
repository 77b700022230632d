package org.cypclass.objects.containers;

import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;

/**
 * The messages of the exceptions every container's cursors throw, written once.
 */
final class Cursors {

    private Cursors() {
    }

    static ConcurrentModificationException changedDuringWalk(Object container) {
        return new ConcurrentModificationException("the size of " + container + " changed while a cursor or iterator walked it"
            + " (an add, insert, removal or clear); overwriting elements is allowed during a walk, changing the size is not");
    }

    static NoSuchElementException noElement() {
        return new NoSuchElementException("the cursor is not on an element; call next() first and use it while it returns true");
    }
}
