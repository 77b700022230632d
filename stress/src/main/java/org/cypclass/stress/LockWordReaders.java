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
 * The lock word of a locked object, a reader beside a writer: the writer sets two plain fields
 * to 1 under the write lock, the reader reads both under a read lock. The reader sees both
 * before or both after, never one of them: no reader is inside while a writer is.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "read before the write")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "read after the write")
@Outcome(expect = FORBIDDEN, desc = "a reader beside a writer: a torn pair")
@State
public class LockWordReaders {

    private static final int TYPE = BlockTypes.register("stress.LockWordReaders");
    private static final VarHandle INT = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final long LEFT = CyObjectHeader.SIZE;
    private static final long RIGHT = CyObjectHeader.SIZE + 4;

    private final long object;

    /** A locked object, as {@code Isolated.lock()} makes one. */
    public LockWordReaders() {
        object = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 8);
        GraphWalk.switchGraph(object, RefCount.owner(object), CyObjectHeader.LOCKED | CyObjectHeader.ATOMIC_REFCOUNT,
            CyObjectHeader.LOCKED_MEMBER | CyObjectHeader.ATOMIC_REFCOUNT, CyObjectHeader.OWNER_SHARED);
    }

    /** Writes both fields under the write lock, one store at a time. */
    @Actor
    public void writer() {
        try {
            LockWord.write(object, Long.MAX_VALUE);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        INT.set(NativeAccess.ALL, object + LEFT, 1);
        INT.set(NativeAccess.ALL, object + RIGHT, 1);
        LockWord.releaseWrite(object);
    }

    /** Reads both fields under a read lock. */
    @Actor
    public void reader(II_Result r) {
        try {
            LockWord.read(object, Long.MAX_VALUE);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        r.r1 = (int) INT.get(NativeAccess.ALL, object + LEFT);
        r.r2 = (int) INT.get(NativeAccess.ALL, object + RIGHT);
        LockWord.releaseRead(object);
    }

    /** Frees the object. */
    @Arbiter
    public void free() {
        RefCount.releaseShared(object);
    }
}
