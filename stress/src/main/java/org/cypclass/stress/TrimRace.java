package org.cypclass.stress;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.LocalHeap;
import org.cypclass.memory.internal.NativeAccess;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Giving memory back beside allocation: one actor runs a trim pass ({@code MemoryStats.trim()}:
 * its own cache to the central lists, then every central batch examined, whole regions'
 * pages dropped and filed for reuse) while the other allocates blocks of the same size class,
 * taking central batches and reviving trimmed regions, and writes a marker in each. The
 * blocks are 6,000 bytes, ten to a region, so that the blocks the state builds and frees
 * and the ones the arbiter frees make whole regions within a few instances, and the pass and
 * the allocation meet on the same regions: a region trimmed while a block of it was live (or
 * handed out while the pass held it) shows as a marker read back as zero, a block revived
 * twice as a duplicate.
 *
 * <p>Results: r1 the duplicates among the allocated blocks, r2 how many times a block's
 * marks did not read back (checked by the allocating actor, then again by the arbiter).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "every block distinct and intact")
@Outcome(expect = FORBIDDEN, desc = "a block was handed out twice, or its pages dropped while it was live")
@State
public class TrimRace {

    private static final int TYPE = BlockTypes.register("stress.TrimRace");
    private static final int SIZE = 6000;
    private static final int BLOCKS = 24;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final long[] allocated = new long[BLOCKS];
    private int lost;

    /** Frees a few blocks of the class on the building thread, for the pass to find. */
    public TrimRace() {
        LocalHeap heap = LocalHeap.current();
        long[] blocks = new long[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = heap.allocate(TYPE, SIZE);
        }
        for (long block : blocks) {
            heap.free(block);
        }
    }

    /** Gives back what it can. */
    @Actor
    public void trimmer() {
        MemoryStats.trim();
    }

    /** Allocates, marks each block at both ends, and reads the marks back. */
    @Actor
    public void allocator() {
        LocalHeap heap = LocalHeap.current();
        for (int i = 0; i < BLOCKS; i++) {
            long block = heap.allocate(TYPE, SIZE);
            LONG.set(NativeAccess.ALL, block, ~block);
            LONG.set(NativeAccess.ALL, block + SIZE - 8, block);
            allocated[i] = block;
        }
        for (long block : allocated) {
            if ((long) LONG.get(NativeAccess.ALL, block) != ~block || (long) LONG.get(NativeAccess.ALL, block + SIZE - 8) != block) {
                lost++;
            }
        }
    }

    /** Counts duplicates and lost marks, then frees the blocks. */
    @Arbiter
    public void check(II_Result r) {
        long[] live = allocated.clone();
        Arrays.sort(live);
        int duplicates = 0;
        for (int i = 1; i < live.length; i++) {
            duplicates += live[i] == live[i - 1] ? 1 : 0;
        }
        for (long block : live) {     // and once more, after both actors: a late drop shows here
            if ((long) LONG.get(NativeAccess.ALL, block) != ~block || (long) LONG.get(NativeAccess.ALL, block + SIZE - 8) != block) {
                lost++;
            }
        }
        r.r1 = duplicates;
        r.r2 = lost;
        LocalHeap heap = LocalHeap.current();
        for (long block : duplicates == 0 ? live : Arrays.stream(live).distinct().toArray()) {
            heap.free(block);
        }
    }
}
