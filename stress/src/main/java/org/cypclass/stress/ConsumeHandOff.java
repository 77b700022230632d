package org.cypclass.stress;

import java.util.concurrent.atomic.AtomicInteger;

import org.cypclass.objects.capabilities.Isolated;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The consume hand-off through the public API, with the library's ordering alone: the sender
 * builds a two-cell graph (root, child) with plain stores, {@code Isolated.consume}s it and
 * publishes the holder through a plain field: a data race, which carries no ordering by
 * itself.
 *
 * <p>What the library guarantees: the holder's root is a volatile field, written in its
 * constructor after every write of the sender to the graph, and spent with a volatile
 * get-and-set. A receiver whose {@code adopt()} gets the root synchronizes with that volatile
 * write, so it sees every write of the sender, in both cells, and owns both (it reads them
 * through the public API, which would throw {@link WrongThreadException} otherwise). A racy
 * publication may show the holder before its root's volatile write is visible (the JMM lets
 * the plain store of the holder move before it; HotSpot's constructor barrier does not):
 * {@code adopt()} then finds no root and throws {@link IllegalStateException}, as for a spent
 * holder; the arbiter, ordered after both, then releases the graph.
 *
 * <p>Results: r1 (-1 not seen, 0 refused, 1 adopted), r2 the root's value as written, r3 the
 * child's, r4 the cells destroyed (2: both, once). Each instance writes values of its own, so
 * a stale read of an earlier graph at the same addresses cannot pass for the sender's writes.
 */
@JCStressTest
@Outcome(id = "-1, -1, -1, 2", expect = ACCEPTABLE, desc = "the holder not seen yet; both cells destroyed once")
@Outcome(id = "0, -1, -1, 2", expect = ACCEPTABLE_INTERESTING,
    desc = "racy publication: the holder seen before its root; adopt() refused, the arbiter released the graph")
@Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE, desc = "adopted: every write of the sender visible, both cells owned")
@Outcome(expect = FORBIDDEN, desc = "adopted without the sender's writes or without owning the graph, or a cell leaked"
    + " or destroyed twice")
@State
public class ConsumeHandOff {

    private static final AtomicInteger VALUES = new AtomicInteger();

    private final long token = Deaths.newToken();
    private final int value = VALUES.addAndGet(2);
    /** Plain on purpose: the publication is a data race. */
    private Isolated<Cell> parcel;

    /** Builds root -> child with plain stores, consumes the graph, publishes the holder. */
    @Actor
    @SuppressWarnings("resourceleak") // jcstress runs the actors, then the arbiter: the receiver adopts the holder
    // this leaves in a field, or the arbiter closes it, a hand-over the checker cannot see
    public void sender() {
        Cell root = Cell.create(token, 0);
        try (Cell child = Cell.create(token, 0)) {
            root.child(child);      // the root's field now holds the child's only count
        }
        root.left(value);
        root.child().right(value + 1);
        parcel = Isolated.consume(root);
    }

    /** Adopts the graph if it sees the holder, and reads both cells. */
    @Actor
    public void receiver(IIII_Result r) {
        Isolated<Cell> seen = parcel;
        r.r2 = -1;
        r.r3 = -1;
        if (seen == null) {
            r.r1 = -1;
            return;
        }
        Cell mine;
        try {
            mine = seen.adopt();
        } catch (IllegalStateException rootNotSeen) {
            r.r1 = 0;
            return;
        }
        r.r1 = 1;
        try (mine) {
            r.r2 = mine.left() == value ? 1 : 0;
            r.r3 = mine.child().right() == value + 1 ? 1 : 0;
        } catch (RuntimeException notOwned) {
            r.r3 = 9;
        }
    }

    /** Releases the graph if nobody adopted it, and counts the cells destroyed. */
    @Arbiter
    public void check(IIII_Result r) {
        parcel.close();
        r.r4 = Deaths.take(token);
    }
}
