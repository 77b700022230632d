package org.cypclass.stress;

import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code Locked.write()} as users call it: two threads, each through its own {@link Locked}
 * reference, open a write guard and add one to both fields of the locked {@link Cell} with
 * plain loads and stores ({@link Cell#incrementBoth}). Write guards exclude each other, and the
 * lock's release (the volatile add that gives the write lock back) happens before the next
 * guard's acquisition (its compare-and-set), so the second writer reads what the first wrote:
 * both fields end at 2. A guard that skipped the lock, or a release that did not publish,
 * loses an update. Closing both references destroys the cell exactly once.
 */
@JCStressTest
@Outcome(id = "2, 2, 1", expect = ACCEPTABLE, desc = "both updates kept in both fields; the cell destroyed once")
@Outcome(id = {"1, 1, 1", "1, 2, 1", "2, 1, 1"}, expect = FORBIDDEN, desc = "two write guards at once: an update lost")
@Outcome(expect = FORBIDDEN, desc = "an update lost, or the cell leaked or destroyed twice")
@State
public class LockedWriters {

    private final long token = Deaths.newToken();
    private final Locked<Cell> first;
    private final Locked<Cell> second;

    /** A locked cell at 0, 0 and a reference to it for each writer. */
    @SuppressWarnings("resourceleak") // jcstress runs the constructor, the actors, then the arbiter, which closes
    // the holder this leaves in a field: a hand-over the checker cannot see
    public LockedWriters() {
        first = Isolated.consume(Cell.create(token, 0)).lock();
        second = first.newReference();
    }

    /** First writer, through its own reference. */
    @Actor
    public void writer1() {
        try (Locked.Guard<Cell> guard = first.write()) {
            guard.get().incrementBoth();
        }
    }

    /** Second writer, through its own reference. */
    @Actor
    public void writer2() {
        try (Locked.Guard<Cell> guard = second.write()) {
            guard.get().incrementBoth();
        }
    }

    /** Reads both fields under a read guard, closes both references and counts the cell's deaths. */
    @Arbiter
    public void check(III_Result r) {
        try (Locked.Guard<Cell> guard = first.read()) {
            r.r1 = guard.get().left();
            r.r2 = guard.get().right();
        }
        first.close();
        second.close();
        r.r3 = Deaths.take(token);
    }
}
