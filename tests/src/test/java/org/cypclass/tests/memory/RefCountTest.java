package org.cypclass.tests.memory;

import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.IllegalRefCountException;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference counting on a single thread, destruction, and every misuse with its exception. */
class RefCountTest {

    @Test
    void aNewObjectIsThreadLocalWithOneReference() {
        long object = TestObjects.newNode(0);
        assertEquals(1, RefCount.count(object));
        assertEquals(CyObjectHeader.LOCAL, RefCount.state(object));
        assertEquals(0, RefCount.gcCount(object));
        assertTrue(RefCount.release(object));
    }

    @Test
    void theLastReleaseRunsTheDestructorOnceThenFreesTheBlock() {
        int destroyedBefore = TestObjects.DESTROYED.get();
        long object = TestObjects.newNode(0);
        RefCount.retain(object);
        RefCount.retain(object);
        assertEquals(3, RefCount.count(object));
        assertFalse(RefCount.release(object));
        assertFalse(RefCount.release(object));
        assertEquals(destroyedBefore, TestObjects.DESTROYED.get());
        assertTrue(RefCount.release(object));
        assertEquals(destroyedBefore + 1, TestObjects.DESTROYED.get());
        assertFalse(Allocator.isAllocated(object), "the block is freed");
        long reused = TestObjects.newNode(0);
        assertEquals(object, reused, "and reused at once");
        RefCount.release(reused);
    }

    @Test
    void retainingADeadObjectNamesItAndChangesNothing() {
        long object = TestObjects.newNode(0);
        RefCount.release(object);
        IllegalRefCountException e = assertThrows(IllegalRefCountException.class, () -> RefCount.retain(object));
        assertTrue(e.getMessage().contains(String.format("<org.cypclass.tests.Node object at 0x%x>", object)), e.getMessage());
        assertTrue(e.getMessage().contains("dead"), e.getMessage());
        assertEquals(0, RefCount.count(object));
    }

    @Test
    void releasingPastZeroIsRefusedAndNeverFreesTwice() {
        int destroyedBefore = TestObjects.DESTROYED.get();
        long object = TestObjects.newNode(0);
        RefCount.release(object);
        IllegalRefCountException e = assertThrows(IllegalRefCountException.class, () -> RefCount.release(object));
        assertTrue(e.getMessage().contains("Node object at"), e.getMessage());
        assertEquals(0, RefCount.count(object), "never a negative count");
        assertEquals(destroyedBefore + 1, TestObjects.DESTROYED.get(), "destroyed exactly once");
        long a = TestObjects.newNode(0);
        long b = TestObjects.newNode(0);
        assertTrue(a != b, "the block went back to the free list once only");
        RefCount.release(a);
        RefCount.release(b);
    }

    @Test
    void sharedObjectsRefuseTheSameMisuse() {
        long object = TestObjects.newNode(0);
        RefCount.share(object);
        assertEquals(CyObjectHeader.SHARED | CyObjectHeader.ATOMIC_REFCOUNT, RefCount.state(object));
        RefCount.retain(object);
        assertFalse(RefCount.release(object));
        assertTrue(RefCount.release(object));
        assertThrows(IllegalRefCountException.class, () -> RefCount.release(object));
        assertThrows(IllegalRefCountException.class, () -> RefCount.retain(object));
        assertThrows(IllegalRefCountException.class, () -> RefCount.share(object));
        assertThrows(IllegalRefCountException.class, () -> RefCount.retainShared(object));
        assertThrows(IllegalRefCountException.class, () -> RefCount.releaseShared(object));
        assertEquals(0, RefCount.count(object), "refused calls leave the count at zero");
    }

    @Test
    void anotherThreadMayNotTouchAThreadLocalObject() throws Exception {
        long object = TestObjects.newNode(0);
        AtomicReference<Throwable> retain = new AtomicReference<>();
        AtomicReference<Throwable> release = new AtomicReference<>();
        AtomicReference<Throwable> share = new AtomicReference<>();
        Thread intruder = new Thread(() -> {
            retain.set(Gcc.thrownBy(() -> RefCount.retain(object)));
            release.set(Gcc.thrownBy(() -> RefCount.release(object)));
            share.set(Gcc.thrownBy(() -> RefCount.share(object)));
        }, "intruder");
        intruder.start();
        intruder.join();
        WrongThreadException e = assertInstanceOf(WrongThreadException.class, retain.get());
        assertTrue(e.getMessage().contains("Node object at"), e.getMessage());
        assertTrue(e.getMessage().contains("\"intruder\""), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(Thread.currentThread().threadId())), e.getMessage());
        assertInstanceOf(WrongThreadException.class, release.get());
        assertInstanceOf(WrongThreadException.class, share.get());
        assertEquals(1, RefCount.count(object), "the refused calls changed nothing");
        assertTrue(RefCount.release(object));
    }

    @Test
    void aSharedObjectIsUsableFromAnyThread() throws Exception {
        long object = TestObjects.newNode(0);
        RefCount.share(object);
        RefCount.retain(object);
        Thread other = new Thread(() -> RefCount.release(object));
        other.start();
        other.join();
        assertEquals(1, RefCount.count(object));
        assertTrue(RefCount.release(object));
    }

    @Test
    void destroyingAMillionLongChainUsesConstantStack() throws Exception {
        int length = 1_000_000;
        int destroyedBefore = TestObjects.DESTROYED.get();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A small stack makes recursion fail fast if the destruction were recursive.
        Thread thread = new Thread(null, () -> {
            try {
                long head = 0;
                for (int i = 0; i < length; i++) {
                    head = TestObjects.newNode(head);
                }
                assertEquals(length, MemoryStats.snapshot().of("org.cypclass.tests.Node").liveBlocks());
                assertTrue(RefCount.release(head));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "chain", 256 * 1024);
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(destroyedBefore + length, TestObjects.DESTROYED.get());
        assertEquals(0, MemoryStats.snapshot().of("org.cypclass.tests.Node").liveBlocks());
    }

    @Test
    void aFailingDestructorStillFreesItsObjectAndTheRestOfTheGraph() {
        int failing = BlockTypes.register("org.cypclass.tests.Failing", object -> {
            RefCount.release(TestObjects.next(object));
            throw new IllegalStateException("destructor failure for the test");
        });
        long child = TestObjects.newNode(0);
        long parent = RefCount.allocate(failing, TestObjects.SIZE);
        TestObjects.setNext(parent, child);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RefCount.release(parent));
        assertEquals("destructor failure for the test", e.getMessage());
        assertFalse(Allocator.isAllocated(parent));
        assertFalse(Allocator.isAllocated(child));
    }

    @Test
    void objectsMustHoldAHeader() {
        assertThrows(IllegalArgumentException.class, () -> RefCount.allocate(TestObjects.NODE, 16));
    }
}
