package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.List;

import org.cypclass.objects.containers.DoubleList;

/** {@link PrimitiveListContract} for {@link DoubleList}. */
class DoubleListTest extends PrimitiveListContract<DoubleList> {

    @Override
    DoubleList create() {
        return DoubleList.create();
    }

    @Override
    DoubleList create(long capacity) {
        return DoubleList.create(capacity);
    }

    @Override
    long size(DoubleList list) {
        return list.size();
    }

    @Override
    long capacity(DoubleList list) {
        return list.capacity();
    }

    @Override
    long get(DoubleList list, long index) {
        return (long) list.get(index);
    }

    @Override
    long set(DoubleList list, long index, long value) {
        return (long) list.set(index, (double) value);
    }

    @Override
    void add(DoubleList list, long value) {
        list.add((double) value);
    }

    @Override
    void insert(DoubleList list, long index, long value) {
        list.add(index, (double) value);
    }

    @Override
    long removeAt(DoubleList list, long index) {
        return (long) list.removeAt(index);
    }

    @Override
    void clear(DoubleList list) {
        list.clear();
    }

    @Override
    long indexOf(DoubleList list, long value) {
        return list.indexOf((double) value);
    }

    @Override
    List<Long> walk(DoubleList list) {
        List<Long> seen = new ArrayList<>();
        DoubleList.Cursor cursor = list.cursor();
        while (cursor.next()) {
            seen.add((long) cursor.value());
        }
        return seen;
    }

    @Override
    void stepAround(DoubleList list, Runnable between) {
        DoubleList.Cursor cursor = list.cursor();
        cursor.next();
        between.run();
        cursor.next();
    }

    @Override
    List<?> view(DoubleList list) {
        return list.asList();
    }

    @Override
    void addAll(DoubleList list, long[] values, int offset, int length) {
        double[] converted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            converted[i] = (double) values[i];
        }
        list.addAll(converted, offset, length);
    }

    @Override
    void getInto(DoubleList list, long from, long[] into, int offset, int length) {
        double[] copied = new double[into.length];
        list.get(from, copied, offset, length);
        for (int i = offset; i < offset + length; i++) {
            into[i] = (long) copied[i];
        }
    }

    @Override
    long[] toArray(DoubleList list) {
        double[] values = list.toArray();
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = (long) values[i];
        }
        return longs;
    }

    @Override
    String storageType() {
        return DoubleList.class.getName() + " storage";
    }
}
