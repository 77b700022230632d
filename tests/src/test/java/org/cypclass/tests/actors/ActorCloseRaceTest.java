package org.cypclass.tests.actors;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.cypclass.examples.Node;
import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.capabilities.Isolated;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two senders and a closer race, many times over: every send either throws (refused) or its
 * message runs, never neither. jcstress cannot run this three-thread race on a 2-CPU machine
 * (it skips tests with more threads than CPUs), hence a many-iteration test. The case it
 * guards: the sender that schedules the actor finds the workers stopped, while the other
 * sender's message, queued in between, had already been accepted.
 */
class ActorCloseRaceTest {

    private static final int ROUNDS = 3_000;

    @Test
    void aSendRacingCloseIsRefusedOrRunsNeverLost() throws Exception {
        int lost = 0;
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            ActorSystem system = ActorSystem.start(1);
            Active<Node> first = Isolated.consume(Node.create(0, null)).activate(system);
            Active<Node> second = first.newReference();
            AtomicIntegerArray ran = new AtomicIntegerArray(2);
            int[] returned = new int[2];
            CyclicBarrier start = new CyclicBarrier(3);
            Thread a = Thread.ofPlatform().start(() -> send(start, first, ran, 0, returned));
            Thread b = Thread.ofPlatform().start(() -> send(start, second, ran, 1, returned));
            start.await();
            system.close();
            a.join();
            b.join();
            for (int i = 0; i < 2; i++) {
                if (returned[i] == 1 && ran.get(i) == 0) {
                    lost++;
                }
                if (returned[i] == 0) {
                    refused++;
                    assertEquals(0, ran.get(i), "a refused send's message ran");
                }
            }
        }
        assertEquals(0, lost, "sends that returned normally but whose message never ran, in " + ROUNDS
            + " rounds (" + refused + " sends refused)");
    }

    private static void send(CyclicBarrier start, Active<Node> active, AtomicIntegerArray ran, int i, int[] returned) {
        try (active) {
            start.await();
            active.tell(node -> ran.set(i, 1));
            returned[i] = 1;
        } catch (IllegalStateException refused) {
            returned[i] = 0;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
