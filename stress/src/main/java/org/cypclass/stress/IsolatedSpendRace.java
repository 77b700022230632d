package org.cypclass.stress;

import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two threads race to spend one {@link Isolated} holder, one with {@code adopt()}, the other
 * with {@code freeze()}. The contract: an isolated holder is spent exactly once; of two
 * threads racing, one wins and the other gets {@link IllegalStateException}. Spending is one
 * volatile get-and-set of the holder's root, so exactly one thread takes the graph; the winner
 * reads the cell (value 7) and closes its reference, which destroys the cell once. Two winners
 * would switch one graph to two capabilities and release it twice (a double destruction); no
 * winner would leak it.
 *
 * <p>Results: r1 the adopter (1 won and read 7, 0 refused, 2 won and read another value, 3 won
 * but its reference failed: the cell was dead or not its own), r2 the freezer (the same), r3
 * the cell's deaths, r4 whether the holder says it is spent afterwards.
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "adopt won, freeze refused; destroyed once")
@Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "freeze won, adopt refused; destroyed once")
@Outcome(id = "[123], [123], .*", expect = FORBIDDEN, desc = "both spent the holder")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "nobody spent the holder")
@Outcome(expect = FORBIDDEN, desc = "the winner saw another value, or the cell leaked or was destroyed twice")
@State
public class IsolatedSpendRace {

    private final long token = Deaths.newToken();
    private final Isolated<Cell> holder;

    /** A one-cell graph at 7, consumed into a holder. */
    @SuppressWarnings("resourceleak") // jcstress runs the constructor, the actors, then the arbiter, which closes
    // the holder this leaves in a field: a hand-over the checker cannot see
    public IsolatedSpendRace() {
        holder = Isolated.consume(Cell.create(token, 7));
    }

    /** Adopts the graph and reads it, or is refused. */
    @Actor
    public void adopter(IIII_Result r) {
        Cell mine;
        try {
            mine = holder.adopt();
        } catch (IllegalStateException spent) {
            r.r1 = 0;
            return;
        }
        try (mine) {
            r.r1 = mine.left() == 7 ? 1 : 2;
        } catch (RuntimeException spentTwice) {
            r.r1 = 3;       // the graph died under the winner: the other thread spent it too
        }
    }

    /** Freezes the graph and reads it, or is refused. */
    @Actor
    public void freezer(IIII_Result r) {
        Frozen<Cell> frozen;
        try {
            frozen = holder.freeze();
        } catch (IllegalStateException spent) {
            r.r2 = 0;
            return;
        }
        try (frozen) {
            r.r2 = frozen.get().left() == 7 ? 1 : 2;
        } catch (RuntimeException spentTwice) {
            r.r2 = 3;       // the graph died under the winner: the other thread spent it too
        }
    }

    /** Counts the cell's deaths; a holder left pending is closed (and counted as not spent). */
    @Arbiter
    public void check(IIII_Result r) {
        r.r4 = holder.isPending() ? 0 : 1;
        holder.close();
        r.r3 = Deaths.take(token);
    }
}
