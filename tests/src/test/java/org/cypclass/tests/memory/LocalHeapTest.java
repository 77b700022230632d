package org.cypclass.tests.memory;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.LocalHeap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The per-thread heap lookup: a thread always gets its own heap, even when thread ids share a cache slot. */
class LocalHeapTest {

    private static final String NAME = "org.cypclass.tests.HeapProbe";
    private static final int TYPE = BlockTypes.register(NAME);

    @Test
    void threadsWhoseIdsShareACacheSlotKeepTheirOwnHeaps() throws Exception {
        CyclicBarrier step = new CyclicBarrier(2);
        AtomicReference<LocalHeap> first = new AtomicReference<>();
        AtomicReference<LocalHeap> second = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread a = new Thread(() -> alternate(step, first, failure), "slot-a");
        // Thread ids are handed out at construction: skip 1023 so that b's id is a's + 1024,
        // the same slot of the 1024-entry cache.
        for (int i = 0; i < 1023; i++) {
            new Thread(() -> { });
        }
        Thread b = new Thread(() -> alternate(step, second, failure), "slot-b");
        assertEquals(a.threadId() + 1024, b.threadId(), "the test needs colliding ids");
        a.start();
        b.start();
        a.join();
        b.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertNotSame(first.get(), second.get());
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBlocks());
    }

    /** Takes turns with the other thread 1000 times: look the heap up, allocate, free. */
    private static void alternate(CyclicBarrier step, AtomicReference<LocalHeap> seen, AtomicReference<Throwable> failure) {
        try {
            LocalHeap mine = LocalHeap.current();
            seen.set(mine);
            for (int i = 0; i < 1000; i++) {
                step.await();
                assertSame(mine, LocalHeap.current(), "a thread got another thread's heap");
                mine.free(mine.allocate(TYPE, 48));   // asserts (enabled in tests) that it runs on its owner
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            step.reset();
        }
    }
}
