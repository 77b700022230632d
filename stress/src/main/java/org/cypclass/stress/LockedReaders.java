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
 * {@code Locked.read()} beside {@code Locked.write()}, as users call them: the writer sets both
 * fields of the locked {@link Cell} from 0 to 1 under a write guard, one plain store at a time;
 * the reader reads both under a read guard. A read guard and a write guard exclude each other,
 * and the writer's release (volatile add) happens before a later reader's acquisition (its
 * compare-and-set), so the reader sees both stores or neither. A torn pair means a reader was
 * inside beside a writer, or the read guard's acquisition did not see the writer's release.
 */
@JCStressTest
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "read guard before the write guard; the cell destroyed once")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "read guard after the write guard; the cell destroyed once")
@Outcome(id = {"1, 0, 1", "0, 1, 1"}, expect = FORBIDDEN, desc = "a read guard beside a write guard: a torn pair")
@Outcome(expect = FORBIDDEN, desc = "a torn pair, or the cell leaked or destroyed twice")
@State
public class LockedReaders {

    private final long token = Deaths.newToken();
    private final Locked<Cell> writing;
    private final Locked<Cell> reading;

    /** A locked cell at 0, 0 and a reference to it for each thread. */
    @SuppressWarnings("resourceleak") // jcstress runs the constructor, the actors, then the arbiter, which closes
    // the holder this leaves in a field: a hand-over the checker cannot see
    public LockedReaders() {
        writing = Isolated.consume(Cell.create(token, 0)).lock();
        reading = writing.newReference();
    }

    /** Sets both fields to 1 under a write guard. */
    @Actor
    public void writer() {
        try (Locked.Guard<Cell> guard = writing.write()) {
            guard.get().left(1);
            guard.get().right(1);
        }
    }

    /** Reads both fields under a read guard. */
    @Actor
    public void reader(III_Result r) {
        try (Locked.Guard<Cell> guard = reading.read()) {
            r.r1 = guard.get().left();
            r.r2 = guard.get().right();
        }
    }

    /** Closes both references and counts the cell's deaths. */
    @Arbiter
    public void check(III_Result r) {
        writing.close();
        reading.close();
        r.r3 = Deaths.take(token);
    }
}
