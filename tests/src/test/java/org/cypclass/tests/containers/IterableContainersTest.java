package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.Set;

import org.cypclass.examples.Node;
import org.cypclass.examples.Point;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.containers.DoubleList;
import org.cypclass.objects.containers.IntList;
import org.cypclass.objects.containers.IntRefDict;
import org.cypclass.objects.containers.KeyLongDict;
import org.cypclass.objects.containers.KeyRefDict;
import org.cypclass.objects.containers.KeySet;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.LongLongDict;
import org.cypclass.objects.containers.LongRefDict;
import org.cypclass.objects.containers.LongSet;
import org.cypclass.objects.containers.RefList;
import org.cypclass.objects.containers.RefLongDict;
import org.cypclass.objects.containers.RefRefDict;
import org.cypclass.objects.containers.RefSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every container is {@link Iterable}: for-each agrees with an index loop or a cursor, fails
 * fast on a change of size as the cursor does, and leaks nothing (the leak check runs around
 * each test, and each test checks its own type's live blocks).
 */
class IterableContainersTest {

    private static long live(Class<?> type) {
        MemoryStats.TypeStats stats = MemoryStats.snapshot().of(type.getName());
        return stats == null ? 0 : stats.liveBlocks();
    }

    @Test
    void forEachOverARefListSeesTheElementsAnIndexLoopSees() {
        try (RefList<Node> list = RefList.create(Node.class)) {
            for (int i = 0; i < 1000; i++) {
                if (i % 10 == 7) {
                    list.add(null);
                } else {
                    try (Node node = Node.create(i, null)) {
                        list.add(node);
                    }
                }
            }
            long indexSum = 0;
            int indexNulls = 0;
            for (long i = 0; i < list.size(); i++) {
                Node node = list.get(i);
                if (node == null) {
                    indexNulls++;
                } else {
                    indexSum += node.payload();
                }
            }
            long eachSum = 0;
            int eachNulls = 0;
            List<Node> kept = new ArrayList<>();
            for (Node node : list) {
                if (node == null) {
                    eachNulls++;
                } else {
                    assertTrue(node.isBorrowed());
                    eachSum += node.payload();
                    kept.add(node);
                }
            }
            assertEquals(indexSum, eachSum);
            assertEquals(indexNulls, eachNulls);
            assertEquals(100, eachNulls);
            // Elements are distinct borrowed references, good beyond their step (unlike a cursor's).
            assertEquals(900, kept.size());
            assertEquals(list.get(0), kept.get(0));
            assertEquals(list.get(999).payload(), kept.get(kept.size() - 1).payload());
            for (Node node : list) {
                if (node != null) {
                    node.payload(node.payload() + 1);      // writes through for-each's elements
                }
            }
            long after = 0;
            for (Node node : list) {
                after += node == null ? 0 : node.payload();
            }
            assertEquals(indexSum + 900, after);
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void aRefListIteratorFailsFastOnAChangeOfSizeButNotOnAnOverwrite() {
        try (RefList<Node> list = RefList.create(Node.class); Node a = Node.create(1, null);
             Node b = Node.create(2, null)) {
            list.add(a);
            list.add(a);
            list.add(a);
            Iterator<Node> walk = list.iterator();
            walk.next();
            list.set(1, b);
            assertEquals(2, walk.next().payload(), "an overwrite is seen and allowed");
            list.add(b);
            assertThrows(ConcurrentModificationException.class, walk::hasNext);
            assertThrows(ConcurrentModificationException.class, walk::next);
            assertThrows(ConcurrentModificationException.class, () -> {
                for (Node node : list) {
                    list.removeAt(0);
                }
            });
            Iterator<Node> done = list.iterator();
            while (done.hasNext()) {
                done.next();
            }
            assertThrows(NoSuchElementException.class, done::next);
            assertThrows(UnsupportedOperationException.class, done::remove);
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void forEachOverPrimitiveListsMatchesIndexLoopsAndCursors() {
        try (LongList longs = LongList.create(); IntList ints = IntList.create(); DoubleList doubles = DoubleList.create()) {
            for (int i = 0; i < 10_000; i++) {
                longs.add(3L * i - 5000);
                ints.add(7 * i % 1001);
                doubles.add(i / 4.0);
            }
            long indexSum = 0;
            for (long i = 0; i < longs.size(); i++) {
                indexSum += longs.get(i);
            }
            long eachSum = 0;
            for (long value : longs) {
                eachSum += value;
            }
            assertEquals(indexSum, eachSum);
            long cursorSum = 0;
            PrimitiveIterator.OfLong unboxed = longs.iterator();
            while (unboxed.hasNext()) {
                cursorSum += unboxed.nextLong();
            }
            assertEquals(indexSum, cursorSum);

            long intIndex = 0;
            long intEach = 0;
            for (long i = 0; i < ints.size(); i++) {
                intIndex += ints.get(i);
            }
            for (int value : ints) {
                intEach += value;
            }
            assertEquals(intIndex, intEach);

            double doubleIndex = 0;
            double doubleEach = 0;
            for (long i = 0; i < doubles.size(); i++) {
                doubleIndex += doubles.get(i);
            }
            for (double value : doubles) {
                doubleEach += value;
            }
            assertEquals(doubleIndex, doubleEach);

            PrimitiveIterator.OfInt walk = ints.iterator();
            walk.nextInt();
            ints.set(5, 42);
            ints.add(1);
            assertThrows(ConcurrentModificationException.class, walk::nextInt);
        }
    }

    @Test
    void forEachOverADictWalksItsKeysInInsertionOrder() {
        try (LongLongDict dict = LongLongDict.create()) {
            List<Long> inserted = new ArrayList<>();
            for (long key = 100; key > 0; key -= 3) {
                dict.put(key, key * key);
                inserted.add(key);
            }
            List<Long> walked = new ArrayList<>();
            long valueSum = 0;
            for (long key : dict) {
                walked.add(key);
                valueSum += dict.get(key);
            }
            assertEquals(inserted, walked);
            assertEquals(inserted.stream().mapToLong(key -> key * key).sum(), valueSum);

            Iterator<Long> keys = dict.iterator();
            keys.next();
            keys.remove();
            assertFalse(dict.containsKey(100));
            dict.put(1000, 1);
            assertThrows(ConcurrentModificationException.class, keys::next);
        }
    }

    @Test
    void forEachOverReferenceDictsGivesBorrowedKeysOrPrimitiveKeys() {
        try (RefLongDict<Node> byNode = RefLongDict.create(Node.class);
             LongRefDict<Node> byLong = LongRefDict.create(Node.class);
             IntRefDict<Node> byInt = IntRefDict.create(Node.class)) {
            for (int i = 0; i < 50; i++) {
                try (Node node = Node.create(i, null)) {
                    byNode.put(node, i * 10L);
                    byLong.put(i, node);
                    byInt.put(-i, node);
                }
            }
            long payloads = 0;
            long values = 0;
            for (Node key : byNode) {
                assertTrue(key.isBorrowed());
                payloads += key.payload();
                values += byNode.get(key);
            }
            assertEquals(1225, payloads);
            assertEquals(12250, values);
            long longKeys = 0;
            for (long key : byLong) {
                longKeys += key;
                assertEquals(key, byLong.get(key).payload());
            }
            assertEquals(1225, longKeys);
            long intKeys = 0;
            for (int key : byInt) {
                intKeys += key;
            }
            assertEquals(-1225, intKeys);
            assertThrows(ConcurrentModificationException.class, () -> {
                for (Node key : byNode) {
                    byNode.remove(key);
                }
            });
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void forEachOverASetMatchesItsCursor() {
        try (LongSet set = LongSet.create()) {
            for (long i = 0; i < 500; i++) {
                set.add(i * i % 97);
            }
            Set<Long> cursor = new HashSet<>();
            LongSet.Cursor walk = set.cursor();
            while (walk.next()) {
                cursor.add(walk.value());
            }
            List<Long> each = new ArrayList<>();
            for (long element : set) {
                each.add(element);
            }
            assertEquals(cursor.size(), each.size());
            assertEquals(cursor, new HashSet<>(each));
            Iterator<Long> elements = set.iterator();
            long first = elements.next();
            elements.remove();
            assertFalse(set.contains(first));
            set.add(-1);
            assertThrows(ConcurrentModificationException.class, elements::hasNext);
        }
    }

    @Test
    void forEachOverReferenceSetsAndDictsWithReferenceKeysGivesBorrowedKeysInOrder() {
        List<Frozen<Point>> points = new ArrayList<>();
        try (RefSet<Node> set = RefSet.create(Node.class); RefRefDict<Node, Node> pairs = RefRefDict.create(Node.class, Node.class);
             KeySet<Point> keys = KeySet.create(Point.class); KeyLongDict<Point> byPoint = KeyLongDict.create(Point.class);
             KeyRefDict<Point, Node> nodesByPoint = KeyRefDict.create(Point.class, Node.class)) {
            for (int i = 0; i < 50; i++) {
                points.add(Isolated.consume(Point.create(i, 0)).freeze());
                try (Node node = Node.create(i, null)) {
                    set.add(node);
                    pairs.put(node, node);
                    keys.add(points.get(i).get());
                    byPoint.put(points.get(i).get(), i * 10L);
                    nodesByPoint.put(points.get(i).get(), node);
                }
            }
            long order = 0;
            long position = 0;
            for (Node node : set) {
                assertTrue(node.isBorrowed());
                order += ++position * node.payload();
            }
            long expected = 0;
            for (int i = 0; i < 50; i++) {
                expected += (i + 1L) * i;
            }
            assertEquals(expected, order, "insertion order");
            long sum = 0;
            for (Node key : pairs) {
                sum += key.payload() + pairs.get(key).payload();
            }
            for (Point key : keys) {
                assertTrue(key.isBorrowed());
                sum += key.x();
            }
            for (Point key : byPoint) {
                sum += byPoint.get(key) / 10;
            }
            for (Point key : nodesByPoint) {
                sum += nodesByPoint.get(key).payload();
            }
            assertEquals(5 * 1225, sum);
            Iterator<Point> walk = keys.iterator();
            walk.next();
            walk.remove();
            assertFalse(keys.contains(points.get(0).get()));
            assertThrows(ConcurrentModificationException.class, () -> {
                for (Point key : byPoint) {
                    byPoint.remove(key);
                }
            });
            assertThrows(ConcurrentModificationException.class, () -> {
                for (Node node : set) {
                    set.remove(node);
                }
            });
        } finally {
            points.forEach(Frozen::close);
        }
        assertEquals(0, live(Node.class));
        assertEquals(0, live(Point.class));
    }

    @Test
    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    void anIteratorOfAClosedListFails() {
        RefList<Node> list = RefList.create(Node.class);
        list.close();
        assertThrows(IllegalStateException.class, list::iterator);
        LongList longs = LongList.create();
        longs.close();
        assertThrows(IllegalStateException.class, longs::iterator);
    }
}
