package org.cypclass.benchmarks.liveset;

import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.objects.containers.RefList;

/**
 * The cypclass variant: {@link LiveRecord} instances held by a {@link RefList}, off the Java
 * heap, through the library's public API only. Reads go through borrowed references (nothing
 * to close); a replaced record dies when its last count goes, the list's or a newer record's
 * {@code next}.
 */
@InheritableMustCall("close")
final class CypLiveSet implements LiveSet {

    private final @Owning RefList<LiveRecord> records;

    CypLiveSet(int n) {
        records = RefList.create(LiveRecord.class, n);
    }

    @Override
    public void add(long key, long value, int next) {
        try (LiveRecord record = LiveRecord.create(key, value, next < 0 ? null : records.get(next))) {
            records.add(record);
        }
    }

    @Override
    public long read(int index) {
        LiveRecord record = records.get(index);
        long sum = record.key() + record.value();
        LiveRecord next = record.next();
        return next == null ? sum : sum + next.key() + next.value();
    }

    @Override
    public void replace(int index, long key, long value, int next) {
        try (LiveRecord record = LiveRecord.create(key, value, records.get(next))) {
            records.set(index, record);
        }
    }

    @Override
    @EnsuresCalledMethods(value = "this.records", methods = "close")
    public void close() {
        records.close();
    }
}
