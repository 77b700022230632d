package org.cypclass.tests.containers;

import org.cypclass.examples.Tags;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.containers.IntSet;
import org.cypclass.objects.containers.LongSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PrimitiveSetContract} over {@link LongSet}, and sets as fields of a cypclass. */
class LongSetTest extends PrimitiveSetContract<LongSet> {

    @Test
    void aCypclassHoldsSetsInItsFieldsAndReleasesThemWhenItDies() {
        long blocks = MemoryStats.snapshot().liveBlocks();
        try (Tags tags = Tags.create()) {
            try (LongSet seen = LongSet.create(); IntSet codes = IntSet.create()) {
                seen.add(7);
                codes.add(-3);
                tags.seen(seen);
                tags.codes(codes);
            }
            LongSet seen = tags.seen();
            assertTrue(seen.isBorrowed());
            seen.add(8);
            assertEquals(2, tags.seen().size());
            assertTrue(tags.codes().contains(-3));
            assertTrue(tags.dump().contains("seen=<org.cypclass.objects.containers.LongSet object at"), tags.dump());
        }
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks(), "the sets died with their holder");
    }

    @Override
    LongSet create() {
        return LongSet.create();
    }

    @Override
    LongSet create(long capacity) {
        return LongSet.create(capacity);
    }

    @Override
    boolean add(LongSet set, long value) {
        return set.add(value);
    }

    @Override
    boolean contains(LongSet set, long value) {
        return set.contains(value);
    }

    @Override
    boolean remove(LongSet set, long value) {
        return set.remove(value);
    }

    @Override
    Steps cursor(LongSet set) {
        LongSet.Cursor cursor = set.cursor();
        return new Steps(cursor, cursor::next, cursor::value, cursor::remove);
    }

    @Override
    Object box(long value) {
        return Long.valueOf(value);
    }
}
