package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.containers.IntDoubleDict;
import org.cypclass.objects.containers.IntIntDict;
import org.cypclass.objects.containers.LongLongDict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dict engine through {@link LongLongDict} (the other primitive dicts are the same code,
 * generated from one template; a few checks below run them too): lookups, growth, insertion
 * order through removals, cursors, bad input.
 */
class LongLongDictTest {

    private static List<Long> keys(LongLongDict dict) {
        List<Long> keys = new ArrayList<>();
        LongLongDict.Cursor cursor = dict.cursor();
        while (cursor.next()) {
            keys.add(cursor.key());
        }
        return keys;
    }

    @Test
    void putGetAndOverwriteGrowingFromNothing() {
        try (LongLongDict dict = LongLongDict.create()) {
            assertEquals(0, dict.capacity(), "no block before the first put");
            for (long k = 0; k < 100_000; k++) {
                dict.put(k * 7919, k);
            }
            assertEquals(100_000, dict.size());
            assertTrue(dict.capacity() >= 100_000 && dict.capacity() < 200_000, "capacity " + dict.capacity() + " doubles");
            for (long k = 0; k < 100_000; k++) {
                assertEquals(k, dict.get(k * 7919));
                dict.put(k * 7919, -k);
            }
            assertEquals(100_000, dict.size(), "overwrites add nothing");
            assertEquals(-5, dict.get(5 * 7919));
            assertFalse(dict.containsKey(1));
            assertEquals(42, dict.getOrDefault(1, 42));
        }
    }

    @Test
    void aMissingKeyIsANoSuchElementExceptionNamingIt() {
        try (LongLongDict dict = LongLongDict.create()) {
            NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> dict.get(12345));
            assertTrue(e.getMessage().contains("12345") && e.getMessage().contains("getOrDefault"), e.getMessage());
            dict.put(12345, 1);
            dict.remove(12345);
            assertThrows(NoSuchElementException.class, () -> dict.get(12345));
        }
    }

    @Test
    void aNegativeCapacityIsRefusedBeforeAnythingIsAllocated() {
        long blocks = MemoryStats.snapshot().liveBlocks();
        assertThrows(IllegalArgumentException.class, () -> LongLongDict.create(-1));
        assertThrows(IllegalArgumentException.class, () -> IntIntDict.create(-1));
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> LongLongDict.create(Long.MAX_VALUE));
        assertTrue(huge.getMessage().contains("with capacity " + Long.MAX_VALUE), huge.getMessage());
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks());
        try (LongLongDict dict = LongLongDict.create(1000)) {
            assertThrows(IllegalArgumentException.class, () -> dict.ensureCapacity(-5));
            assertEquals(1024, dict.capacity());
            for (long k = 0; k < 1000; k++) {
                dict.put(k, k);
            }
            assertEquals(1024, dict.capacity(), "no growth within the reserved capacity");
        }
    }

    @Test
    void insertionOrderSurvivesRemovalsAndReinsertionsAsInPython() {
        try (LongLongDict dict = LongLongDict.create()) {
            for (long k = 1; k <= 5; k++) {
                dict.put(k, k);
            }
            dict.remove(2);
            dict.put(4, 40);    // an overwrite keeps its place
            dict.put(2, 20);    // a re-insertion goes last
            assertEquals(List.of(1L, 3L, 4L, 5L, 2L), keys(dict));
            assertEquals(Map.of(1L, 1L, 3L, 3L, 4L, 40L, 5L, 5L, 2L, 20L), dict.asMap());
        }
    }

    @Test
    void afterManyRemovalsAndReinsertionsEveryKeyIsFoundInInsertionOrder() {
        SplittableRandom random = new SplittableRandom(9);
        Map<Long, Long> model = new LinkedHashMap<>();
        try (LongLongDict dict = LongLongDict.create()) {
            for (int round = 0; round < 400_000; round++) {
                long key = random.nextLong(5_000);
                if (random.nextInt(3) == 0) {
                    model.put(key, (long) round);
                    dict.put(key, round);
                } else {
                    assertEquals(model.remove(key) != null, dict.remove(key));
                }
            }
            assertEquals(model.size(), dict.size());
            assertTrue(dict.capacity() <= 16_384, "removed entries give their room back: capacity " + dict.capacity());
            for (Map.Entry<Long, Long> e : model.entrySet()) {
                assertEquals((long) e.getValue(), dict.get(e.getKey()));
            }
            assertEquals(new ArrayList<>(model.keySet()), keys(dict));
            for (long key = 0; key < 5_000; key++) {
                assertEquals(model.containsKey(key), dict.containsKey(key), "key " + key);
            }
        }
    }

    @Test
    void aCursorFailsFastOnAChangeOfSizeButNotOnOverwrites() {
        try (LongLongDict dict = LongLongDict.create()) {
            for (long k = 0; k < 10; k++) {
                dict.put(k, k);
            }
            LongLongDict.Cursor cursor = dict.cursor();
            assertThrows(NoSuchElementException.class, cursor::key);
            long sum = 0;
            while (cursor.next()) {
                cursor.setValue(cursor.value() * 2);
                dict.put(cursor.key(), dict.get(cursor.key()) + 1);
                if (cursor.key() % 2 == 0) {
                    cursor.remove();
                    assertThrows(NoSuchElementException.class, cursor::value);
                } else {
                    sum += cursor.value();
                }
            }
            assertEquals(2 * 25 + 5, sum);
            assertEquals(5, dict.size());
            LongLongDict.Cursor again = dict.cursor();
            assertTrue(again == cursor, "a finished cursor is handed out again");
            again.next();
            dict.put(100, 1);
            assertThrows(ConcurrentModificationException.class, again::next);
            LongLongDict.Cursor third = dict.cursor();
            third.next();
            dict.remove(1);
            assertThrows(ConcurrentModificationException.class, third::next);
            LongLongDict.Cursor fourth = dict.cursor();
            fourth.next();
            dict.clear();
            assertThrows(ConcurrentModificationException.class, fourth::next);
            assertEquals(0, dict.size());
            assertFalse(dict.containsKey(3));
            dict.put(3, 3);
            assertEquals(List.of(3L), keys(dict));
        }
    }

    @SuppressWarnings({"cypclass:cross-thread-capture", "cypclass:use-after-close"}) // checks the WrongThreadException another thread gets; the run-time error of a closed reference
    @Test
    void anotherThreadAndAClosedReferenceAreRefused() throws Exception {
        LongLongDict dict = LongLongDict.create();
        dict.put(1, 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                dict.put(2, 2);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.start();
        other.join();
        assertInstanceOf(WrongThreadException.class, thrown.get());
        assertEquals(1, dict.size());
        dict.close();
        assertThrows(IllegalStateException.class, () -> dict.get(1));
        assertThrows(IllegalStateException.class, dict::cursor);
    }

    @Test
    void theOtherPrimitiveDictsConvertTheirWords() {
        try (IntDoubleDict doubles = IntDoubleDict.create(); IntIntDict ints = IntIntDict.create()) {
            doubles.put(-1, Double.NaN);
            doubles.put(Integer.MIN_VALUE, -0.0);
            assertTrue(Double.isNaN(doubles.get(-1)));
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(doubles.get(Integer.MIN_VALUE)));
            ints.put(-7, Integer.MIN_VALUE);
            assertEquals(Integer.MIN_VALUE, ints.get(-7));
            IntIntDict.Cursor cursor = ints.cursor();
            assertTrue(cursor.next());
            assertEquals(-7, cursor.key());
            assertEquals(Map.of(-7, Integer.MIN_VALUE), ints.asMap());
            assertTrue(doubles.toString().contains("IntDoubleDict"), doubles.toString());
        }
    }
}
