package org.cypclass.stress;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
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
 * The plain-to-shared switch: the owner writes a field of its thread-local object with a plain
 * store, shares it, and publishes its address with a volatile write. A thread that sees the
 * address must see the field and the shared counting mode, and may retain and release it.
 */
@JCStressTest
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "not published yet")
@Outcome(id = "42, 1", expect = ACCEPTABLE, desc = "published: field and shared mode visible")
@Outcome(expect = FORBIDDEN, desc = "saw the object without its writes")
@State
public class ShareHandOff {

    private static final int TYPE = BlockTypes.register("stress.ShareHandOff");
    private static final VarHandle INT = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final long FIELD = CyObjectHeader.SIZE;

    private volatile long published;

    /** Creates a thread-local object, writes it, shares it and publishes it. */
    @Actor
    public void owner() {
        long object = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 16);
        INT.set(NativeAccess.ALL, object + FIELD, 42);
        RefCount.share(object);
        published = object;
    }

    /** Reads what it sees, and takes and gives back a count if it sees the object. */
    @Actor
    public void reader(II_Result r) {
        long object = published;
        if (object == 0) {
            r.r1 = -1;
            r.r2 = -1;
            return;
        }
        r.r1 = (int) INT.get(NativeAccess.ALL, object + FIELD);
        r.r2 = RefCount.owner(object) == CyObjectHeader.OWNER_SHARED ? 1 : 0;
        RefCount.retainShared(object);
        RefCount.releaseShared(object);
    }

    /** Gives back the owner's count: the object is freed. */
    @Arbiter
    public void free() {
        RefCount.releaseShared(published);
    }
}
