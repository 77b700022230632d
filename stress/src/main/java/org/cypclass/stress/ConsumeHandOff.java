package org.cypclass.stress;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.GraphWalk;
import org.cypclass.memory.internal.LocalHeap;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.memory.internal.ReferenceVisitor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The consume hand-off: the sender builds a two-object graph with plain stores, checks it is
 * isolated ({@code Isolated.consume}'s trial deletion) and publishes the root with a volatile
 * write. A receiver that sees the root adopts the graph ({@code Isolated.adopt}) and must see
 * every write of the sender, in both objects, and own both.
 */
@JCStressTest
@Outcome(id = "-1, -1, -1", expect = ACCEPTABLE, desc = "not published yet")
@Outcome(id = "42, 43, 1", expect = ACCEPTABLE, desc = "adopted: every write visible, both objects owned")
@Outcome(expect = FORBIDDEN, desc = "adopted a graph without the sender's writes")
@State
public class ConsumeHandOff {

    private static final VarHandle INT = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    private static final long VALUE = CyObjectHeader.SIZE;
    private static final long CHILD = CyObjectHeader.SIZE + 8;
    private static final int TYPE = BlockTypes.register("stress.ConsumeHandOff", ConsumeHandOff::releaseChild,
        new ReferenceVisitor() {
            @Override
            public void forEachReference(long object, Slot slot) {
                long child = (long) LONG.get(NativeAccess.ALL, object + CHILD);
                if (child != 0) {
                    slot.visit(CHILD, child);
                }
            }

            @Override
            public String slotName(long object, long offset) {
                return "child";
            }
        });

    private volatile long published;

    private static void releaseChild(long object) {
        long child = (long) LONG.get(NativeAccess.ALL, object + CHILD);
        if (child != 0) {
            RefCount.release(child);
        }
    }

    /** Builds root -> child, checks isolation, publishes the root. */
    @Actor
    public void sender() {
        long root = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 16);
        long child = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 16);
        INT.set(NativeAccess.ALL, root + VALUE, 42);
        INT.set(NativeAccess.ALL, child + VALUE, 43);
        LONG.set(NativeAccess.ALL, root + CHILD, child);    // the root's slot owns the child's count
        if (!GraphWalk.check(root, true).isolated()) {
            throw new AssertionError("a fresh graph must be isolated");
        }
        published = root;
    }

    /** Adopts the graph if it sees it, and reads it. */
    @Actor
    public void receiver(III_Result r) {
        long root = published;
        if (root == 0) {
            r.r1 = -1;
            r.r2 = -1;
            r.r3 = -1;
            return;
        }
        LocalHeap.current();
        long me = Thread.currentThread().threadId();
        GraphWalk.switchGraph(root, RefCount.owner(root), CyObjectHeader.LOCAL, CyObjectHeader.LOCAL, me);
        long child = (long) LONG.get(NativeAccess.ALL, root + CHILD);
        r.r1 = (int) INT.get(NativeAccess.ALL, root + VALUE);
        r.r2 = child == 0 ? 0 : (int) INT.get(NativeAccess.ALL, child + VALUE);
        r.r3 = RefCount.owner(root) == me && child != 0 && RefCount.owner(child) == me ? 1 : 0;
    }

    /** Adopts the graph on this thread and releases it: both objects freed. */
    @Arbiter
    public void free() {
        long root = published;
        LocalHeap.current();
        GraphWalk.switchGraph(root, RefCount.owner(root), CyObjectHeader.LOCAL, CyObjectHeader.LOCAL,
            Thread.currentThread().threadId());
        RefCount.release(root);
    }
}
