package org.cypclass.stress;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

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
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The plain-to-shared switch, with the library's ordering alone: the owner writes a field of
 * its thread-local object with a plain store, calls {@link RefCount#share}, and publishes the
 * address through a plain field: a data race, which carries no ordering by itself.
 *
 * <p>What the library guarantees: {@code share} writes the atomic counting state with a plain
 * store, then {@code ob_owner = OWNER_SHARED} with a <em>release</em> store. A reader that
 * loads {@code ob_owner} with an <em>acquire</em> load and finds {@code OWNER_SHARED}
 * synchronizes with that release, so it sees the state word and every write the owner made
 * before sharing, and may retain and release the object. A racy publication may show the
 * address before that release is visible (the JMM lets the plain store of the address move
 * before it); such a reader must not use the object, and does not. So:
 * <ul>
 *   <li>{@code -1, -1}: the address not seen yet.</li>
 *   <li>{@code 0, -1}: the address seen, {@code ob_owner} not yet {@code OWNER_SHARED}
 *       (interesting: allowed by the model; not seen on x86 with the release store in
 *       place, seen once {@code share}'s store was made plain and the compiler moved it).</li>
 *   <li>{@code 1, 1}: seen shared, with the field and the atomic state.</li>
 *   <li>{@code 1, 0}: seen shared without the field or the state: forbidden, the release
 *       did not publish what was written before it.</li>
 * </ul>
 * Each instance writes a value of its own, so a stale read of an earlier object at the same
 * address cannot pass for the write.
 */
@JCStressTest
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "the address not seen yet")
@Outcome(id = "0, -1", expect = ACCEPTABLE_INTERESTING,
    desc = "racy publication: the address seen before share's release; the reader leaves the object alone")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "seen shared (acquire): the owner's write and the atomic state visible")
@Outcome(expect = FORBIDDEN, desc = "seen shared without the owner's write or the atomic state")
@State
public class ShareHandOff {

    private static final int TYPE = BlockTypes.register("stress.ShareHandOff");
    private static final AtomicInteger VALUES = new AtomicInteger();
    private static final VarHandle INT = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    /** {@code ob_owner}, loaded with acquire: pairs with the release store of {@code share}. */
    private static final VarHandle OWNER = ValueLayout.JAVA_LONG.varHandle();
    private static final long FIELD = CyObjectHeader.SIZE;

    private final int value = VALUES.incrementAndGet();
    /** Plain on purpose: the publication is a data race. */
    private long published;

    /** Creates a thread-local object, writes it, shares it and publishes it through a plain store. */
    @Actor
    public void owner() {
        long object = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 16);
        INT.set(NativeAccess.ALL, object + FIELD, value);
        RefCount.share(object);
        published = object;
    }

    /** Reads what it sees; takes and gives back a count only if it saw the object shared. */
    @Actor
    public void reader(II_Result r) {
        long object = published;
        if (object == 0) {
            r.r1 = -1;
            r.r2 = -1;
            return;
        }
        if ((long) OWNER.getAcquire(NativeAccess.ALL, object + CyObjectHeader.OB_OWNER) != CyObjectHeader.OWNER_SHARED) {
            r.r1 = 0;
            r.r2 = -1;
            return;
        }
        r.r1 = 1;
        boolean written = (int) INT.get(NativeAccess.ALL, object + FIELD) == value;
        boolean atomic = RefCount.state(object) == (CyObjectHeader.SHARED | CyObjectHeader.ATOMIC_REFCOUNT);
        r.r2 = written && atomic ? 1 : 0;
        RefCount.retainShared(object);
        RefCount.releaseShared(object);
    }

    /** Gives back the owner's count: the object is freed. */
    @Arbiter
    public void free() {
        RefCount.releaseShared(published);
    }
}
