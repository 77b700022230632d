package org.cypclass.tests.objects;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Big;
import org.cypclass.examples.Node;
import org.cypclass.examples.Wide;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Borrowed references: what reference-field getters return. They cost no count, need no close,
 * and fail cleanly once their target is gone, whatever now occupies its memory.
 */
class BorrowedReferenceTest {

    private static long live(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    private static long address(org.cypclass.objects.CyObject reference) {
        return reference.pointer().address();
    }

    @Test
    void chainedReadsTakeNoCount() {
        Node tail = Node.create(3, null);
        Node middle = Node.create(2, tail);
        Node head = Node.create(1, middle);
        long middleAt = address(middle);
        long tailAt = address(tail);
        middle.close();
        tail.close();
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += head.next().payload() + head.next().next().payload();
        }
        assertEquals(500_000, sum);
        assertEquals(1, RefCount.count(middleAt), "only head's field counts the middle node");
        assertEquals(1, RefCount.count(tailAt), "only the middle node's field counts the tail");
        assertEquals(3, live(Node.class));
        head.close();
        assertEquals(0, live(Node.class), "closing the one owned reference freed the whole chain");
    }

    @Test
    void aBorrowedReferenceOwnsNothingAndCloseDoesNothing() {
        try (Node head = Node.create(1, null)) {
            try (Node second = Node.create(2, null)) {
                head.next(second);
            }
            Node borrowed = head.next();
            assertTrue(borrowed.isBorrowed());
            assertFalse(head.isBorrowed());
            borrowed.close();
            borrowed.close();
            assertTrue(borrowed.isOpen(), "closing a borrowed reference gave nothing back");
            assertEquals(2, borrowed.payload());
            assertEquals(1, RefCount.count(address(borrowed)));
            assertTrue(borrowed.toString().endsWith("(borrowed)"), borrowed.toString());
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void newReferenceKeepsABorrowedTargetAliveAfterItsFieldLetsGo() {
        try (Node head = Node.create(1, null)) {
            try (Node second = Node.create(2, null)) {
                head.next(second);
            }
            Node borrowed = head.next();
            try (Node owned = borrowed.newReference()) {
                assertFalse(owned.isBorrowed());
                assertEquals(borrowed, owned, "same instance, so equal whatever the kinds");
                assertEquals(borrowed.hashCode(), owned.hashCode());
                head.next(null);
                assertEquals(2, live(Node.class), "the owned reference keeps the target alive");
                assertEquals(2, borrowed.payload(), "so the borrowed one stays valid too");
            }
            assertEquals(1, live(Node.class));
            assertFalse(borrowed.isOpen(), "its target has died");
        }
    }

    @Test
    void aBorrowedReferenceWhoseBlockWasReusedByAnotherTypeThrows() {
        try (Node head = Node.create(1, null)) {
            try (Node second = Node.create(2, null)) {
                head.next(second);
            }
            Node borrowed = head.next();
            long address = address(borrowed);
            head.next(null);
            try (Adder squatter = Adder.create(77)) {
                assertEquals(address, address(squatter), "the freed block is reused at once, by another type");
                IllegalStateException e = assertThrows(IllegalStateException.class, borrowed::payload);
                assertTrue(e.getMessage().contains("borrowed reference"), e.getMessage());
                assertTrue(e.getMessage().contains("Node object at 0x"), e.getMessage());
                assertTrue(e.getMessage().contains("newReference()"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> borrowed.payload(5));
                assertThrows(IllegalStateException.class, borrowed::next);
                assertThrows(IllegalStateException.class, () -> borrowed.next(null));
                assertThrows(IllegalStateException.class, borrowed::newReference);
                assertThrows(IllegalStateException.class, borrowed::gcReference);
                assertThrows(IllegalStateException.class, borrowed::pointer);
                assertThrows(IllegalStateException.class, () -> head.next(borrowed));
                assertDoesNotThrow(borrowed::close);
                assertFalse(borrowed.isOpen());
                assertTrue(borrowed.toString().endsWith("(borrowed, target gone)"), borrowed.toString());
                assertEquals(borrowed.toString(), borrowed.dump(), "no fields of a gone target are printed");
                assertEquals(77, squatter.value(), "the squatter's memory was not touched");
                assertEquals(1, RefCount.count(address(squatter)));
                assertNull(head.next());
            }
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void aBorrowedReferenceWhoseBlockHoldsANewInstanceOfTheSameTypeThrows() {
        try (Node head = Node.create(1, null)) {
            try (Node second = Node.create(2, null)) {
                head.next(second);
            }
            Node stale = head.next();
            long address = address(stale);
            head.next(null);
            try (Node successor = Node.create(3, null)) {
                assertEquals(address, address(successor), "same block, same type, a later allocation");
                assertThrows(IllegalStateException.class, stale::payload);
                assertEquals(3, successor.payload());
                head.next(successor);
                Node fresh = head.next();
                assertEquals(3, fresh.payload(), "a new borrow of the new instance works");
                assertThrows(IllegalStateException.class, stale::payload, "the old one still fails");
            }
        }
    }

    @Test
    void aBorrowedReferenceToADeadBigInstanceThrowsWithoutTouchingFreedMemory() {
        try (Big holder = Big.create()) {
            try (Big big = Big.create()) {
                big.data(1099, 42L);
                holder.next(big);
            }
            Big borrowed = holder.next();
            assertEquals(42L, borrowed.data(1099));
            holder.next(null);
            // The big block went back to the C library, which may have unmapped it; a stamp
            // kept in chunk memory is what the borrowed reference checks.
            assertThrows(IllegalStateException.class, () -> borrowed.data(1099));
            assertFalse(borrowed.isOpen());
            try (Big other = Big.create()) {
                holder.next(other);
                assertThrows(IllegalStateException.class, () -> borrowed.data(0));
                assertEquals(0L, holder.next().data(1099));
            }
        }
        assertEquals(0, live(Big.class));
    }

    @Test
    void anotherThreadMayNotUseABorrowedReference() throws Exception {
        try (Node head = Node.create(1, null)) {
            try (Node second = Node.create(2, null)) {
                head.next(second);
            }
            Node borrowed = head.next();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread intruder = new Thread(() -> failure.set(Gcc.thrownBy(borrowed::payload)), "intruder");
            intruder.start();
            intruder.join();
            WrongThreadException e = assertInstanceOf(WrongThreadException.class, failure.get());
            assertTrue(e.getMessage().contains("thread \"intruder\""), e.getMessage());
            assertEquals(2, borrowed.payload());
        }
    }

    @Test
    void aMillionNodeWalkRunsInConstantStack() throws Exception {
        int length = 1_000_000;
        AtomicLong sum = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread walker = new Thread(null, () -> {
            Node head = Node.create(0, null);
            try {
                for (int i = 1; i < length; i++) {
                    Node next = Node.create(i, head);
                    head.close();
                    head = next;
                }
                long total = 0;
                for (Node n = head; n != null; n = n.next()) {
                    total += n.payload();
                }
                sum.set(total);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                head.close();
            }
        }, "walker", 128 * 1024);
        walker.start();
        walker.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals((long) length * (length - 1) / 2, sum.get());
        assertEquals(0, live(Node.class));
    }

    @Test
    void repeatedWalksReuseTheBorrowedReferences() {
        // The nodes come from wherever the free lists of this thread's size class left blocks.
        // 40 nodes over the borrow cache's 512 sets of 4 ways: a set holding five of them (an
        // eviction) has a probability below 1e-5 for scattered blocks, and is impossible for
        // blocks carved one after the other.
        Wide head = Wide.create();
        for (int i = 1; i < 40; i++) {
            Wide next = Wide.create();
            next.payload(i);
            next.next(head);
            head.close();
            head = next;
        }
        try (Wide list = head) {
            // The cache admits a target into a full set on its second miss (BorrowCache), so each
            // target is read once before the reads whose identity is compared.
            list.next();
            Wide first = list.next();
            assertTrue(first == list.next(), "a later borrow of the same target hands out the same object");
            first.next();
            assertTrue(first.next() == first.next(), "through a borrowed holder too");
            for (Wide n = list.next(); n != null; n = n.next()) {
                assertTrue(n.isOpen());
            }
            java.util.List<Wide> pass = new java.util.ArrayList<>();
            for (Wide n = list.next(); n != null; n = n.next()) {
                pass.add(n);
            }
            int i = 0;
            for (Wide n = list.next(); n != null; n = n.next()) {
                assertTrue(pass.get(i++) == n, "the walk allocated no new reference");
            }
            assertEquals(39, i);
        }
        assertEquals(0, live(Wide.class));
    }
}
