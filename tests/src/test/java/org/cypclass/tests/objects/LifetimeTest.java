package org.cypclass.tests.objects;

import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Circle;
import org.cypclass.examples.Fragile;
import org.cypclass.examples.Node;
import org.cypclass.examples.Shape;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Destruction: dealloc hooks, inheritance, long chains, on the releasing thread. */
class LifetimeTest {

    @Test
    void freeingAMillionNodeListDoesNotOverflowTheStack() throws Exception {
        int length = 1_000_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                Node head = Node.create(0, null);
                for (int i = 1; i < length; i++) {
                    Node next = Node.create(i, head);
                    head.close();
                    head = next;
                }
                assertEquals(length, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks());
                head.close();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "list", 256 * 1024);
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks());
    }

    @Test
    void deallocRunsOnceWithTheFieldsReadableAndOverridesDispatch() {
        Shape.DEALLOCATED.clear();
        Shape shape = Shape.create(4);
        Circle circle = Circle.create(5, 2.0);
        shape.parent(circle);
        circle.close();
        assertTrue(Shape.DEALLOCATED.isEmpty(), "the field still holds the circle");
        shape.close();
        assertEquals(java.util.List.of("shape 4", "circle 5"), Shape.DEALLOCATED,
            "the shape's hook ran first, then releasing its field killed the circle, whose describe() is Circle's");
    }

    @Test
    void aFailingDeallocStillFreesEverythingAndClosesTheReference() {
        Fragile fragile = Fragile.create();
        try (Node node = Node.create(7, null)) {
            fragile.held(node);
        }
        fragile.failOnDealloc(true);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, fragile::close);
        assertEquals("dealloc failure for the test", e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(fragile.isOpen(), "the count was given back: the reference is closed");
        fragile.close();                    // and a second close does nothing
        assertEquals(0, MemoryStats.snapshot().of(Fragile.class.getName()).liveBlocks());
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks(), "the held node was released too");
    }

    @Test
    void aChildLayoutContinuesItsBaseLayout() {
        assertEquals(Shape.TYPE.layout().byteSize(), Circle.TYPE.offsetOf("kind"));
        assertEquals(Shape.TYPE.offsetOf("origin"), Circle.TYPE.offsetOf("origin"));
        assertEquals(Circle.TYPE.offsetOf("kind") + 8, Circle.TYPE.offsetOf("radius"), "double aligned to 8");
        try (Circle circle = Circle.create(3, 1.5)) {
            Shape asShape = circle;
            asShape.weight(3.5);
            assertEquals(3.5, circle.weight());
            assertEquals(Math.PI * 2.25, asShape.area(), 1e-12);
            try (Shape copy = asShape.newReference()) {
                assertTrue(copy instanceof Circle);
            }
        }
    }
}
