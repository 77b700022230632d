package org.cypclass.stress;

import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.capabilities.Isolated;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An actor's system closed while another thread sends to the actor. The contract of
 * {@link ActorSystem#close()}: it refuses new messages from outside, runs everything queued,
 * then stops; {@link Active#tell} throws {@link IllegalStateException} once the system is
 * closed. So a message either runs (the send returned normally) or is refused (the send threw),
 * never both and never neither: a send that returns normally and whose message never runs is
 * a message lost silently. The sender then closes its reference: the cell is destroyed exactly
 * once, by whichever of the sender's close and the worker's last release comes last, and
 * {@code close()} returns only after the workers stopped, so the arbiter sees the destruction.
 *
 * <p>Results: r1 the send (1 returned, 0 refused), r2 whether the message ran, r3 the cell's
 * deaths. One system of one worker per test instance: its thread starts only if a message is
 * scheduled.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "sent before close: the message ran while close drained; destroyed once")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "sent after close began: refused with IllegalStateException; destroyed once")
@Outcome(id = {"1, 0, 1", "1, 0, 0"}, expect = FORBIDDEN, desc = "the send returned but the message never ran: lost silently")
@Outcome(id = {"0, 1, 1", "0, 1, 0"}, expect = FORBIDDEN, desc = "the send was refused but the message ran")
@Outcome(expect = FORBIDDEN, desc = "the cell leaked or was destroyed twice")
@State
public class ActorCloseSendRace {

    private final long token = Deaths.newToken();
    private final ActorSystem system = ActorSystem.start(1);
    private final Active<Cell> active;
    /** Set by the message when it runs; read by the arbiter after close() joined the worker. */
    private volatile int ran;

    /** An actor over one cell, on a system of its own. */
    @SuppressWarnings("resourceleak") // jcstress runs the constructor, the actors, then the arbiter, which closes
    // the holder this leaves in a field: a hand-over the checker cannot see
    public ActorCloseSendRace() {
        active = Isolated.consume(Cell.create(token, 0)).activate(system);
    }

    /** Sends one message, then closes its reference. */
    @Actor
    public void sender(III_Result r) {
        try {
            active.tell(cell -> {
                cell.incrementBoth();
                ran = 1;
            });
            r.r1 = 1;
        } catch (IllegalStateException closed) {
            r.r1 = 0;
        } finally {
            active.close();
        }
    }

    /** Closes the system: drains what was queued, then stops the worker. */
    @Actor
    public void closer() {
        system.close();
    }

    /** Whether the message ran, and the cell's deaths. */
    @Arbiter
    public void check(III_Result r) {
        r.r2 = ran;
        r.r3 = Deaths.take(token);
    }
}
