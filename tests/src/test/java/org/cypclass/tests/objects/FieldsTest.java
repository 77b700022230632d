package org.cypclass.tests.objects;

import org.cypclass.examples.Circle;
import org.cypclass.examples.Node;
import org.cypclass.examples.Shape;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field kind: zero at creation, read back what was written, arrays bounded, references counted. */
class FieldsTest {

    @Test
    void everyPrimitiveKindStartsZeroAndRoundTrips() {
        try (Shape shape = Shape.create(9)) {
            assertTrue(shape.visible());
            assertEquals(9, shape.id());
            assertEquals(0, shape.layer());
            assertEquals(0L, shape.created());
            assertEquals(0.0, shape.origin(2));
            assertNull(shape.parent(), "references start null");
            shape.visible(false);
            shape.layer((byte) -3);
            shape.flags((short) 0x7fff);
            shape.tag('Z');
            shape.id(Integer.MIN_VALUE);
            shape.created(Long.MAX_VALUE);
            shape.scale(1.5f);
            shape.weight(-2.25);
            for (int i = 0; i < Shape.ORIGIN_LENGTH; i++) {
                shape.origin(i, i + 0.5);
            }
            assertFalse(shape.visible());
            assertEquals((byte) -3, shape.layer());
            assertEquals((short) 0x7fff, shape.flags());
            assertEquals('Z', shape.tag());
            assertEquals(Integer.MIN_VALUE, shape.id());
            assertEquals(Long.MAX_VALUE, shape.created());
            assertEquals(1.5f, shape.scale());
            assertEquals(-2.25, shape.weight());
            assertEquals(2.5, shape.origin(2));
            assertTrue(shape.dump().contains("origin=[0.5, 1.5, 2.5]"), shape.dump());
        }
    }

    @Test
    void arrayIndexesAreChecked() {
        try (Shape shape = Shape.create(1)) {
            assertThrows(IndexOutOfBoundsException.class, () -> shape.origin(3));
            assertThrows(IndexOutOfBoundsException.class, () -> shape.origin(-1, 1.0));
            assertEquals(0.0, shape.weight(), "an out-of-bounds write touched nothing");
        }
    }

    @Test
    void assigningAReferenceRetainsTheNewTargetAndReleasesTheOld() {
        String nodes = Node.class.getName();
        try (Node head = Node.create(1, null)) {
            Node second = Node.create(2, null);
            head.next(second);
            second.close();
            assertEquals(2, MemoryStats.snapshot().of(nodes).liveBlocks(), "the field keeps the target alive");
            assertEquals(2, head.next().payload(), "a borrowed read, nothing to close");
            try (Node third = Node.create(3, null)) {
                head.next(third);
            }
            assertEquals(2, MemoryStats.snapshot().of(nodes).liveBlocks(), "the old target died, the new one lives");
            assertEquals(3, head.next().payload());
            head.next(null);
            assertEquals(1, MemoryStats.snapshot().of(nodes).liveBlocks());
        }
        assertEquals(0, MemoryStats.snapshot().of(nodes).liveBlocks());
    }

    @Test
    void selfAssignmentIsSafe() {
        try (Node head = Node.create(1, null); Node target = Node.create(2, null)) {
            head.next(target);
            head.next(head.next());
            assertEquals(2, head.next().payload(), "storing a borrowed reference to the field's own target kept it alive");
        }
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks());
    }

    @Test
    void aReferenceFieldAcceptsSubclassesAndReturnsTheRuntimeClass() {
        try (Shape holder = Shape.create(1); Circle circle = Circle.create(2, 1.0)) {
            holder.parent(circle);
            try (Shape read = holder.parent()) {
                assertTrue(read instanceof Circle, "the reference has the instance's runtime class");
                assertEquals(Math.PI, read.area(), 1e-12, "and dispatches virtually");
                assertEquals("circle 2", read.describe());
            }
        }
    }

    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    @Test
    void closedOrForeignValuesAreRefused() {
        try (Node head = Node.create(1, null)) {
            Node closed = Node.create(2, null);
            closed.close();
            assertThrows(IllegalStateException.class, () -> head.next(closed));
            assertNull(head.next());
        }
    }

    @Test
    void aSubclassDoesNotMakeItsBaseThroughAnInheritedFactory() throws ReflectiveOperationException {
        // Shape.create(int) would be inherited by Circle: Cy_Circle hides it with a factory that
        // throws. Circle.create(7) does not compile (ProcessorErrorsTest); reflection still finds it.
        java.lang.reflect.Method hiding = Circle.class.getMethod("create", int.class);
        assertEquals("org.cypclass.examples.Cy_Circle", hiding.getDeclaringClass().getName());
        java.lang.reflect.InvocationTargetException thrown = assertThrows(java.lang.reflect.InvocationTargetException.class,
            () -> hiding.invoke(null, 7));
        UnsupportedOperationException e = (UnsupportedOperationException) thrown.getCause();
        assertTrue(e.getMessage().contains("Circle.create(int) is a factory of a base cypclass"), e.getMessage());
        try (Shape shape = Shape.create(7)) {
            assertEquals(7, shape.id());
        }
    }
}
