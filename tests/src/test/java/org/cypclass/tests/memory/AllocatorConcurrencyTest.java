package org.cypclass.tests.memory;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.NativeAccess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The allocator under load from several threads: blocks handed between threads and freed
 * there, each block stamped by its owner and checked before it is freed, so that a block
 * ever given to two owners at once shows up as a wrong stamp.
 */
class AllocatorConcurrencyTest {

    private static final String NAME = "org.cypclass.tests.StressBlock";
    private static final int TYPE = BlockTypes.register(NAME);
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final int[] SIZES = {16, 24, 32, 48, 64, 200, 1000, 3000};

    @Test
    void blocksAllocatedOnOneThreadAndFreedOnAnotherStayIntactAndAccounted() throws Exception {
        int blocks = 1_000_000;
        BlockingQueue<Long> queue = new ArrayBlockingQueue<>(4096);
        RefCountConcurrencyTest.runAll(3, index -> {
            if (index == 0) {
                for (int i = 0; i < blocks; i++) {
                    long block = Allocator.allocate(TYPE, SIZES[i % SIZES.length]);
                    stamp(block, i);
                    queue.put(block);
                }
                queue.put(0L);
                queue.put(0L);
            } else {
                // Two consumers free what the producer made, and allocate for themselves too.
                for (long block; (block = queue.take()) != 0; ) {
                    check(block);
                    Allocator.free(block);
                    long own = Allocator.allocate(TYPE, 32);
                    stamp(own, index);
                    check(own);
                    Allocator.free(own);
                }
            }
        });
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBlocks());
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBytes());
    }

    @Test
    void threadsAllocatingAndFreeingAtOnceNeverShareABlock() throws Exception {
        int rounds = 200;
        RefCountConcurrencyTest.runAll(4, index -> {
            long[] held = new long[1000];
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < held.length; i++) {
                    held[i] = Allocator.allocate(TYPE, SIZES[(i + round) % SIZES.length]);
                    stamp(held[i], index * 1_000_000L + i);
                }
                for (int i = 0; i < held.length; i++) {
                    long expected = index * 1_000_000L + i;
                    if ((long) LONG.get(NativeAccess.ALL, held[i]) != expected) {
                        throw new AssertionError("block 0x" + Long.toHexString(held[i]) + " was overwritten by another owner");
                    }
                    Allocator.free(held[i]);
                }
            }
        });
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBlocks());
    }

    private static void stamp(long block, long value) {
        LONG.set(NativeAccess.ALL, block, value);
        LONG.set(NativeAccess.ALL, block + 8, ~value ^ block);
    }

    private static void check(long block) {
        long value = (long) LONG.get(NativeAccess.ALL, block);
        if ((long) LONG.get(NativeAccess.ALL, block + 8) != (~value ^ block)) {
            throw new AssertionError("block 0x" + Long.toHexString(block) + " was corrupted in transit");
        }
    }
}
