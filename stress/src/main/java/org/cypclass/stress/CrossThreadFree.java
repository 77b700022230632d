package org.cypclass.stress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.LocalHeap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Cross-thread frees beside allocation: blocks allocated by one thread are freed by another
 * (enough of them to push batches to the central lists), while a thread allocates; no block
 * may be handed out twice.
 *
 * <p>jcstress builds the state on one of its threads, sometimes the thread that then runs an
 * actor, so a fixed "freer" actor would free its own blocks about half the time. Instead the
 * state records the thread that allocated its blocks, and the free job goes, by a
 * compare-and-set (volatile), to an actor running on another thread: of two actors on two
 * threads at least one qualifies, so every instance takes the cross-thread path. Both actors
 * allocate as well, the winner after each free, so allocation races with the frees and with
 * the batches they push.
 *
 * <p>Results: r1 the duplicates among all live blocks, r2 whether the free ran on a thread
 * other than the allocating one (1), which the outcome table requires.
 */
@JCStressTest
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "freed on another thread; every live block distinct")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the free did not run on another thread: the test tested nothing")
@Outcome(expect = FORBIDDEN, desc = "a block was handed out twice")
@State
public class CrossThreadFree {

    private static final int TYPE = BlockTypes.register("stress.CrossThreadFree");
    private static final int BLOCKS = 64;
    private static final VarHandle FREER;

    static {
        try {
            FREER = MethodHandles.lookup().findVarHandle(CrossThreadFree.class, "freer", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long allocatingThread = Thread.currentThread().threadId();
    private final long[] toFree = new long[BLOCKS];
    private final long[] allocatedByFirst = new long[BLOCKS];
    private final long[] allocatedBySecond = new long[BLOCKS];
    /** The id of the thread that took the free job, 0 until one did (compare-and-set). */
    @SuppressWarnings("unused")     // through FREER
    private volatile long freer;

    /** Blocks of the thread that builds the state, for an actor on another thread to free. */
    public CrossThreadFree() {
        LocalHeap heap = LocalHeap.current();
        for (int i = 0; i < BLOCKS; i++) {
            toFree[i] = heap.allocate(TYPE, 512);
        }
    }

    /** Takes the free job if running on another thread than the allocating one and nobody took it. */
    private void work(long[] allocated) {
        LocalHeap heap = LocalHeap.current();
        long me = Thread.currentThread().threadId();
        boolean freeing = me != allocatingThread && FREER.compareAndSet(this, 0L, me);
        for (int i = 0; i < BLOCKS; i++) {
            if (freeing) {
                heap.free(toFree[i]);
            }
            allocated[i] = heap.allocate(TYPE, 512);
        }
    }

    /** First actor. */
    @Actor
    public void first() {
        work(allocatedByFirst);
    }

    /** Second actor. */
    @Actor
    public void second() {
        work(allocatedBySecond);
    }

    /** Counts duplicates among the live blocks, checks who freed, then frees the rest. */
    @Arbiter
    public void check(II_Result r) {
        long[] live = new long[2 * BLOCKS];
        System.arraycopy(allocatedByFirst, 0, live, 0, BLOCKS);
        System.arraycopy(allocatedBySecond, 0, live, BLOCKS, BLOCKS);
        Arrays.sort(live);
        int duplicates = 0;
        for (int i = 1; i < live.length; i++) {
            duplicates += live[i] == live[i - 1] ? 1 : 0;
        }
        r.r1 = duplicates;
        long freedBy = (long) FREER.getVolatile(this);
        r.r2 = freedBy != 0 && freedBy != allocatingThread ? 1 : 0;
        LocalHeap heap = LocalHeap.current();
        for (long block : live) {
            heap.free(block);
        }
        if (freedBy == 0) {
            for (long block : toFree) {
                heap.free(block);       // keep the heap clean even when the outcome already failed
            }
        }
    }
}
