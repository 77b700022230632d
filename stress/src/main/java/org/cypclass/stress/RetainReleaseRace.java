package org.cypclass.stress;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.RefCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two threads each take and give back counts of one shared object while it lives: no update
 * may be lost (the count ends where it started), which plain increments would lose.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "every retain and release counted")
@Outcome(expect = FORBIDDEN, desc = "an update was lost")
@State
public class RetainReleaseRace {

    private static final int TYPE = BlockTypes.register("stress.RetainReleaseRace");

    private final long object;

    /** A shared object with one count, which the arbiter gives back. */
    public RetainReleaseRace() {
        object = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 16);
        RefCount.share(object);
    }

    /** Retains twice, releases twice. */
    @Actor
    public void first() {
        RefCount.retainShared(object);
        RefCount.retainShared(object);
        RefCount.releaseShared(object);
        RefCount.releaseShared(object);
    }

    /** The same, concurrently. */
    @Actor
    public void second() {
        RefCount.retainShared(object);
        RefCount.releaseShared(object);
        RefCount.retainShared(object);
        RefCount.releaseShared(object);
    }

    /** Reads the count after both, then frees the object. */
    @Arbiter
    public void count(I_Result r) {
        r.r1 = RefCount.count(object);
        RefCount.releaseShared(object);
    }
}
