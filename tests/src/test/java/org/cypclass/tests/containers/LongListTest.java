package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.List;

import org.cypclass.objects.containers.LongList;

/** {@link PrimitiveListContract} for {@link LongList}. */
class LongListTest extends PrimitiveListContract<LongList> {

    @Override
    LongList create() {
        return LongList.create();
    }

    @Override
    LongList create(long capacity) {
        return LongList.create(capacity);
    }

    @Override
    long size(LongList list) {
        return list.size();
    }

    @Override
    long capacity(LongList list) {
        return list.capacity();
    }

    @Override
    long get(LongList list, long index) {
        return list.get(index);
    }

    @Override
    long set(LongList list, long index, long value) {
        return list.set(index, value);
    }

    @Override
    void add(LongList list, long value) {
        list.add(value);
    }

    @Override
    void insert(LongList list, long index, long value) {
        list.add(index, value);
    }

    @Override
    long removeAt(LongList list, long index) {
        return list.removeAt(index);
    }

    @Override
    void clear(LongList list) {
        list.clear();
    }

    @Override
    long indexOf(LongList list, long value) {
        return list.indexOf(value);
    }

    @Override
    List<Long> walk(LongList list) {
        List<Long> seen = new ArrayList<>();
        LongList.Cursor cursor = list.cursor();
        while (cursor.next()) {
            seen.add(cursor.value());
        }
        return seen;
    }

    @Override
    void stepAround(LongList list, Runnable between) {
        LongList.Cursor cursor = list.cursor();
        cursor.next();
        between.run();
        cursor.next();
    }

    @Override
    List<?> view(LongList list) {
        return list.asList();
    }

    @Override
    void addAll(LongList list, long[] values, int offset, int length) {
        list.addAll(values, offset, length);
    }

    @Override
    void getInto(LongList list, long from, long[] into, int offset, int length) {
        list.get(from, into, offset, length);
    }

    @Override
    long[] toArray(LongList list) {
        long[] values = list.toArray();
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        return longs;
    }

    @Override
    String storageType() {
        return LongList.class.getName() + " storage";
    }
}
