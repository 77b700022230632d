package org.cypclass.tests.memory;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.NativeAccess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The off-heap allocator: size classes, reuse, accounting, leak reports and bad input. */
class AllocatorTest {

    private static final int TYPE = BlockTypes.register("org.cypclass.tests.AllocatorProbe");
    private static final int OTHER = BlockTypes.register("org.cypclass.tests.OtherProbe");

    @Test
    void aFreedBlockIsTheNextBlockOfItsSizeOnTheSameThread() {
        long first = Allocator.allocate(TYPE, 32);
        Allocator.free(first);
        long second = Allocator.allocate(TYPE, 32);
        assertEquals(first, second, "freed memory is reused at once");
        long third = Allocator.allocate(TYPE, 30);
        assertTrue(third != second, "a live block is never handed out twice");
        Allocator.free(second);
        long fourth = Allocator.allocate(TYPE, 17);
        assertEquals(second, fourth, "17 and 32 bytes share the 32-byte class");
        Allocator.free(third);
        Allocator.free(fourth);
    }

    @Test
    void sizesRoundUpToTheirClassAndBlocksAreAlignedAndDisjoint() {
        int[] sizes = {1, 15, 16, 17, 32, 100, 1000, 1024, 1025, 4000, 8192, 8193, 100_000};
        long[] expected = {16, 16, 16, 32, 32, 112, 1008, 1024, 1152, 4096, 8192, 8193, 100_000};
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            long block = Allocator.allocate(TYPE, sizes[i]);
            assertEquals(expected[i], Allocator.usableSize(block), "usable size of a " + sizes[i] + "-byte request");
            assertEquals(0, block % 8, "blocks are 8-byte aligned");
            // the whole usable size is writable
            NativeAccess.segment(block, Allocator.usableSize(block)).fill((byte) i);
            ranges.add(new long[] {block, block + Allocator.usableSize(block)});
        }
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                assertTrue(ranges.get(i)[1] <= ranges.get(j)[0] || ranges.get(j)[1] <= ranges.get(i)[0], "blocks overlap");
            }
        }
        for (int i = 0; i < ranges.size(); i++) {
            assertEquals((byte) i, NativeAccess.segment(ranges.get(i)[0], 1).get(ValueLayout.JAVA_BYTE, 0), "no block was overwritten");
            Allocator.free(ranges.get(i)[0]);
        }
    }

    @Test
    void zeroedAllocationClearsRecycledMemory() {
        long block = Allocator.allocate(TYPE, 64);
        NativeAccess.segment(block, 64).fill((byte) 0x5A);
        Allocator.free(block);
        long zeroed = Allocator.allocateZeroed(TYPE, 64);
        assertEquals(block, zeroed);
        for (int i = 0; i < 64; i++) {
            assertEquals(0, NativeAccess.segment(zeroed, 64).get(ValueLayout.JAVA_BYTE, i));
        }
        Allocator.free(zeroed);
    }

    @Test
    void theHeapWalkFollowsBigBlocksFreedInAnyOrder() {
        long[] big = new long[5];
        for (int i = 0; i < big.length; i++) {
            big[i] = Allocator.allocate(OTHER, 10_000 + i);
        }
        java.util.function.Supplier<java.util.Set<Long>> walked = () -> {
            java.util.Set<Long> seen = new java.util.HashSet<>();
            Allocator.forEachLiveBlock((block, typeId, size) -> {
                if (typeId == OTHER) {
                    seen.add(block);
                }
            });
            return seen;
        };
        assertEquals(java.util.Set.of(big[0], big[1], big[2], big[3], big[4]), walked.get());
        Allocator.free(big[2]);                             // the middle
        Allocator.free(big[4]);                             // the most recent (the list's head)
        Allocator.free(big[0]);                             // the oldest (its tail)
        assertEquals(java.util.Set.of(big[1], big[3]), walked.get());
        Allocator.free(big[1]);
        Allocator.free(big[3]);
        assertTrue(walked.get().isEmpty());
    }

    @Test
    void aBigBlockCostsNoJavaObject() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 20 && best > 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                Allocator.free(Allocator.allocate(OTHER, 20_000));
            }
            best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / 1_000.0);
        }
        assertEquals(0.0, best, 0.01, "Java heap bytes per big allocation and free");
    }

    @Test
    void zeroingStopsAtTheLastByteAskedFor() {
        for (int bytes : new int[] {13, 64, 1001, 4087}) {
            long block = Allocator.allocate(TYPE, 4096);
            java.lang.foreign.MemorySegment view = NativeAccess.segment(block, 4096);
            view.fill((byte) 0x5A);
            NativeAccess.zero(block + 8, bytes);
            assertEquals((byte) 0x5A, view.get(ValueLayout.JAVA_BYTE, 7), "nothing before, " + bytes + " bytes");
            for (int i = 8; i < 8 + bytes; i++) {
                assertEquals(0, view.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " of " + bytes);
            }
            assertEquals((byte) 0x5A, view.get(ValueLayout.JAVA_BYTE, 8 + bytes), "nothing after, " + bytes + " bytes");
            Allocator.free(block);
        }
    }

    @Test
    void accountingCountsLiveBlocksAndBytesPerType() {
        MemoryStats before = MemoryStats.snapshot();
        long a = Allocator.allocate(TYPE, 32);
        long b = Allocator.allocate(TYPE, 48);
        long c = Allocator.allocate(OTHER, 20_000);
        MemoryStats during = MemoryStats.snapshot();
        assertEquals(before.liveBlocks() + 3, during.liveBlocks());
        assertEquals(before.liveBytes() + 32 + 48 + 20_000, during.liveBytes());
        assertEquals(2, during.of("org.cypclass.tests.AllocatorProbe").liveBlocks());
        assertEquals(80, during.of("org.cypclass.tests.AllocatorProbe").liveBytes());
        assertEquals(1, during.of("org.cypclass.tests.OtherProbe").liveBlocks());
        Allocator.free(a);
        Allocator.free(b);
        Allocator.free(c);
        MemoryStats after = MemoryStats.snapshot();
        assertEquals(before.liveBlocks(), after.liveBlocks());
        assertEquals(0, after.of("org.cypclass.tests.AllocatorProbe").liveBlocks());
    }

    @Test
    void leakReportListsLiveBlocksByType() {
        long a = Allocator.allocate(TYPE, 32);
        long b = Allocator.allocate(OTHER, 40_000);
        try {
            LeakReport report = LeakReport.create();
            assertTrue(report.blocksByType().get("org.cypclass.tests.AllocatorProbe").stream().anyMatch(block -> block.address() == a));
            assertTrue(report.blocksByType().get("org.cypclass.tests.OtherProbe").stream().anyMatch(block -> block.address() == b));
            String text = report.toString();
            assertTrue(text.contains("org.cypclass.tests.AllocatorProbe: 1 blocks"), text);
            assertTrue(text.contains(String.format("at 0x%x, 32 bytes", a)), text);
        } finally {
            Allocator.free(a);
            Allocator.free(b);
        }
        assertFalse(LeakReport.create().blocksByType().containsKey("org.cypclass.tests.AllocatorProbe"));
    }

    @Test
    void doubleFreeIsRefusedWithoutCorruptingTheFreeList() {
        long block = Allocator.allocate(TYPE, 32);
        Allocator.free(block);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Allocator.free(block));
        assertTrue(e.getMessage().contains("double free"), e.getMessage());
        assertTrue(e.getMessage().contains("AllocatorProbe"), e.getMessage());
        long again = Allocator.allocate(TYPE, 32);
        long other = Allocator.allocate(TYPE, 32);
        assertEquals(block, again);
        assertTrue(other != again, "the double free did not put the block on the free list twice");
        Allocator.free(again);
        Allocator.free(other);
    }

    @Test
    void badRequestsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Allocator.allocate(TYPE, 0));
        assertThrows(IllegalArgumentException.class, () -> Allocator.allocate(TYPE, -5));
        assertThrows(IllegalArgumentException.class, () -> Allocator.allocate(BlockTypes.count() + 1000, 32));
        assertThrows(IllegalArgumentException.class, () -> Allocator.allocate(-1, 32));
        assertThrows(IllegalArgumentException.class, () -> Allocator.allocate(-1, 1_000_000));
    }

    @Test
    void blocksFreedByAnotherThreadAreAccountedAndReused() throws Exception {
        int count = 10_000;
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = Allocator.allocate(TYPE, 64);
        }
        AtomicLong reused = new AtomicLong();
        Thread other = new Thread(() -> {
            Set<Long> freed = new HashSet<>();
            for (long block : blocks) {
                Allocator.free(block);
                freed.add(block);
            }
            long again = Allocator.allocate(TYPE, 64);
            if (freed.contains(again)) {
                reused.set(again);
            }
            Allocator.free(again);
        });
        other.start();
        other.join();
        assertTrue(reused.get() != 0, "the freeing thread reuses blocks it freed");
        assertEquals(0, MemoryStats.snapshot().of("org.cypclass.tests.AllocatorProbe").liveBlocks());
    }

    @Test
    void isBlockKnowsItsOwnBlocksFromTheirStartOnlyAndNothingElse() {
        long[] sizes = {1, 16, 24, 100, 1000, 4000, 100_000};
        List<Long> blocks = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            for (long size : sizes) {
                blocks.add(Allocator.allocate(TYPE, size));
            }
        }
        try {
            for (long block : blocks) {
                assertTrue(Allocator.isBlock(block), () -> "0x" + Long.toHexString(block));
                // The smallest block holds 16 bytes, and the next one's prefix follows: +16 is that prefix.
                for (long inside : new long[] {8, 16}) {
                    assertFalse(Allocator.isBlock(block + inside), "an address inside a block is not one");
                }
                assertFalse(Allocator.isBlock(block - 8), "nor its prefix");
                assertFalse(Allocator.isBlock(block + 3), "nor an unaligned address");
            }
            long malloced = NativeAccess.malloc(64);
            try {
                assertFalse(Allocator.isBlock(malloced), "memory from malloc is foreign");
            } finally {
                NativeAccess.free(malloced);
            }
            assertFalse(Allocator.isBlock(0));
            assertFalse(Allocator.isBlock(16), "an unmapped address is refused without being read");
        } finally {
            for (long block : blocks) {
                Allocator.free(block);
            }
        }
        long small = blocks.getFirst();
        long big = blocks.get(sizes.length - 1);
        assertTrue(Allocator.isBlock(small), "a freed small block stays a carved block of its chunk");
        assertFalse(Allocator.isAllocated(small));
        assertFalse(Allocator.isBlock(big), "a freed big block went back to the C library");
    }
}
