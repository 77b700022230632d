package org.cypclass.stress;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.RefCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two threads give back the last two counts of a shared object at once: exactly one of them
 * must see the count reach zero and destroy it (a second destruction would also be a double
 * free, which the allocator throws on, failing the test with an error).
 */
@JCStressTest
@Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one release destroyed the object")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "destroyed twice")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "never destroyed: leaked")
@Outcome(expect = FORBIDDEN, desc = "anything else: a release reported neither outcome")
@State
public class ReleaseRace {

    private static final int TYPE = BlockTypes.register("stress.ReleaseRace");

    private final long object;

    /** A shared object with two counts, made by the harness before the actors start. */
    public ReleaseRace() {
        object = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 16);
        RefCount.retain(object);
        RefCount.share(object);
    }

    /** Gives back one count. */
    @Actor
    public void first(II_Result r) {
        r.r1 = RefCount.releaseShared(object) ? 1 : 0;
    }

    /** Gives back the other. */
    @Actor
    public void second(II_Result r) {
        r.r2 = RefCount.releaseShared(object) ? 1 : 0;
    }
}
