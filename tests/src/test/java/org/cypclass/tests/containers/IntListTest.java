package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.List;

import org.cypclass.objects.containers.IntList;

/** {@link PrimitiveListContract} for {@link IntList}. */
class IntListTest extends PrimitiveListContract<IntList> {

    @Override
    IntList create() {
        return IntList.create();
    }

    @Override
    IntList create(long capacity) {
        return IntList.create(capacity);
    }

    @Override
    long size(IntList list) {
        return list.size();
    }

    @Override
    long capacity(IntList list) {
        return list.capacity();
    }

    @Override
    long get(IntList list, long index) {
        return (long) list.get(index);
    }

    @Override
    long set(IntList list, long index, long value) {
        return (long) list.set(index, (int) value);
    }

    @Override
    void add(IntList list, long value) {
        list.add((int) value);
    }

    @Override
    void insert(IntList list, long index, long value) {
        list.add(index, (int) value);
    }

    @Override
    long removeAt(IntList list, long index) {
        return (long) list.removeAt(index);
    }

    @Override
    void clear(IntList list) {
        list.clear();
    }

    @Override
    long indexOf(IntList list, long value) {
        return list.indexOf((int) value);
    }

    @Override
    List<Long> walk(IntList list) {
        List<Long> seen = new ArrayList<>();
        IntList.Cursor cursor = list.cursor();
        while (cursor.next()) {
            seen.add((long) cursor.value());
        }
        return seen;
    }

    @Override
    void stepAround(IntList list, Runnable between) {
        IntList.Cursor cursor = list.cursor();
        cursor.next();
        between.run();
        cursor.next();
    }

    @Override
    List<?> view(IntList list) {
        return list.asList();
    }

    @Override
    void addAll(IntList list, long[] values, int offset, int length) {
        int[] converted = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            converted[i] = (int) values[i];
        }
        list.addAll(converted, offset, length);
    }

    @Override
    void getInto(IntList list, long from, long[] into, int offset, int length) {
        int[] copied = new int[into.length];
        list.get(from, copied, offset, length);
        for (int i = offset; i < offset + length; i++) {
            into[i] = (long) copied[i];
        }
    }

    @Override
    long[] toArray(IntList list) {
        int[] values = list.toArray();
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = (long) values[i];
        }
        return longs;
    }

    @Override
    String storageType() {
        return IntList.class.getName() + " storage";
    }
}
