package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Circle;
import org.cypclass.examples.Inventory;
import org.cypclass.examples.Node;
import org.cypclass.examples.Shape;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.RefList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RefList}: every slot holds one count (retained on store, released on overwrite,
 * removal, clear and destruction), reads are borrowed, stores are checked as field sets are,
 * cursors re-point one reference and fail fast, destruction of huge or deeply nested lists runs
 * in constant stack, and a cypclass can hold lists in its fields.
 */
class RefListTest {

    @AfterEach
    void forgetDeallocations() {
        Shape.DEALLOCATED.clear();
    }

    private static long live(Class<?> type) {
        MemoryStats.TypeStats stats = MemoryStats.snapshot().of(type.getName());
        return stats == null ? 0 : stats.liveBlocks();
    }

    private static int count(CyObject reference) {
        return RefCount.count(reference.pointer().address());
    }

    @Test
    void slotsRetainWhatTheyHoldAndReleaseItOnOverwriteRemovalClearAndClose() {
        try (Node a = Node.create(1, null); Node b = Node.create(2, null)) {
            try (RefList<Node> list = RefList.create(Node.class)) {
                list.add(a);
                list.add(a);
                list.add(null);
                assertEquals(3, count(a), "the reference and two slots");
                list.set(2, b);
                assertEquals(2, count(b));
                list.set(0, b);
                assertEquals(2, count(a), "the overwrite released a");
                list.removeAt(1);
                assertEquals(1, count(a), "the removal released a");
                list.add(0, a);
                assertEquals(List.of(1L, 2L, 2L), payloads(list));
                list.clear();
                assertEquals(1, count(a));
                assertEquals(1, count(b), "clear released every slot");
                list.add(a);
                list.add(b);
                list.add(b);
            }
            assertEquals(1, count(a));
            assertEquals(1, count(b), "closing the list released every slot");
        }
        assertEquals(0, live(Node.class));
    }

    private static List<Long> payloads(RefList<Node> list) {
        List<Long> seen = new ArrayList<>();
        for (long i = 0; i < list.size(); i++) {
            seen.add(list.get(i).payload());
        }
        return seen;
    }

    @Test
    void theListMayHoldTheLastCountAndReadsAreBorrowedReferencesOfTheRuntimeClass() {
        try (RefList<Shape> list = RefList.create(Shape.class)) {
            try (Circle circle = Circle.create(7, 2.0); Shape shape = Shape.create(8)) {
                list.add(circle);
                list.add(shape);
            }
            Shape first = list.get(0);
            assertTrue(first.isBorrowed());
            assertInstanceOf(Circle.class, first, "the element's runtime class");
            assertEquals(7, first.id());
            Shape again = list.get(0);  // admitted by now: a free way, or its second miss (BorrowCache)
            assertSame(again, list.get(0), "the borrow cache hands out the same reference");
            Shape second = list.get(1);
            list.removeAt(1);                                  // the list held the last count
            assertEquals(List.of("shape 8"), Shape.DEALLOCATED);
            assertFalse(second.isOpen());
            assertThrows(IllegalStateException.class, second::id, "a borrowed reference never reads a dead element");
            assertEquals(1, list.size());
        }
        assertEquals(0, live(Shape.class));
        assertEquals(0, live(Circle.class));
    }

    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    @Test
    void storesAreCheckedAsFieldSetsAreAndABadStoreChangesAndLeaksNothing() throws Exception {
        try (RefList<Node> list = RefList.create(Node.class); Node kept = Node.create(1, null)) {
            list.add(kept);
            Node closed = Node.create(2, null);
            closed.close();
            assertThrows(IllegalStateException.class, () -> list.add(closed));
            assertThrows(IllegalStateException.class, () -> list.set(0, closed));
            assertThrows(IllegalStateException.class, () -> list.add(0, closed));
            assertThrows(IndexOutOfBoundsException.class, () -> list.add(5, kept));
            assertThrows(IndexOutOfBoundsException.class, () -> list.set(1, kept));
            assertThrows(IndexOutOfBoundsException.class, () -> list.get(1));
            assertThrows(IndexOutOfBoundsException.class, () -> list.removeAt(-1));
            assertEquals(2, count(kept), "no failed store took a count");

            assertThrows(WrongThreadException.class, () -> onAnotherThread(list::add));
            assertEquals(1, list.size());

            @SuppressWarnings({"unchecked", "rawtypes"})
            RefList<CyObject> raw = (RefList) list;
            try (Adder adder = Adder.create(1)) {
                assertThrows(ClassCastException.class, () -> raw.add(adder), "the list checks its element class");
                assertEquals(1, count(adder));
            }
            assertEquals(1, list.size());
        }
        assertEquals(0, live(Node.class));
        assertThrows(IllegalArgumentException.class, () -> RefList.create(Node.class, -1));
    }

    /**
     * Makes a node on another thread, hands it to {@code store} on this one, then lets that
     * thread close it; rethrows what {@code store} threw.
     */
    private static void onAnotherThread(java.util.function.Consumer<Node> store) throws Exception {
        java.util.concurrent.CountDownLatch made = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
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

    @Test
    void aCursorReusesOneReferenceFailsFastOnResizeAndToleratesOverwrites() {
        try (RefList<Node> list = RefList.create(Node.class)) {
            for (int i = 0; i < 5; i++) {
                try (Node node = Node.create(i, null)) {
                    list.add(node);
                }
            }
            RefList.Cursor<Node> cursor = list.cursor();
            long sum = 0;
            Node element = null;
            while (cursor.next()) {
                Node current = cursor.element();
                if (element != null) {
                    assertSame(element, current, "re-pointed, not reallocated");
                }
                element = current;
                sum += current.payload();
            }
            assertEquals(10, sum);
            assertThrows(NoSuchElementException.class, cursor::element);
            assertSame(cursor, list.cursor(), "a finished cursor is recycled");

            RefList.Cursor<Node> walking = list.cursor();
            walking.next();
            try (Node replacement = Node.create(9, null)) {
                walking.set(replacement);
                list.set(1, replacement);
            }
            assertTrue(walking.next(), "overwrites do not disturb a walk");
            assertEquals(9, walking.element().payload());
            list.removeAt(4);
            assertThrows(ConcurrentModificationException.class, walking::next);
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void aCursorOverMixedClassesHandsOutAReferenceOfEachElementsRuntimeClass() {
        try (RefList<Shape> list = RefList.create(Shape.class)) {
            try (Circle c1 = Circle.create(1, 1.0); Shape s2 = Shape.create(2); Shape s3 = Shape.create(3);
                 Circle c4 = Circle.create(4, 2.0)) {
                list.add(c1);
                list.add(s2);
                list.add(null);
                list.add(s3);
                list.add(c4);
            }
            List<String> seen = new ArrayList<>();
            RefList.Cursor<Shape> cursor = list.cursor();
            while (cursor.next()) {
                Shape shape = cursor.element();
                seen.add(shape == null ? "null" : shape.getClass().getSimpleName() + " " + shape.id());
            }
            assertEquals(List.of("Circle 1", "Shape 2", "null", "Shape 3", "Circle 4"), seen);

            RefList.Cursor<Shape> walking = list.cursor();
            walking.next();
            walking.next();
            Shape second = walking.element();
            list.set(1, null);                                 // the list held its last count
            assertFalse(second.isOpen());
            assertThrows(IllegalStateException.class, second::id, "a re-pointed reference still checks its target");
            walking.next();
            walking.next();
            assertEquals(3, walking.element().id(), "the next step re-points it at a live element");
        }
        assertEquals(0, live(Shape.class));
        assertEquals(0, live(Circle.class));
    }

    @Test
    void clearLeavesTheListUsableByDestructorsAndReleasesEverythingWhenOneFails() {
        try (RefList<Shape> list = RefList.create(Shape.class)) {
            for (int i = 0; i < 3; i++) {
                try (Shape shape = Shape.create(i)) {
                    list.add(shape);
                }
            }
            list.clear();
            assertEquals(List.of("shape 0", "shape 1", "shape 2"), Shape.DEALLOCATED);
            assertEquals(0, list.size());
            try (Shape again = Shape.create(5)) {
                list.add(again);
            }
            assertEquals(1, list.size());
        }
        assertEquals(0, live(Shape.class));
    }

    @Test
    void destroyingAListOfAMillionReferencesReleasesEveryElementInConstantStack() {
        RefList<Node> list = RefList.create(Node.class, 1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            try (Node node = Node.create(i, null)) {
                list.add(node);
            }
        }
        assertEquals(1_000_000, live(Node.class));
        list.close();
        assertEquals(0, live(Node.class));
        assertEquals(0, live(RefList.class));
    }

    @Test
    void destroyingAHundredThousandNestedListsRunsInConstantStack() {
        RefList<CyObject> outer = RefList.create(CyObject.class);
        RefList<CyObject> innermost = outer.newReference();
        for (int i = 0; i < 100_000; i++) {
            RefList<CyObject> inner = RefList.create(CyObject.class);
            innermost.add(inner);
            innermost.close();
            innermost = inner;
        }
        innermost.close();
        assertEquals(100_001, live(RefList.class));
        outer.close();                       // -Xss1m: a recursive destructor would overflow
        assertEquals(0, live(RefList.class));
    }

    @Test
    void aCypclassHoldsListsInItsFieldsAndReleasesThemWhenItDies() {
        try (Inventory inventory = Inventory.create()) {
            try (LongList counts = LongList.of(1, 2, 3); RefList<Node> nodes = RefList.create(Node.class)) {
                inventory.counts(counts);
                inventory.nodes(nodes);
                try (Node a = Node.create(10, null); Node b = Node.create(32, null)) {
                    nodes.add(a);
                    nodes.add(b);
                }
            }
            LongList counts = inventory.counts();
            assertTrue(counts.isBorrowed());
            counts.add(4);
            assertEquals(4, inventory.counts().size());
            assertEquals(42, inventory.totalPayload());
            assertNotSame(null, inventory.nodes());
            assertTrue(inventory.dump().contains("counts=<org.cypclass.objects.containers.LongList object at"), inventory.dump());
        }
        assertEquals(0, live(LongList.class));
        assertEquals(0, live(RefList.class));
        assertEquals(0, live(Node.class));
        assertNull(null);
    }
}
