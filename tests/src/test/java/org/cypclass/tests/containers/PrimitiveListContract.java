package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.CyObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every primitive list ({@code LongList}, {@code IntList}, {@code DoubleList}) must do,
 * through a thin adapter per list: element {@code i} is always {@code value(i)} converted to
 * the list's element type, so one test body serves all three.
 *
 * @param <L> the list
 */
abstract class PrimitiveListContract<L extends CyObject> {

    /** Makes a list, reads and writes it with long values that fit every element type. */
    abstract L create();

    abstract L create(long capacity);

    abstract long size(L list);

    abstract long capacity(L list);

    abstract long get(L list, long index);

    abstract long set(L list, long index, long value);

    abstract void add(L list, long value);

    abstract void insert(L list, long index, long value);

    abstract long removeAt(L list, long index);

    abstract void clear(L list);

    abstract long indexOf(L list, long value);

    /** Walks the list with its cursor, returning the values seen. */
    abstract List<Long> walk(L list);

    /** Starts a cursor, takes one step, then runs {@code between}, then steps again. */
    abstract void stepAround(L list, Runnable between);

    abstract List<?> view(L list);

    abstract long[] toArray(L list);

    /** The bulk append, from an array of the list's element type holding {@code values}. */
    abstract void addAll(L list, long[] values, int offset, int length);

    /** The bulk read, into {@code into[offset, offset + length)}; the rest of {@code into} is left alone. */
    abstract void getInto(L list, long from, long[] into, int offset, int length);

    abstract String storageType();

    private long live(String type) {
        MemoryStats.TypeStats stats = MemoryStats.snapshot().of(type);
        return stats == null ? 0 : stats.liveBlocks();
    }

    /**
     * A capacity that is negative, or whose bytes exceed the 2^47-byte address space (2^44
     * elements of 8 bytes), is refused with the capacity in the message before anything is
     * allocated; 2^50 used to reach calloc and come back as an OutOfMemoryError.
     */
    @Test
    void anImpossibleCapacityIsRefusedWithItsSizeBeforeAnythingIsAllocated() {
        long blocks = MemoryStats.snapshot().liveBlocks();
        for (long capacity : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, (1L << 44) + 1, 1L << 50}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(capacity));
            assertTrue(e.getMessage().contains("with capacity " + capacity + ": the capacity must be from 0 to 17592186044416"),
                e.getMessage());
        }
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks());
    }

    @Test
    void appendsGrowInAmortisedConstantTimeAndKeepEveryElement() {
        try (L list = create()) {
            assertEquals(0, size(list));
            assertEquals(0, capacity(list), "no storage block before the first append");
            for (long i = 0; i < 100_000; i++) {
                add(list, i % 1000);
            }
            assertEquals(100_000, size(list));
            assertTrue(capacity(list) >= 100_000 && capacity(list) < 200_000, "capacity " + capacity(list) + " doubles");
            for (long i = 0; i < 100_000; i++) {
                assertEquals(i % 1000, get(list, i));
            }
            assertEquals(1, live(storageType()), "one storage block, the old ones freed");
        }
        assertEquals(0, live(storageType()));
    }

    @Test
    void insertRemoveSetAndSearchMoveTheRightElements() {
        try (L list = create(2)) {
            assertEquals(2, capacity(list));
            add(list, 1);
            add(list, 3);
            insert(list, 1, 2);
            insert(list, 0, 0);
            insert(list, 4, 4);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), walk(list));
            assertEquals(2, removeAt(list, 2));
            assertEquals(0, removeAt(list, 0));
            assertEquals(4, removeAt(list, 2));
            assertEquals(List.of(1L, 3L), walk(list));
            assertEquals(3, set(list, 1, 7));
            assertEquals(1, indexOf(list, 7));
            assertEquals(-1, indexOf(list, 3));
            assertEquals(2, toArray(list).length);
            clear(list);
            assertEquals(0, size(list));
            assertEquals(List.of(), walk(list));
            add(list, 9);
            assertEquals(9, get(list, 0));
        }
    }

    @Test
    void badIndicesAndCapacitiesThrowTheirOwnExceptionsAndChangeNothing() {
        try (L list = create()) {
            add(list, 5);
            assertThrows(IndexOutOfBoundsException.class, () -> get(list, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> get(list, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> set(list, 1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> insert(list, 2, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> insert(list, -1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> removeAt(list, 1));
            assertEquals(List.of(5L), walk(list));
        }
        long before = MemoryStats.snapshot().liveBlocks();
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> create(-1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertEquals(before, MemoryStats.snapshot().liveBlocks(), "nothing allocated");
    }

    @Test
    void aClosedListOrAnotherThreadIsRefused() throws Exception {
        L list = create();
        add(list, 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                add(list, 2);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.start();
        other.join();
        assertInstanceOf(WrongThreadException.class, thrown.get());
        assertEquals(1, size(list));
        list.close();
        assertThrows(IllegalStateException.class, () -> size(list));
        assertThrows(IllegalStateException.class, () -> add(list, 1));
    }

    @Test
    void aCursorFailsFastOnAChangeOfSizeButNotOnAnOverwrite() {
        try (L list = create()) {
            for (int i = 0; i < 4; i++) {
                add(list, i);
            }
            stepAround(list, () -> set(list, 0, 9));
            assertThrows(ConcurrentModificationException.class, () -> stepAround(list, () -> add(list, 5)));
            assertThrows(ConcurrentModificationException.class, () -> stepAround(list, () -> removeAt(list, 0)));
            assertThrows(ConcurrentModificationException.class, () -> stepAround(list, () -> clear(list)));
        }
    }

    @Test
    void aCursorOrIteratorFailsFastWhenAnAppendIsUndoneBeforeItsNextStep() {
        // Appends change the size only, removals bump mod_count: the pair still tells.
        try (L list = create()) {
            for (int i = 0; i < 4; i++) {
                add(list, i);
            }
            assertThrows(ConcurrentModificationException.class, () -> stepAround(list, () -> {
                add(list, 5);
                removeAt(list, 4);
            }));
            assertThrows(ConcurrentModificationException.class, () -> stepAround(list, () -> {
                removeAt(list, 3);
                add(list, 3);
            }));
            var iterator = view(list).iterator();
            iterator.next();
            add(list, 5);
            removeAt(list, 0);
            assertThrows(ConcurrentModificationException.class, iterator::next);
            assertEquals(List.of(1L, 2L, 3L, 5L), walk(list), "a fresh cursor walks the list as it is now");
        }
    }

    @Test
    void theViewIsAListOfTheSameElementsAndItsIteratorsFailFastOnChangesMadeElsewhere() {
        try (L list = create()) {
            add(list, 1);
            add(list, 2);
            List<?> view = view(list);
            assertEquals(2, view.size());
            assertEquals(new ArrayList<>(view).size(), 2);
            var iterator = view.iterator();
            iterator.next();
            add(list, 3);                        // through the list, not the view
            assertThrows(ConcurrentModificationException.class, iterator::next);
            view.remove(0);
            assertEquals(List.of(2L, 3L), walk(list));
            var exhausted = view.iterator();
            exhausted.next();
            exhausted.next();
            assertFalse(exhausted.hasNext());
            assertThrows(NoSuchElementException.class, exhausted::next);
        }
    }

    @Test
    void bulkAppendsAndReadsCopyRangesGrowOnceAndCheckEveryBound() {
        long[] values = new long[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 100;
        }
        try (L list = create()) {
            addAll(list, values, 0, 0);
            assertEquals(0, size(list));
            add(list, 7);
            addAll(list, values, 10, 20);                 // from 1 element past the first capacity
            assertEquals(21, size(list));
            assertEquals(7, get(list, 0));
            for (int i = 0; i < 20; i++) {
                assertEquals(values[10 + i], get(list, 1 + i));
            }
            addAll(list, values, 0, values.length);
            assertEquals(1021, size(list));
            assertTrue(capacity(list) >= 1021, "grew to fit the lot at once");
            assertEquals(values[999], get(list, 1020));
            assertEquals(1, live(storageType()), "one storage block, the old ones freed");

            long[] into = {-1, -1, -1, -1, -1};
            getInto(list, 19, into, 1, 3);
            assertEquals(List.of(-1L, 28L, 29L, 0L, -1L), java.util.Arrays.stream(into).boxed().toList());
            getInto(list, 1021, into, 0, 0);

            assertThrows(IndexOutOfBoundsException.class, () -> addAll(list, values, 990, 11));
            assertThrows(IndexOutOfBoundsException.class, () -> addAll(list, values, -1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> addAll(list, values, 0, -1));
            assertEquals(1021, size(list), "a bad range appends nothing");
            assertThrows(IndexOutOfBoundsException.class, () -> getInto(list, 1019, new long[5], 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> getInto(list, -1, new long[5], 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> getInto(list, 0, new long[5], 3, 3));
            assertThrows(ConcurrentModificationException.class, () -> stepAround(list, () -> addAll(list, values, 0, 1)));
        }
        assertEquals(0, live(storageType()));
    }

    @Test
    void theDumpShowsSizeAndFirstElements() {
        try (L list = create()) {
            for (int i = 0; i < 10; i++) {
                add(list, i);
            }
            String dump = list.dump();
            assertTrue(dump.contains("size=10") && dump.contains("...") && dump.contains("7"), dump);
        }
    }
}
