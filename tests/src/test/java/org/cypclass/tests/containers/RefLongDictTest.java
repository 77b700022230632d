package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Circle;
import org.cypclass.examples.Node;
import org.cypclass.examples.Registry;
import org.cypclass.examples.Shape;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.containers.RefLongDict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.cypclass.tests.containers.LongRefDictTest.count;
import static org.cypclass.tests.containers.LongRefDictTest.live;
import static org.cypclass.tests.containers.LongRefDictTest.onAnotherThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RefLongDict}: keys are instances compared by identity, each holding one count while in
 * the dict (retained when new, released on removal, clear and destruction; an overwrite takes
 * none), lookups need an open reference, stores are checked as field sets are, cursors re-point
 * one key reference and fail fast, order survives heavy deletion, and a million keys die in
 * constant stack.
 */
class RefLongDictTest {

    @BeforeEach
    @AfterEach
    void forgetDeallocations() {
        // A static list: other test classes may have left entries in it.
        Shape.DEALLOCATED.clear();
    }

    @Test
    void keysAreInstancesComparedByIdentityAndCountedOnceWhileInTheDict() {
        try (Node a = Node.create(1, null); Node twin = Node.create(1, null)) {
            try (RefLongDict<Node> dict = RefLongDict.create(Node.class)) {
                dict.put(a, 10);
                dict.put(twin, 20);
                assertEquals(2, dict.size(), "equal fields, different instances: two keys");
                assertEquals(2, count(a), "the reference and the key");
                try (Node again = a.newReference()) {
                    dict.put(again, 11);                       // another reference to the same instance
                }
                assertEquals(2, dict.size());
                assertEquals(2, count(a), "an overwrite takes no new count");
                assertEquals(11, dict.get(a));
                Registry holder = Registry.create();
                holder.ranks(dict);
                assertEquals(11, holder.ranks().get(a), "through a borrowed reference to the dict");
                holder.close();
                assertTrue(dict.remove(twin));
                assertFalse(dict.remove(twin));
                assertEquals(1, count(twin), "the removal released the key");
                assertEquals(-1, dict.getOrDefault(twin, -1));
                assertFalse(dict.containsKey(twin));
                dict.put(twin, 30);
                dict.clear();
                assertEquals(1, count(a));
                assertEquals(1, count(twin), "clear released every key");
                dict.put(a, 1);
                dict.put(twin, 2);
            }
            assertEquals(1, count(a));
            assertEquals(1, count(twin), "closing the dict released every key");
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void theDictMayHoldAKeysLastCount() {
        try (RefLongDict<Shape> dict = RefLongDict.create(Shape.class)) {
            try (Circle circle = Circle.create(7, 2.0); Shape shape = Shape.create(8)) {
                dict.put(circle, 70);
                dict.put(shape, 80);
            }
            RefLongDict.Cursor<Shape> cursor = dict.cursor();
            assertTrue(cursor.next());
            assertInstanceOf(Circle.class, cursor.key(), "the key's runtime class");
            assertEquals(70, cursor.value());
            assertTrue(cursor.next());
            Shape shape = cursor.key().newReference();
            cursor.remove();                                    // the key's count went with the entry
            assertEquals(1, count(shape));
            shape.close();
            assertEquals(List.of("shape 8"), Shape.DEALLOCATED);
            assertEquals(Shape.class, dict.keyType());
        }
        assertEquals(2, Shape.DEALLOCATED.size(), "closing the dict released the circle: " + Shape.DEALLOCATED);
        assertEquals(0, live(Shape.class));
    }

    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    @Test
    void badInputGetsItsOwnExceptionAndChangesAndLeaksNothing() throws Exception {
        long blocks = MemoryStats.snapshot().liveBlocks();
        assertThrows(IllegalArgumentException.class, () -> RefLongDict.create(Node.class, -1));
        assertThrows(NullPointerException.class, () -> RefLongDict.create(null));
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks(), "nothing allocated");
        try (RefLongDict<Node> dict = RefLongDict.create(Node.class); Node kept = Node.create(1, null)) {
            dict.put(kept, 1);
            try (Node absent = Node.create(2, null)) {
                NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> dict.get(absent));
                assertTrue(missing.getMessage().contains(absent.toString()), missing.getMessage());
            }
            assertThrows(NullPointerException.class, () -> dict.put(null, 1));
            assertThrows(NullPointerException.class, () -> dict.get(null));
            Node closed = Node.create(3, null);
            closed.close();
            assertThrows(IllegalStateException.class, () -> dict.put(closed, 1));
            assertThrows(IllegalStateException.class, () -> dict.containsKey(closed),
                "a closed reference may name another instance at the same address");
            Node closedKept = kept.newReference();
            closedKept.close();
            assertThrows(IllegalStateException.class, () -> dict.get(closedKept));
            assertThrows(WrongThreadException.class, () -> onAnotherThread(node -> dict.put(node, 3)));
            @SuppressWarnings({"unchecked", "rawtypes"})
            RefLongDict<CyObject> raw = (RefLongDict) dict;
            try (Adder adder = Adder.create(1)) {
                assertThrows(ClassCastException.class, () -> raw.put(adder, 4), "the dict checks its key class");
                assertEquals(1, count(adder));
                assertFalse(raw.asMap().containsKey(adder), "a key of another class is simply absent from the view");
            }
            assertEquals(1, dict.size());
            assertEquals(2, count(kept), "no failed store took or dropped a count");
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void aCursorReusesOneKeyReferenceAndFailsFastOnResizeOnly() {
        try (RefLongDict<Node> dict = RefLongDict.create(Node.class)) {
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Node node = Node.create(i, null);
                nodes.add(node);
                dict.put(node, i * 100L);
            }
            RefLongDict.Cursor<Node> cursor = dict.cursor();
            assertThrows(NoSuchElementException.class, cursor::key);
            Node key = null;
            long sum = 0;
            while (cursor.next()) {
                Node current = cursor.key();
                if (key != null) {
                    assertSame(key, current, "re-pointed, not reallocated");
                }
                key = current;
                sum += current.payload() * cursor.value();
                cursor.setValue(cursor.value() + 1);
                dict.put(nodes.get(0), 0);                      // an overwrite: not a change of size
            }
            assertEquals(100 * (1 + 4 + 9 + 16), sum);
            assertEquals(401, dict.get(nodes.get(4)));
            RefLongDict.Cursor<Node> walking = dict.cursor();
            walking.next();
            dict.remove(nodes.get(3));
            assertThrows(ConcurrentModificationException.class, walking::next);
            RefLongDict.Cursor<Node> third = dict.cursor();
            third.next();
            dict.put(nodes.get(3), 3);
            assertThrows(ConcurrentModificationException.class, third::next);
            nodes.forEach(Node::close);
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void afterManyRemovalsAndReinsertionsEveryKeyIsFoundInInsertionOrderAndCountsAreExact() {
        SplittableRandom random = new SplittableRandom(5);
        int pool = 2_000;
        Node[] nodes = new Node[pool];
        for (int i = 0; i < pool; i++) {
            nodes[i] = Node.create(i, null);
        }
        Map<Integer, Long> model = new LinkedHashMap<>();
        try (RefLongDict<Node> dict = RefLongDict.create(Node.class)) {
            for (int round = 0; round < 200_000; round++) {
                int key = random.nextInt(pool);
                if (random.nextInt(3) == 0) {
                    model.put(key, (long) round);
                    dict.put(nodes[key], round);
                } else {
                    assertEquals(model.remove(key) != null, dict.remove(nodes[key]));
                }
            }
            assertEquals(model.size(), dict.size());
            assertTrue(dict.capacity() <= 4_096, "removed entries give their room back: capacity " + dict.capacity());
            for (int i = 0; i < pool; i++) {
                assertEquals(model.containsKey(i) ? 2 : 1, count(nodes[i]), "node " + i);
                assertEquals(model.getOrDefault(i, -1L), dict.getOrDefault(nodes[i], -1));
            }
            List<Integer> order = new ArrayList<>();
            RefLongDict.Cursor<Node> cursor = dict.cursor();
            while (cursor.next()) {
                order.add((int) cursor.key().payload());
            }
            assertEquals(new ArrayList<>(model.keySet()), order);
        }
        for (Node node : nodes) {
            assertEquals(1, count(node));
            node.close();
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void destroyingADictOfAMillionKeysReleasesEachInConstantStack() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A 256 KiB stack: a recursive release of a million keys would overflow it.
        Thread small = new Thread(null, () -> {
            try {
                RefLongDict<Node> dict = RefLongDict.create(Node.class);
                for (int i = 0; i < 1_000_000; i++) {
                    try (Node node = Node.create(i, null)) {
                        dict.put(node, i);
                    }
                }
                assertEquals(1_000_000, live(Node.class));
                dict.close();
                assertEquals(0, live(Node.class));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "small-stack", 256 * 1024);
        small.start();
        small.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, live(RefLongDict.class));
    }

    @Test
    void theViewHasBorrowedKeysAndBoxedValues() {
        try (RefLongDict<Node> dict = RefLongDict.create(Node.class); Node a = Node.create(1, null);
             Node b = Node.create(2, null)) {
            Map<Node, Long> view = dict.asMap();
            assertEquals(null, view.put(a, 5L));
            assertEquals(5L, view.put(a, 6L));
            view.put(b, 7L);
            Node first = view.keySet().iterator().next();
            assertTrue(first.isBorrowed());
            assertEquals(a, first);
            assertEquals(Map.of(a, 6L, b, 7L), view);
            assertThrows(NullPointerException.class, () -> view.put(a, null));
            assertEquals(null, view.get(null));
            assertEquals(null, view.get("a string"));
            assertEquals(7L, view.remove(b));
            assertEquals(1, count(b));
            assertTrue(dict.dump().contains("<" + Node.class.getName()), dict.dump());
        }
        assertEquals(0, live(Node.class));
    }
}
