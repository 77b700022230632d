package org.cypclass.tests.containers;

import org.cypclass.objects.containers.IntSet;

/** {@link PrimitiveSetContract} over {@link IntSet}. */
class IntSetTest extends PrimitiveSetContract<IntSet> {

    @Override
    IntSet create() {
        return IntSet.create();
    }

    @Override
    IntSet create(long capacity) {
        return IntSet.create(capacity);
    }

    @Override
    boolean add(IntSet set, long value) {
        return set.add((int) value);
    }

    @Override
    boolean contains(IntSet set, long value) {
        return set.contains((int) value);
    }

    @Override
    boolean remove(IntSet set, long value) {
        return set.remove((int) value);
    }

    @Override
    Steps cursor(IntSet set) {
        IntSet.Cursor cursor = set.cursor();
        return new Steps(cursor, cursor::next, cursor::value, cursor::remove);
    }

    @Override
    Object box(long value) {
        return Integer.valueOf((int) value);
    }
}
