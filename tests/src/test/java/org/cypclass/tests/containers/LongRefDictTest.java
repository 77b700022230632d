package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Circle;
import org.cypclass.examples.Node;
import org.cypclass.examples.Registry;
import org.cypclass.examples.Shape;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.containers.IntRefDict;
import org.cypclass.objects.containers.LongRefDict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LongRefDict} (and, where noted, {@link IntRefDict}, generated from the same template):
 * every value holds one count (retained on put, released on overwrite, removal, clear and
 * destruction), reads are borrowed, stores are checked as field sets are, cursors re-point one
 * reference and fail fast on a change of size only, insertion order survives heavy deletion,
 * and a million values die in constant stack.
 */
class LongRefDictTest {

    @BeforeEach
    @AfterEach
    void forgetDeallocations() {
        // A static list: other test classes may have left entries in it.
        Shape.DEALLOCATED.clear();
    }

    static long live(Class<?> type) {
        MemoryStats.TypeStats stats = MemoryStats.snapshot().of(type.getName());
        return stats == null ? 0 : stats.liveBlocks();
    }

    static int count(CyObject reference) {
        return RefCount.count(reference.pointer().address());
    }

    @Test
    void valuesAreRetainedOnPutAndReleasedOnOverwriteRemovalClearAndClose() {
        try (Node a = Node.create(1, null); Node b = Node.create(2, null)) {
            try (LongRefDict<Node> dict = LongRefDict.create(Node.class)) {
                dict.put(1, a);
                dict.put(2, a);
                dict.put(3, null);
                assertEquals(3, count(a), "the reference and two values");
                assertTrue(dict.containsKey(3));
                assertNull(dict.get(3), "a key may map to null");
                dict.put(3, b);
                dict.put(1, b);
                assertEquals(2, count(a), "the overwrite released a");
                assertEquals(3, count(b));
                assertTrue(dict.remove(2));
                assertFalse(dict.remove(2));
                assertEquals(1, count(a), "the removal released a");
                dict.put(2, a);
                dict.clear();
                assertEquals(1, count(a));
                assertEquals(1, count(b), "clear released every value");
                assertEquals(0, dict.size());
                dict.put(7, a);
                dict.put(8, b);
                dict.put(9, b);
            }
            assertEquals(1, count(a));
            assertEquals(1, count(b), "closing the dict released every value");
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void theDictMayHoldTheLastCountAndReadsAreBorrowedReferencesOfTheRuntimeClass() {
        try (LongRefDict<Shape> dict = LongRefDict.create(Shape.class)) {
            try (Circle circle = Circle.create(7, 2.0); Shape shape = Shape.create(8)) {
                dict.put(70, circle);
                dict.put(80, shape);
            }
            Shape first = dict.get(70);
            assertTrue(first.isBorrowed());
            assertInstanceOf(Circle.class, first, "the value's runtime class");
            assertEquals(7, first.id());
            Shape again = dict.get(70);  // admitted by now: a free way, or its second miss (BorrowCache)
            assertSame(again, dict.getOrDefault(70, null), "the borrow cache hands out the same reference");
            assertNull(dict.getOrDefault(5, null));
            Shape second = dict.get(80);
            dict.remove(80);                                      // the dict held the last count
            assertEquals(List.of("shape 8"), Shape.DEALLOCATED);
            assertFalse(second.isOpen());
            assertThrows(IllegalStateException.class, second::id, "a borrowed reference never reads a dead value");
            assertEquals(Shape.class, dict.valueType());
        }
        assertEquals(0, live(Shape.class));
        assertEquals(0, live(Circle.class));
    }

    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    @Test
    void badInputGetsItsOwnExceptionAndChangesAndLeaksNothing() throws Exception {
        long blocks = MemoryStats.snapshot().liveBlocks();
        assertThrows(IllegalArgumentException.class, () -> LongRefDict.create(Node.class, -1));
        assertThrows(IllegalArgumentException.class, () -> IntRefDict.create(Node.class, -1));
        assertThrows(NullPointerException.class, () -> LongRefDict.create(null));
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks(), "nothing allocated");
        try (LongRefDict<Node> dict = LongRefDict.create(Node.class, 100); Node kept = Node.create(1, null)) {
            assertEquals(128, dict.capacity());
            assertThrows(IllegalArgumentException.class, () -> dict.ensureCapacity(-1));
            dict.put(1, kept);
            NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> dict.get(12345));
            assertTrue(missing.getMessage().contains("12345") && missing.getMessage().contains("getOrDefault"),
                missing.getMessage());
            Node closed = Node.create(2, null);
            closed.close();
            assertThrows(IllegalStateException.class, () -> dict.put(2, closed));
            assertThrows(IllegalStateException.class, () -> dict.put(1, closed), "an overwrite checks too");
            assertThrows(WrongThreadException.class, () -> onAnotherThread(node -> dict.put(3, node)));
            @SuppressWarnings({"unchecked", "rawtypes"})
            LongRefDict<CyObject> raw = (LongRefDict) dict;
            try (Adder adder = Adder.create(1)) {
                assertThrows(ClassCastException.class, () -> raw.put(4, adder), "the dict checks its value class");
                assertEquals(1, count(adder));
            }
            assertEquals(1, dict.size());
            assertEquals(kept.payload(), dict.get(1).payload());
            assertEquals(2, count(kept), "no failed store took or dropped a count");
        }
        assertEquals(0, live(Node.class));
    }

    /**
     * Makes a node on another thread, hands it to {@code store} on this one, then lets that
     * thread close it; rethrows what {@code store} threw.
     */
    static void onAnotherThread(Consumer<Node> store) throws Exception {
        CountDownLatch made = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Node> foreign = new AtomicReference<>();
        Thread owner = new Thread(() -> {
            try (Node node = Node.create(3, null)) {
                foreign.set(node);
                made.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        owner.start();
        made.await();
        try {
            store.accept(foreign.get());
        } finally {
            done.countDown();
            owner.join();
        }
    }

    @SuppressWarnings({"cypclass:cross-thread-capture", "cypclass:use-after-close"}) // checks the WrongThreadException another thread gets; the run-time error of a closed reference
    @Test
    void anotherThreadAndAClosedDictAreRefused() throws Exception {
        LongRefDict<Node> dict = LongRefDict.create(Node.class);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                dict.get(1);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.start();
        other.join();
        assertInstanceOf(WrongThreadException.class, thrown.get());
        dict.close();
        assertThrows(IllegalStateException.class, () -> dict.get(1));
        assertThrows(IllegalStateException.class, dict::cursor);
    }

    @Test
    void aCursorReusesOneReferenceFailsFastOnResizeAndToleratesOverwrites() {
        try (LongRefDict<Node> dict = LongRefDict.create(Node.class)) {
            for (int i = 0; i < 5; i++) {
                try (Node node = Node.create(i, null)) {
                    dict.put(i, node);
                }
            }
            LongRefDict.Cursor<Node> cursor = dict.cursor();
            assertThrows(NoSuchElementException.class, cursor::value);
            long sum = 0;
            Node value = null;
            while (cursor.next()) {
                Node current = cursor.value();
                if (value != null) {
                    assertSame(value, current, "re-pointed, not reallocated");
                }
                value = current;
                sum += cursor.key() * current.payload();
            }
            assertEquals(1 + 4 + 9 + 16, sum);
            assertSame(cursor, dict.cursor(), "a finished cursor is recycled");

            LongRefDict.Cursor<Node> walking = dict.cursor();
            walking.next();
            try (Node replacement = Node.create(9, null)) {
                walking.setValue(replacement);
                dict.put(1, replacement);                           // an overwrite: not a change of size
                assertEquals(3, count(replacement));
            }
            assertTrue(walking.next());
            assertEquals(9, walking.value().payload());
            walking.remove();                                        // the cursor's own removal releases
            assertEquals(1, count(dict.get(0)));
            assertTrue(walking.next());
            assertEquals(2, walking.key());
            dict.put(100, null);
            assertThrows(ConcurrentModificationException.class, walking::next);
            LongRefDict.Cursor<Node> third = dict.cursor();
            third.next();
            dict.clear();
            assertThrows(ConcurrentModificationException.class, third::next);
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void afterManyRemovalsAndReinsertionsEveryKeyIsFoundInInsertionOrderAndCountsAreExact() {
        SplittableRandom random = new SplittableRandom(11);
        Map<Long, Long> model = new LinkedHashMap<>();
        try (LongRefDict<Node> dict = LongRefDict.create(Node.class)) {
            for (int round = 0; round < 200_000; round++) {
                long key = random.nextLong(3_000);
                if (random.nextInt(3) == 0) {
                    model.put(key, (long) round);
                    try (Node node = Node.create(round, null)) {
                        dict.put(key, node);
                    }
                } else {
                    assertEquals(model.remove(key) != null, dict.remove(key));
                }
            }
            assertEquals(model.size(), dict.size());
            assertEquals(model.size(), live(Node.class), "every removed or overwritten value was released");
            assertTrue(dict.capacity() <= 8_192, "removed entries give their room back: capacity " + dict.capacity());
            for (Map.Entry<Long, Long> e : model.entrySet()) {
                assertEquals((long) e.getValue(), dict.get(e.getKey()).payload());
                assertEquals(1, count(dict.get(e.getKey())));
            }
            List<Long> order = new ArrayList<>();
            LongRefDict.Cursor<Node> cursor = dict.cursor();
            while (cursor.next()) {
                order.add(cursor.key());
            }
            assertEquals(new ArrayList<>(model.keySet()), order);
            for (long key = 0; key < 3_000; key++) {
                assertEquals(model.containsKey(key), dict.containsKey(key), "key " + key);
            }
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void destroyingADictOfAMillionReferencesReleasesEveryValueInConstantStack() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A 256 KiB stack: a recursive release of a million values would overflow it.
        Thread small = new Thread(null, () -> {
            try {
                LongRefDict<Node> dict = LongRefDict.create(Node.class, 1_000_000);
                for (int i = 0; i < 1_000_000; i++) {
                    try (Node node = Node.create(i, null)) {
                        dict.put(i, node);
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
        assertEquals(0, live(LongRefDict.class));
    }

    @Test
    void insertionOrderAndTheViewWorkForIntKeysToo() {
        try (IntRefDict<Node> dict = IntRefDict.create(Node.class)) {
            for (int k = 1; k <= 5; k++) {
                try (Node node = Node.create(k * 10, null)) {
                    dict.put(-k, node);
                }
            }
            dict.remove(-2);
            try (Node twenty = Node.create(20, null)) {
                dict.put(-2, twenty);                                // a re-insertion goes last
            }
            List<Integer> keys = new ArrayList<>();
            IntRefDict.Cursor<Node> cursor = dict.cursor();
            while (cursor.next()) {
                keys.add(cursor.key());
            }
            assertEquals(List.of(-1, -3, -4, -5, -2), keys);
            Map<Integer, Node> view = dict.asMap();
            assertEquals(20, view.get(-2).payload());
            assertNull(view.get(7));
            assertEquals(new ArrayList<>(view.keySet()), keys);
            try (Node hundred = Node.create(100, null)) {
                Node old = view.put(Integer.MIN_VALUE, hundred);
                assertNull(old);
                assertEquals(2, count(hundred));
            }
            assertEquals(100, dict.get(Integer.MIN_VALUE).payload());
            assertTrue(dict.toString().contains("IntRefDict"), dict.toString());
            assertTrue(dict.dump().contains("-1=<" + Node.class.getName()), dict.dump());
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void aCypclassHoldsDictsInItsFieldsAndReleasesThemWhenItDies() {
        try (Registry registry = Registry.create()) {
            try (LongRefDict<Node> byId = LongRefDict.create(Node.class)) {
                registry.byId(byId);
                try (Node a = Node.create(10, null); Node b = Node.create(32, null)) {
                    byId.put(1, a);
                    byId.put(2, b);
                }
            }
            LongRefDict<Node> byId = registry.byId();
            assertTrue(byId.isBorrowed());
            assertEquals(42, registry.totalPayload());
            assertTrue(registry.dump().contains("byId=<" + LongRefDict.class.getName() + " object at"), registry.dump());
        }
        assertEquals(0, live(LongRefDict.class));
        assertEquals(0, live(Node.class));
    }
}
