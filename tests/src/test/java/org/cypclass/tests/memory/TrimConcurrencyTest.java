package org.cypclass.tests.memory;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.Trimmer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Giving memory back while threads allocate and free: trim passes run back to back against
 * workers that fill and empty whole regions of shared size classes, so regions are trimmed
 * and revived under them; a block given to two owners, or whose pages were dropped while it
 * was live, shows up as a wrong pattern. And a revived block never shows a stamp taken before
 * its region was trimmed.
 */
class TrimConcurrencyTest {

    private static final String NAME = "org.cypclass.tests.TrimBlock";
    private static final int TYPE = BlockTypes.register(NAME);
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final int[] SIZES = {24, 40, 40, 104};
    private static final int RARE_SIZE = 5000;
    /** Class 3,072: 21 blocks per region, 856 bytes left. */
    private static final int CARVED_SIZE = 3_000;

    @Test
    void trimPassesRacingAllocationNeverLoseOrShareALiveBlock() throws Exception {
        long givenBefore = Trimmer.givenBack();
        long revivedBefore = Trimmer.revivedCount();
        AtomicBoolean done = new AtomicBoolean();
        RefCountConcurrencyTest.runAll(4, index -> {
            if (index == 0) {
                while (!done.get()) {
                    MemoryStats.trim();
                }
                return;
            }
            try {
                long[] held = new long[12_000];
                for (int round = 0; round < 60; round++) {
                    int size = SIZES[(round + index) % SIZES.length];
                    for (int i = 0; i < held.length; i++) {
                        held[i] = Allocator.allocate(TYPE, size);
                        fill(held[i], size, index * 1_000_000_000L + round * 100_000L + i);
                    }
                    for (int i = 0; i < held.length; i++) {
                        check(held[i], size, index * 1_000_000_000L + round * 100_000L + i);
                        Allocator.free(held[i]);
                    }
                }
            } finally {
                if (index == 1) {
                    done.set(true);
                }
            }
        });
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBlocks());
        assertTrue(Trimmer.givenBack() > givenBefore, "no region was given back during the race");
        assertTrue(Trimmer.revivedCount() > revivedBefore, "no trimmed region was used again during the race");
    }

    @Test
    void aRevivedBlockNeverShowsAStampTakenBeforeTheTrim() throws Exception {
        RefCountConcurrencyTest.runAll(1, index -> {
            // A size few other tests use, so that the blocks come from regions this test carves, not
            // from free blocks other tests left in regions that are not wholly free.
            int count = 3_000;
            Map<Long, Long> stamps = new HashMap<>();
            long[] held = new long[count];
            for (int i = 0; i < count; i++) {
                held[i] = Allocator.allocate(TYPE, RARE_SIZE);
                stamps.put(held[i], Allocator.stamp(Allocator.stampAddress(held[i])));
            }
            for (long block : held) {
                Allocator.free(block);
            }
            long givenBefore = Trimmer.givenBack();
            MemoryStats.trim();
            assertTrue(Trimmer.givenBack() > givenBefore, "freeing " + count + " blocks left no whole region to give back");
            for (Map.Entry<Long, Long> old : stamps.entrySet()) {
                assertNotEquals(old.getValue(), Allocator.stamp(old.getKey()), "a freed block still shows its stamp");
            }
            int reused = 0;
            for (int i = 0; i < count; i++) {
                held[i] = Allocator.allocate(TYPE, RARE_SIZE);
                Long before = stamps.get(held[i]);
                if (before != null) {
                    reused++;
                    long now = Allocator.stamp(Allocator.stampAddress(held[i]));
                    assertTrue((now & 0xFFFF_FFFFL) > (before & 0xFFFF_FFFFL),
                        "the block at 0x" + Long.toHexString(held[i]) + " came back with generation " + (now & 0xFFFF_FFFFL)
                            + ", not past " + (before & 0xFFFF_FFFFL));
                }
            }
            for (long block : held) {
                Allocator.free(block);
            }
            assertTrue(reused > count / 2, "only " + reused + " of " + count + " blocks came from the given-back regions");
        });
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBlocks());
    }

    /**
     * A thread that carves a size class to the very end of a region, then frees everything:
     * every region it carved goes back, the last one included. (The last one used to stay open
     * until the class was carved again, which after a spike, with refills coming from batches,
     * may never happen.) A block whose pages were dropped reads a zero prefix.
     *
     * <p>Other tests in this JVM may have left batches of this class in the central lists, whose
     * regions hold blocks this thread never sees; so the thread allocates until it holds four
     * whole regions, the last block it took completing one, and only whole regions are checked.
     */
    @Test
    void aRegionCarvedToTheEndGoesBackToo() throws Exception {
        // What another test may leave: a dead thread's batch of this class, in regions whose other
        // blocks stay live; this thread's first refill takes it.
        long[] othersLive = new long[30];
        RefCountConcurrencyTest.runAll(1, index -> {
            for (int i = 0; i < 2 * othersLive.length; i++) {
                long block = Allocator.allocate(TYPE, CARVED_SIZE);
                if (i % 2 == 0) {
                    Allocator.free(block);
                } else {
                    othersLive[i / 2] = block;
                }
            }
        });
        try {
            RefCountConcurrencyTest.runAll(1, index -> {
                int perRegion = 21;
                List<Long> held = new ArrayList<>();
                Map<Long, Integer> perRegionHeld = new HashMap<>();
                int whole = 0;
                boolean lastCompletedARegion = false;
                while (!(whole >= 4 && lastCompletedARegion)) {
                    assertTrue(held.size() < 100 * perRegion, "4 whole regions not reached in " + held.size() + " blocks");
                    long block = Allocator.allocate(TYPE, CARVED_SIZE);
                    held.add(block);
                    int n = perRegionHeld.merge(regionOf(block), 1, Integer::sum);
                    lastCompletedARegion = n == perRegion;
                    if (lastCompletedARegion) {
                        whole++;
                    }
                }
                for (long block : held) {
                    Allocator.free(block);
                }
                MemoryStats.trim();
                int kept = 0;
                int checked = 0;
                for (long block : held) {
                    if (perRegionHeld.get(regionOf(block)) == perRegion) {
                        checked++;
                        if (Allocator.stamp(block) != 0) {
                            kept++;
                        }
                    }
                }
                assertEquals(whole * perRegion, checked);
                assertEquals(0, kept, kept + " of " + checked + " freed blocks of whole regions are still resident after trim()");
            });
        } finally {
            for (long block : othersLive) {
                Allocator.free(block);
            }
        }
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBlocks());
    }

    /**
     * A thread that carved part of a region, freed its blocks and ended with no thread after
     * it: its heap is retired, its free blocks go to the central lists and the region's uncarved
     * tail to the shelf, which keeps the region open. The trimmer still gives that region back
     * (the tail leaves the shelf with it), and the class is carved again afterwards.
     */
    @Test
    void aRetiredHeapsShelvedTailGoesBackWithItsRegion() throws Exception {
        int size = 6_500;           // class 6,528: 10 blocks per region
        java.util.concurrent.atomic.AtomicReference<org.cypclass.memory.internal.LocalHeap> heap =
            new java.util.concurrent.atomic.AtomicReference<>();
        List<Long> blocks = new ArrayList<>();
        Thread owner = new Thread(() -> {
            heap.set(org.cypclass.memory.internal.LocalHeap.current());
            // Until 5 blocks sit in a region whose slot 0 this thread carved (a shelved tail of
            // another test's heap may come first): that region keeps a 5-block tail.
            long fresh = 0;
            int inFresh = 0;
            while (inFresh < 5) {
                long block = Allocator.allocate(TYPE, size);
                blocks.add(block);
                if (block == regionOf(block) + 8) {
                    fresh = regionOf(block);
                    inFresh = 0;
                }
                if (fresh != 0 && regionOf(block) == fresh) {
                    inFresh++;
                }
                assertTrue(blocks.size() < 40, "no fresh region in " + blocks.size() + " blocks");
            }
            for (long block : blocks) {
                Allocator.free(block);
            }
        });
        owner.start();
        owner.join();
        owner = null;   // the collector finding the Thread unreachable is what retires its heap
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (!heap.get().isRetired() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(heap.get().isRetired(), "the ended thread's heap was not retired");
        long lastRegion = regionOf(blocks.get(blocks.size() - 1));
        List<Long> inLast = new ArrayList<>();
        for (long block : blocks) {
            if (regionOf(block) == lastRegion) {
                inLast.add(block);
            }
        }
        assertEquals(lastRegion + 8, inLast.get(0), "the thread's last region was fresh: its blocks start at slot 0");
        assertEquals(5, inLast.size(), "blocks in the thread's last region");
        // isRetired() turns true as the retirer starts handing the heap's lists and tails over:
        // trim until the region is given back, or a deadline.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        boolean given;
        do {
            MemoryStats.trim();
            given = inLast.stream().allMatch(block -> Allocator.stamp(block) == 0);
        } while (!given && System.nanoTime() < until && sleep(10));
        for (long block : inLast) {
            assertEquals(0, Allocator.stamp(block), "block 0x" + Long.toHexString(block) + " of a region kept open by its"
                + " shelved tail is still resident after trim()");
        }
        // The class is carved again, the region revived or a new one cut.
        long again = Allocator.allocate(TYPE, size);
        assertNotEquals(0, Allocator.stamp(again));
        Allocator.free(again);
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBlocks());
    }

    /** Sleeps; {@return true, for use in a loop condition} */
    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** {@return the 64 KiB region (ChunkSpace.REGION_SIZE) that holds {@code block}, whose 8-byte prefix is in it too} */
    private static long regionOf(long block) {
        return (block - 8) & -(64 * 1024L);
    }

    private static void fill(long block, int size, long value) {
        for (int offset = 0; offset + 8 <= size; offset += 8) {
            LONG.set(NativeAccess.ALL, block + offset, value ^ offset);
        }
    }

    private static void check(long block, int size, long value) {
        for (int offset = 0; offset + 8 <= size; offset += 8) {
            long found = (long) LONG.get(NativeAccess.ALL, block + offset);
            if (found != (value ^ offset)) {
                throw new AssertionError("block 0x" + Long.toHexString(block) + " reads 0x" + Long.toHexString(found) + " at +"
                    + offset + ": overwritten by another owner or dropped while live");
            }
        }
    }
}
