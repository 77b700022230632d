package org.cypclass.tests.capabilities;

import java.lang.reflect.Method;

import org.cypclass.examples.Node;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live object's stamp is a 32-bit generation that each change of capability or owner renews;
 * a freed block is retired at the last one, but a live one cannot be. Once an object of a graph
 * is that close to the end, the change is refused with a clear exception before anything
 * changes, so a stamp never repeats (a stale borrowed reference could otherwise pass its check
 * again). The generation is set near its end through the block prefix, reached by reflection.
 */
class StampExhaustionTest {

    private static final long LAST = 0xFFFF_FFFFL;

    /** Sets the generation of {@code object}'s stamp, keeping the rest of its prefix. */
    private static void setGeneration(long object, long generation) throws ReflectiveOperationException {
        Class<?> prefix = Class.forName("org.cypclass.memory.internal.BlockPrefix");
        Method read = prefix.getDeclaredMethod("read", long.class);
        Method write = prefix.getDeclaredMethod("write", long.class, long.class);
        read.setAccessible(true);
        write.setAccessible(true);
        long at = Allocator.stampAddress(object);
        long word = (long) read.invoke(null, at);
        write.invoke(null, at, (word & ~LAST) | generation);
    }

    private static long generation(long object) {
        return Allocator.stamp(Allocator.stampAddress(object)) & LAST;
    }

    @Test
    void aGraphWhoseStampWouldRepeatIsNotConsumedAndStaysUsable() throws Exception {
        long tailInstance;
        Node head;
        try (Node tail = Node.create(2, null)) {
            tailInstance = tail.pointer().address();
            head = Node.create(1, tail);
        }                                       // head's field holds the tail's last count
        try (head) {
            setGeneration(tailInstance, LAST - 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Isolated.consume(head));
            assertTrue(e.getMessage().contains("Node object at 0x" + Long.toHexString(tailInstance)), e.getMessage());
            assertTrue(e.getMessage().contains("this change is refused; copy it into a new object"), e.getMessage());
            assertEquals(LAST - 1, generation(tailInstance), "no stamp renewed");
            assertTrue(head.isOpen(), "the reference was not consumed");
            assertEquals(2, head.next().payload());
            assertEquals(1, RefCount.count(tailInstance), "counts restored after the trial deletion");
        }
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks());
    }

    @Test
    void twoRenewalsLeftAreEnoughForAConsumeAndItsFreeze() throws Exception {
        Node node = Node.create(3, null);
        long instance = node.pointer().address();
        setGeneration(instance, LAST - 2);
        try (Frozen<Node> frozen = Isolated.consume(node).freeze()) {
            assertEquals(LAST, generation(instance), "one renewal by the consume, one by the freeze");
            assertEquals(3, frozen.get().payload());
        }
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks(), "retired, not reused");
    }

    @Test
    void sharingAnObjectWhoseStampIsExhaustedIsRefused() throws Exception {
        try (Node node = Node.create(4, null)) {
            long instance = node.pointer().address();
            setGeneration(instance, LAST);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RefCount.share(instance));
            assertTrue(e.getMessage().contains("has changed capability or owner " + LAST + " times"), e.getMessage());
            assertEquals(Thread.currentThread().threadId(), RefCount.owner(instance), "still thread-local");
            assertEquals(LAST, generation(instance));
            assertEquals(4, node.payload());
        }
    }
}
