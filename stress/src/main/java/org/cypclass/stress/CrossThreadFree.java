package org.cypclass.stress;

import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.LocalHeap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * One thread frees blocks another thread allocated (enough to push batches to the shared
 * lists) while a third allocates: no block may be handed out twice.
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "every live block distinct")
@Outcome(expect = FORBIDDEN, desc = "a block was handed out twice")
@State
public class CrossThreadFree {

    private static final int TYPE = BlockTypes.register("stress.CrossThreadFree");
    private static final int BLOCKS = 96;

    private final long[] allocatedByHarness = new long[BLOCKS];
    private final long[] allocatedByActor = new long[BLOCKS];

    /** Blocks of the harness thread, which the freeing actor gives back. */
    public CrossThreadFree() {
        LocalHeap heap = LocalHeap.current();
        for (int i = 0; i < BLOCKS; i++) {
            allocatedByHarness[i] = heap.allocate(TYPE, 512);
        }
    }

    /** Frees another thread's blocks, pushing batches to the shared lists. */
    @Actor
    public void freer() {
        LocalHeap heap = LocalHeap.current();
        for (long block : allocatedByHarness) {
            heap.free(block);
        }
    }

    /** Allocates meanwhile, possibly taking those batches. */
    @Actor
    public void allocator() {
        LocalHeap heap = LocalHeap.current();
        for (int i = 0; i < BLOCKS; i++) {
            allocatedByActor[i] = heap.allocate(TYPE, 512);
        }
    }

    /** Counts duplicates among the live blocks, then frees them. */
    @Arbiter
    public void check(I_Result r) {
        long[] sorted = allocatedByActor.clone();
        java.util.Arrays.sort(sorted);
        int duplicates = 0;
        for (int i = 1; i < sorted.length; i++) {
            duplicates += sorted[i] == sorted[i - 1] ? 1 : 0;
        }
        r.r1 = duplicates;
        LocalHeap heap = LocalHeap.current();
        for (long block : allocatedByActor) {
            heap.free(block);
        }
    }
}
