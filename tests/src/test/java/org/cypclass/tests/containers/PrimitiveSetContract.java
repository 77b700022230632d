package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.containers.PrimitiveSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every primitive set ({@code LongSet}, {@code IntSet}) must do, through a thin adapter per
 * set: values are longs that fit every element type, so one test body serves both.
 *
 * @param <S> the set
 */
abstract class PrimitiveSetContract<S extends PrimitiveSet<?>> {

    abstract S create();

    abstract S create(long capacity);

    abstract boolean add(S set, long value);

    abstract boolean contains(S set, long value);

    abstract boolean remove(S set, long value);

    /** A started cursor of the set, seen through its three calls (and itself, for identity). */
    record Steps(Object cursor, BooleanSupplier next, LongSupplier value, Runnable remove) {
    }

    /** {@return {@code set.cursor()} as {@link Steps}} */
    abstract Steps cursor(S set);

    /** The boxed element of a long value, as the view holds it. */
    abstract Object box(long value);

    private List<Long> walk(S set) {
        return walk(set, v -> false);
    }

    /** Walks the set with its cursor, removing the values {@code drop} names; returns those seen. */
    private List<Long> walk(S set, LongPredicate drop) {
        List<Long> seen = new ArrayList<>();
        Steps cursor = cursor(set);
        while (cursor.next().getAsBoolean()) {
            long value = cursor.value().getAsLong();
            seen.add(value);
            if (drop.test(value)) {
                cursor.remove().run();
            }
        }
        return seen;
    }

    /** Starts a cursor, takes one step, then runs {@code between}, then walks on. */
    private void stepAround(S set, Runnable between) {
        Steps cursor = cursor(set);
        cursor.next().getAsBoolean();
        between.run();
        while (cursor.next().getAsBoolean()) {
            cursor.value().getAsLong();
        }
    }

    /** {@return whether the cursor of a finished walk is the one the next cursor() gives} */
    private boolean cursorIsRecycled(S set) {
        Steps first = cursor(set);
        while (first.next().getAsBoolean()) {
            first.value().getAsLong();
        }
        return cursor(set).cursor() == first.cursor();
    }

    @Test
    void addContainsRemoveGrowingFromNothing() {
        try (S set = create()) {
            assertEquals(0, set.capacity(), "no block before the first add");
            assertTrue(set.isEmpty());
            for (long v = 0; v < 100_000; v++) {
                assertTrue(add(set, v * 7919 - 300_000_000));
            }
            assertEquals(100_000, set.size());
            assertTrue(set.capacity() >= 100_000 && set.capacity() < 200_000, "capacity " + set.capacity() + " doubles");
            for (long v = 0; v < 100_000; v++) {
                assertFalse(add(set, v * 7919 - 300_000_000), "already there");
                assertTrue(contains(set, v * 7919 - 300_000_000));
            }
            assertEquals(100_000, set.size());
            assertFalse(contains(set, 1));
            assertTrue(remove(set, -300_000_000));
            assertFalse(remove(set, -300_000_000));
            assertEquals(99_999, set.size());
            set.clear();
            assertTrue(set.isEmpty());
            assertFalse(contains(set, 7919 - 300_000_000));
        }
    }

    @Test
    void aBadCapacityIsRefusedBeforeAnythingIsAllocated() {
        long blocks = MemoryStats.snapshot().liveBlocks();
        assertThrows(IllegalArgumentException.class, () -> create(-1));
        assertThrows(IllegalArgumentException.class, () -> create(Long.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> create((1L << 30) + 1));
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks());
        try (S set = create(1000)) {
            assertThrows(IllegalArgumentException.class, () -> set.ensureCapacity(-5));
            assertEquals(1024, set.capacity());
            for (long v = 0; v < 1000; v++) {
                add(set, v);
            }
            assertEquals(1024, set.capacity(), "no growth within the reserved capacity");
            set.ensureCapacity(5000);
            assertEquals(8192, set.capacity());
        }
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks(), "nothing leaked");
    }

    @Test
    void insertionOrderSurvivesRemovalsAndReinsertions() {
        try (S set = create()) {
            for (long v = 1; v <= 5; v++) {
                add(set, v);
            }
            remove(set, 2);
            assertFalse(add(set, 4), "a present element keeps its place");
            assertTrue(add(set, 2), "a re-insertion goes last");
            assertEquals(List.of(1L, 3L, 4L, 5L, 2L), walk(set));
            List<Object> boxed = new ArrayList<>();
            for (long v : List.of(1L, 3L, 4L, 5L, 2L)) {
                boxed.add(box(v));
            }
            assertEquals(boxed, new ArrayList<>(set.asSet()));
            assertTrue(set.toString().contains(set.getClass().getSimpleName()), set.toString());
        }
    }

    @Test
    void afterManyRemovalsAndReinsertionsEveryElementIsFoundInInsertionOrder() {
        SplittableRandom random = new SplittableRandom(11);
        Set<Long> model = new LinkedHashSet<>();
        long blocks = MemoryStats.snapshot().liveBlocks();
        try (S set = create()) {
            for (int round = 0; round < 200_000; round++) {
                long v = random.nextLong(5_000) - 2_500;
                if (random.nextInt(3) == 0) {
                    assertEquals(model.add(v), add(set, v));
                } else {
                    assertEquals(model.remove(v), remove(set, v));
                }
            }
            assertEquals(model.size(), set.size());
            assertTrue(set.capacity() <= 16_384, "removed entries give their room back: capacity " + set.capacity());
            assertEquals(new ArrayList<>(model), walk(set));
            for (long v = -2_500; v < 2_500; v++) {
                assertEquals(model.contains(v), contains(set, v), "element " + v);
            }
        }
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks(), "nothing leaked");
    }

    @Test
    void aCursorRemovesAndFailsFastOnAChangeOfSize() {
        try (S set = create()) {
            for (long v = 0; v < 10; v++) {
                add(set, v);
            }
            assertThrows(NoSuchElementException.class, () -> cursor(set).value().getAsLong());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), walk(set, v -> v % 2 == 0));
            assertEquals(List.of(1L, 3L, 5L, 7L, 9L), walk(set));
            assertTrue(cursorIsRecycled(set), "a finished cursor is handed out again");
            assertThrows(ConcurrentModificationException.class, () -> stepAround(set, () -> add(set, 100)));
            assertThrows(ConcurrentModificationException.class, () -> stepAround(set, () -> remove(set, 1)));
            assertThrows(ConcurrentModificationException.class, () -> stepAround(set, set::clear));
            assertEquals(0, set.size());
            for (long v = 1; v <= 5; v++) {
                add(set, v);
            }
            stepAround(set, () -> add(set, 3));
            stepAround(set, () -> remove(set, 12345));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), walk(set), "no change of size: the walks went on");
        }
    }

    @Test
    void anotherThreadAndAClosedReferenceAreRefused() throws Exception {
        S set = create();
        add(set, 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                add(set, 2);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.start();
        other.join();
        assertInstanceOf(WrongThreadException.class, thrown.get());
        Thread reader = new Thread(() -> {
            try {
                contains(set, 1);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        thrown.set(null);
        reader.start();
        reader.join();
        assertInstanceOf(WrongThreadException.class, thrown.get());
        assertEquals(1, set.size());
        set.close();
        assertThrows(IllegalStateException.class, () -> contains(set, 1));
        assertThrows(IllegalStateException.class, () -> add(set, 1));
        assertThrows(IllegalStateException.class, () -> remove(set, 1));
        assertThrows(IllegalStateException.class, set::size);
        assertThrows(IllegalStateException.class, () -> walk(set));
        assertThrows(IllegalStateException.class, () -> set.asSet().size());
    }
}
