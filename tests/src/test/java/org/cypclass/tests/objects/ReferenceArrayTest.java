package org.cypclass.tests.objects;

import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Circle;
import org.cypclass.examples.Group;
import org.cypclass.examples.Shape;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.generated.CyTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fixed-size arrays of references ({@code @Length(3) Shape[] members()}): each element retains
 * what is stored and releases what it held, reads are borrowed, the destructor releases every
 * element, and a bad index changes nothing.
 */
class ReferenceArrayTest {

    @AfterEach
    void forgetDeallocations() {
        Shape.DEALLOCATED.clear();
    }

    private static long live(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    private static long address(CyObject reference) {
        return reference.pointer().address();
    }

    @Test
    void elementsStartNullAndTheLengthIsTheDeclaredOne() {
        try (Group group = Group.create(1)) {
            assertEquals(3, Group.MEMBERS_LENGTH);
            assertEquals(2, Group.CHILDREN_LENGTH);
            for (int i = 0; i < Group.MEMBERS_LENGTH; i++) {
                assertNull(group.members(i));
            }
            assertNull(group.children(0));
            assertNull(group.children(1));
        }
    }

    @Test
    void eachElementRetainsWhatItHoldsAndOverwritingReleasesTheOld() {
        try (Group group = Group.create(1); Shape a = Shape.create(10); Shape b = Shape.create(20)) {
            group.members(0, a);
            group.members(2, a);
            assertEquals(3, RefCount.count(address(a)), "the reference and two elements");
            group.members(1, b);
            assertEquals(2, RefCount.count(address(b)));

            group.members(0, b);
            assertEquals(2, RefCount.count(address(a)), "overwriting element 0 released a");
            assertEquals(3, RefCount.count(address(b)));
            group.members(2, null);
            assertEquals(1, RefCount.count(address(a)), "storing null released a");
            assertNull(group.members(2));
            assertEquals(20, group.members(0).id());
            assertEquals(20, group.members(1).id());
        }
        assertEquals(0, live(Shape.class));
        assertEquals(0, live(Group.class));
    }

    @Test
    void overwritingTheLastHolderDestroysTheOldTarget() {
        try (Group group = Group.create(1)) {
            try (Shape a = Shape.create(10)) {
                group.members(1, a);
            }
            assertEquals(1, live(Shape.class), "the element keeps it alive");
            group.members(1, null);
            assertEquals(0, live(Shape.class));
            assertEquals(java.util.List.of("shape 10"), Shape.DEALLOCATED);
        }
    }

    @Test
    void storingAnElementsOwnTargetAgainIsSafe() {
        try (Group group = Group.create(1)) {
            try (Shape a = Shape.create(10)) {
                group.members(0, a);
            }
            group.members(0, group.members(0));
            assertEquals(10, group.members(0).id(), "retained before the old value was released");
            assertEquals(1, RefCount.count(address(group.members(0))));
        }
        assertEquals(0, live(Shape.class));
    }

    @Test
    void theDestructorReleasesEveryElement() {
        Group root = Group.create(0);
        try (Shape a = Shape.create(1); Circle c = Circle.create(2, 1.0); Group left = Group.create(3); Group right = Group.create(4)) {
            root.members(0, a);
            root.members(1, c);
            root.members(2, a);
            root.children(0, left);
            root.children(1, right);
            try (Shape inner = Shape.create(5)) {
                left.members(2, inner);
            }
        }
        assertEquals(3, live(Group.class));
        assertEquals(3, live(Shape.class) + live(Circle.class));
        root.close();
        assertEquals(0, live(Group.class), "the children went with the root");
        assertEquals(0, live(Shape.class) + live(Circle.class), "every element was released, also a twice-held one");
        assertTrue(Shape.DEALLOCATED.containsAll(java.util.List.of("shape 1", "circle 2", "shape 5")), Shape.DEALLOCATED.toString());
    }

    @Test
    void anIndexOutOfRangeThrowsAndChangesNothing() {
        try (Group group = Group.create(1); Shape a = Shape.create(10); Shape b = Shape.create(20)) {
            group.members(2, a);
            assertThrows(IndexOutOfBoundsException.class, () -> group.members(3, b));
            assertThrows(IndexOutOfBoundsException.class, () -> group.members(-1, b));
            assertThrows(IndexOutOfBoundsException.class, () -> group.children(2, group));
            assertThrows(IndexOutOfBoundsException.class, () -> group.members(3));
            assertThrows(IndexOutOfBoundsException.class, () -> group.members(Integer.MIN_VALUE));
            assertEquals(1, RefCount.count(address(b)), "b was not retained");
            assertEquals(2, RefCount.count(address(a)), "a was not released");
            assertEquals(10, group.members(2).id());
            assertNull(group.children(0));
            assertNull(group.children(1), "the element after the array (children follows members) is untouched");
        }
    }

    @Test
    void subclassInstancesComeBackWithTheirRuntimeClass() {
        try (Group group = Group.create(1)) {
            try (Circle circle = Circle.create(7, 2.0); Shape shape = Shape.create(8)) {
                group.members(0, circle);
                group.members(1, shape);
            }
            Shape first = group.members(0);
            assertInstanceOf(Circle.class, first);
            assertEquals("circle 7", first.describe());
            assertEquals(2.0, ((Circle) first).radius());
            assertSame(Shape.class, group.members(1).getClass());
            assertEquals(Math.PI * 4, group.area(), 1e-12, "virtual methods dispatch on each element's class");
        }
    }

    @Test
    void elementReadsAreBorrowedAndFailOnceTheTargetDies() {
        try (Group group = Group.create(1)) {
            try (Shape a = Shape.create(10)) {
                group.members(0, a);
            }
            long at = address(group.members(0));
            Shape borrowed = group.members(0);
            for (int i = 0; i < 1000; i++) {
                assertEquals(10, group.members(0).id());
            }
            assertTrue(borrowed.isBorrowed());
            assertEquals(1, RefCount.count(at), "reads took no count");
            borrowed.close();
            assertEquals(1, RefCount.count(at), "closing a borrowed reference does nothing");

            try (Shape owned = borrowed.newReference()) {
                group.members(0, null);
                assertEquals(10, owned.id(), "an owned reference taken from a borrowed one keeps the target alive");
            }
            assertFalse(borrowed.isOpen(), "the target died with its last owner");
            IllegalStateException e = assertThrows(IllegalStateException.class, borrowed::id);
            assertTrue(e.getMessage().contains("borrowed"), e.getMessage());
        }
    }

    @Test
    void aTreeOfItsOwnTypeIsReleasedWhole() {
        Group root = Group.create(1);
        Group level = root;
        for (int depth = 0; depth < 10; depth++) {
            try (Group left = Group.create(2 * depth); Group right = Group.create(2 * depth + 1)) {
                level.children(0, left);
                level.children(1, right);
            }
            level = level.children(0);
        }
        assertEquals(21, live(Group.class));
        assertEquals(7, root.children(0).children(0).children(0).children(1).id());
        root.close();
        assertEquals(0, live(Group.class));
    }

    @SuppressWarnings("cypclass:cross-thread-capture") // checks the WrongThreadException another thread gets
    @Test
    void anotherThreadMayNotReadOrWriteElements() throws Exception {
        try (Group group = Group.create(1); Shape a = Shape.create(10)) {
            group.members(0, a);
            AtomicReference<Throwable> read = new AtomicReference<>();
            AtomicReference<Throwable> write = new AtomicReference<>();
            Thread other = new Thread(() -> {
                read.set(catching(() -> group.members(0)));
                write.set(catching(() -> group.members(1, null)));
            });
            other.start();
            other.join();
            assertInstanceOf(WrongThreadException.class, read.get());
            assertInstanceOf(WrongThreadException.class, write.get());
            assertEquals(2, RefCount.count(address(a)));
        }
    }

    private static Throwable catching(Runnable action) {
        try {
            action.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void theDumpPrintsEachElement() {
        try (Group group = Group.create(4); Shape a = Shape.create(10)) {
            group.members(1, a);
            String dump = group.dump();
            assertTrue(dump.contains("id=4"), dump);
            assertTrue(dump.contains("members=[null, <org.cypclass.examples.Shape object at 0x"), dump);
            assertTrue(dump.contains(">, null], children=[null, null]"), dump);
        }
    }

    @Test
    void rawHandlesOnAReferenceArrayAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CyTypes.writer(Group.TYPE, "children"),
            "a var handle would write raw addresses into the slots");
        assertThrows(IllegalArgumentException.class, () -> CyTypes.reader(Group.TYPE, "members"));
        assertThrows(IllegalArgumentException.class, () -> CyTypes.reference(Group.TYPE, "members", Shape.class),
            "a scalar accessor on an array would see element 0 only");
        assertThrows(IllegalArgumentException.class, () -> CyTypes.referenceArray(Group.TYPE, "id", Shape.class));
        assertEquals(3, CyTypes.referenceArray(Group.TYPE, "members", Shape.class).length());
    }
}
