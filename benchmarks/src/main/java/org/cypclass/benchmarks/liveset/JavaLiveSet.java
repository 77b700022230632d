package org.cypclass.benchmarks.liveset;

import java.util.ArrayList;

/** The plain-Java variant: {@link Rec} objects in an {@link ArrayList}, as a Java user would hold them. */
final class JavaLiveSet implements LiveSet {

    /** The record: two longs and a reference, 32 bytes with compressed oops and a 12-byte header. */
    static final class Rec {
        final long key;
        final long value;
        final Rec next;

        Rec(long key, long value, Rec next) {
            this.key = key;
            this.value = value;
            this.next = next;
        }
    }

    private final ArrayList<Rec> records;

    JavaLiveSet(int n) {
        records = new ArrayList<>(n);
    }

    @Override
    public void add(long key, long value, int next) {
        records.add(new Rec(key, value, next < 0 ? null : records.get(next)));
    }

    @Override
    public long read(int index) {
        Rec record = records.get(index);
        long sum = record.key + record.value;
        Rec next = record.next;
        return next == null ? sum : sum + next.key + next.value;
    }

    @Override
    public void replace(int index, long key, long value, int next) {
        records.set(index, new Rec(key, value, records.get(next)));
    }

    @Override
    public void close() {
        records.clear();
    }
}
