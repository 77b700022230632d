package org.cypclass.stress;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.GraphWalk;
import org.cypclass.memory.internal.LockWord;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.RefCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The lock word of a locked object, writers: two writers each add one to two plain fields under
 * the write lock. No two writers may be inside at once: no update is lost, both fields end at
 * 2. ({@link LockWordReaders} puts a reader beside a writer; jcstress runs no more actors than
 * there are CPUs, and CI machines have two.)
 */
@JCStressTest
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "both updates kept in both fields")
@Outcome(expect = FORBIDDEN, desc = "two writers at once: an update lost")
@State
public class LockWordExclusion {

    private static final int TYPE = BlockTypes.register("stress.LockWordExclusion");
    private static final VarHandle INT = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final long LEFT = CyObjectHeader.SIZE;
    private static final long RIGHT = CyObjectHeader.SIZE + 4;

    private final long object;

    /** A locked object, as {@code Isolated.lock()} makes one. */
    public LockWordExclusion() {
        object = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 8);
        GraphWalk.switchGraph(object, RefCount.owner(object), CyObjectHeader.LOCKED | CyObjectHeader.ATOMIC_REFCOUNT,
            CyObjectHeader.LOCKED_MEMBER | CyObjectHeader.ATOMIC_REFCOUNT, CyObjectHeader.OWNER_SHARED);
    }

    private void increment() {
        try {
            LockWord.write(object, Long.MAX_VALUE);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        int left = (int) INT.get(NativeAccess.ALL, object + LEFT);
        int right = (int) INT.get(NativeAccess.ALL, object + RIGHT);
        INT.set(NativeAccess.ALL, object + LEFT, left + 1);
        INT.set(NativeAccess.ALL, object + RIGHT, right + 1);
        LockWord.releaseWrite(object);
    }

    /** First writer. */
    @Actor
    public void writer1() {
        increment();
    }

    /** Second writer. */
    @Actor
    public void writer2() {
        increment();
    }

    /** Reads the final count and frees the object. */
    @Arbiter
    public void check(II_Result r) {
        r.r1 = (int) INT.get(NativeAccess.ALL, object + LEFT);
        r.r2 = (int) INT.get(NativeAccess.ALL, object + RIGHT);
        RefCount.releaseShared(object);
    }
}
