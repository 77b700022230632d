package org.cypclass.objects.actors;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An actor's mailbox under two producers, one of which is also the consumer (jcstress runs no
 * more actors than there are CPUs, and CI machines have two): producer A offers A1 then A2
 * while B offers B1 and then polls until it has three. Every message must come out exactly
 * once, and A1 before A2 (one sender's messages keep their order), with nodes recycled between
 * iterations of the same threads. In the package of {@link Mailbox} (this module runs on the
 * class path) to reach it without making it public.
 */
@JCStressTest
@Outcome(id = "3, 1, 1", expect = ACCEPTABLE, desc = "all three, once each, A's in order")
@Outcome(expect = FORBIDDEN, desc = "a message lost, duplicated, or one sender's messages reordered")
@State
public class MailboxStress {

    private static final String A1 = "A1";
    private static final String A2 = "A2";
    private static final String B1 = "B1";

    private final Mailbox mailbox = new Mailbox();

    /** Producer A: two messages. */
    @Actor
    public void producerA() {
        mailbox.offer(A1);
        mailbox.offer(A2);
    }

    /** Producer B, then the consumer: polls until it has seen three messages, or gives up after many empty polls. */
    @Actor
    public void producerBThenConsumer(III_Result r) {
        mailbox.offer(B1);
        int received = 0;
        int a1At = -1;
        int a2At = -1;
        int b1Seen = 0;
        int duplicates = 0;
        for (long spins = 0; received < 3 && spins < 100_000_000L; spins++) {
            Object message = mailbox.poll();
            if (message == null) {
                Thread.onSpinWait();
                continue;
            }
            if (message == A1) {
                duplicates += a1At >= 0 ? 1 : 0;
                a1At = received;
            } else if (message == A2) {
                duplicates += a2At >= 0 ? 1 : 0;
                a2At = received;
            } else if (message == B1) {
                duplicates += b1Seen;
                b1Seen = 1;
            }
            received++;
        }
        r.r1 = received + (mailbox.poll() != null ? 10 : 0);   // nothing may be left over either
        r.r2 = a1At >= 0 && a1At < a2At ? 1 : 0;
        r.r3 = duplicates == 0 && mailbox.isEmpty() ? 1 : 0;
        mailbox.flushReturns();
    }
}
