package org.cypclass.tests.actors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Node;
import org.cypclass.examples.Pair;
import org.cypclass.examples.Tally;
import org.cypclass.objects.actors.ActorFuture;
import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.generated.ActorMessages;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Active objects: messages run one at a time per actor, in each sender's order, on all
 * workers; failures complete futures or are reported; closing drains; nothing leaks.
 */
class ActorTest {

    private static Active<Tally> tally(ActorSystem system) {
        return Isolated.consume(Tally.create()).activate(system);
    }

    @Test
    void tellAndAskRunOnTheWorkers() throws Exception {
        try (ActorSystem system = ActorSystem.start(2); Active<Tally> tally = tally(system)) {
            tally.tell(t -> t.add(3));
            ActorFuture<Long> total = tally.ask(t -> t.add(4));
            assertEquals(7L, total.get(30, TimeUnit.SECONDS));
            String worker = tally.ask(t -> Thread.currentThread().getName()).join();
            assertTrue(worker.startsWith("cypclass-actors-"), worker);
        }
    }

    @Test
    void theProcessorGeneratesTheAsynchronousFormOfEachPublicMethod() throws Exception {
        try (ActorSystem system = ActorSystem.start(2); Active<Tally> tally = tally(system)) {
            Tally.Async async = new Tally.Async(tally);
            assertEquals(5L, async.add(5).get(30, TimeUnit.SECONDS));
            assertNull(async.record(true, 1).get(30, TimeUnit.SECONDS), "a void method gives a completion");
            try (Frozen<Node> frozen = Isolated.consume(Node.create(10, null)).freeze()) {
                assertEquals(16L, async.absorb(frozen.get()).get(30, TimeUnit.SECONDS));
            }
            try (Node local = Node.create(1, null)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> async.absorb(local));
                assertTrue(e.getMessage().contains("cannot be sent"), e.getMessage());
            }
            assertEquals(16L, tally.ask(Tally::total).join(), "the refused call queued nothing");
            try (Frozen<Node> frozen = Isolated.consume(Node.create(3, null)).freeze()) {
                try (Node back = async.echo(frozen.get()).get(30, TimeUnit.SECONDS)) {
                    assertEquals(3, back.payload(), "a frozen result comes back as an owned reference");
                    assertFalse(back.isBorrowed());
                }
            }
            ExecutionException local = assertThrows(ExecutionException.class, () -> tally.ask(t -> {
                try (Node mine = Node.create(1, null)) {
                    return ActorMessages.export(mine);     // thread-local to the worker: refused
                }
            }).get(30, TimeUnit.SECONDS));
            assertInstanceOf(CapabilityException.class, local.getCause());
            assertThrows(NoSuchMethodException.class, () -> Tally.Async.class.getMethod("addAll", long[].class),
                "a method taking a mutable array has no asynchronous form");
        }
    }

    @Test
    void twoProducersOfAMillionMessagesKeepTotalsAndOrder() throws Exception {
        int perSender = 1_000_000;
        try (ActorSystem system = ActorSystem.start(); Active<Tally> tally = tally(system)) {
            List<Thread> senders = new ArrayList<>();
            for (boolean fromA : new boolean[] {true, false}) {
                Active<Tally> mine = tally.newReference();
                senders.add(Thread.ofPlatform().start(() -> {
                    try (mine) {
                        for (long i = 1; i <= perSender; i++) {
                            long sequence = i;
                            mine.tell(t -> t.record(fromA, sequence));
                        }
                    }
                }));
            }
            for (Thread sender : senders) {
                sender.join();
            }
            long[] seen = tally.ask(t -> new long[] {t.count(), t.total(), t.disorder(), t.lastA(), t.lastB()})
                .get(60, TimeUnit.SECONDS);
            assertEquals(2L * perSender, seen[0], "messages lost or run twice");
            assertEquals(2 * ((long) perSender * (perSender + 1) / 2), seen[1]);
            assertEquals(0, seen[2], "a sender's messages ran out of order");
            assertEquals(perSender, seen[3]);
            assertEquals(perSender, seen[4]);
        }
    }

    @Test
    void tenThousandActorsPassTokensAroundAllWorkers() throws Exception {
        int actors = 10_000;
        int tokens = 100;
        int hops = 1_000;
        AtomicLong delivered = new AtomicLong();
        CountDownLatch done = new CountDownLatch(tokens);
        try (ActorSystem system = ActorSystem.start()) {
            List<Active<Tally>> ring = new ArrayList<>();
            for (int i = 0; i < actors; i++) {
                ring.add(tally(system));
            }
            for (int token = 0; token < tokens; token++) {
                send(ring, token * (actors / tokens), hops, delivered, done);
            }
            assertTrue(done.await(120, TimeUnit.SECONDS), "tokens lost");
            long counted = 0;
            for (Active<Tally> actor : ring) {
                counted += actor.ask(Tally::count).get(60, TimeUnit.SECONDS);
                actor.close();
            }
            assertEquals((long) tokens * (hops + 1), counted);
            assertEquals(counted, delivered.get());
        }
    }

    private static void send(List<Active<Tally>> ring, int at, int hopsLeft, AtomicLong delivered, CountDownLatch done) {
        ring.get(at).tell(t -> {
            t.add(1);
            delivered.incrementAndGet();
            if (hopsLeft == 0) {
                done.countDown();
            } else {
                send(ring, (at + 1) % ring.size(), hopsLeft - 1, delivered, done);
            }
        });
    }

    @Test
    void pingPongBetweenTwoActors() throws Exception {
        int rounds = 100_000;
        CountDownLatch done = new CountDownLatch(1);
        try (ActorSystem system = ActorSystem.start(); Active<Tally> ping = tally(system); Active<Tally> pong = tally(system)) {
            ping.tell(t -> bounce(ping, pong, rounds, done));
            assertTrue(done.await(60, TimeUnit.SECONDS));
            assertEquals(rounds / 2, ping.ask(Tally::count).join());
            assertEquals(rounds / 2, pong.ask(Tally::count).join());
        }
    }

    private static void bounce(Active<Tally> here, Active<Tally> there, int left, CountDownLatch done) {
        if (left == 0) {
            done.countDown();
            return;
        }
        there.tell(t -> {
            t.add(1);
            bounce(there, here, left - 1, done);
        });
    }

    @Test
    void aFailingMessageIsReportedAndTheActorKeepsRunning() throws Exception {
        try (ActorSystem system = ActorSystem.start(1); Active<Tally> tally = tally(system)) {
            ActorFuture<Long> failed = tally.ask(t -> {
                throw new IllegalArgumentException("boom");
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            tally.tell(t -> {
                throw new IllegalStateException("fire and forget");
            });
            assertEquals(5L, tally.ask(t -> t.add(5)).get(30, TimeUnit.SECONDS));
            assertEquals(1, system.failures());
        }
    }

    @SuppressWarnings("cypclass:cross-thread-capture") // checks the WrongThreadException another thread gets
    @Test
    void theActorsObjectIsReachableOnlyInsideItsMessages() throws Exception {
        AtomicReference<Tally> leaked = new AtomicReference<>();
        try (ActorSystem system = ActorSystem.start(1); Active<Tally> tally = tally(system)) {
            tally.ask(t -> {
                leaked.set(t);
                return t.add(1);
            }).get(30, TimeUnit.SECONDS);
            assertThrows(CapabilityException.class, () -> leaked.get().add(1));
            assertThrows(CapabilityException.class, () -> tally.handle().add(1));
            try (Pair local = Pair.create(1)) {
                // A thread-local reference captured by a message fails there, never corrupts.
                ActorFuture<Long> misuse = tally.ask(t -> local.left());
                ExecutionException e = assertThrows(ExecutionException.class, () -> misuse.get(30, TimeUnit.SECONDS));
                assertInstanceOf(WrongThreadException.class, e.getCause());
            }
        }
    }

    @Test
    void waitingForItsOwnResultInsideAMessageIsReported() throws Exception {
        try (ActorSystem system = ActorSystem.start(2); Active<Tally> tally = tally(system)) {
            ActorFuture<Object> outer = tally.ask(t -> {
                ActorFuture<Long> inner = tally.ask(u -> u.add(1));
                return inner.join();
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> outer.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("own messages"), e.getCause().getMessage());
        }
    }

    @Test
    void closingTheSystemRunsEverythingQueuedThenRefuses() {
        long before = Tally.DEATHS.get();
        ActorSystem system = ActorSystem.start(2);
        Active<Tally> tally = tally(system);
        ActorFuture<Long> last = null;
        for (int i = 0; i < 100_000; i++) {
            last = tally.ask(t -> t.add(1));
        }
        tally.close();      // messages still queued: the object waits for them
        system.close();
        assertEquals(100_000L, last.join(), "every queued message ran once");
        assertEquals(before + 1, Tally.DEATHS.get(), "released after its mailbox emptied");
        try (Isolated<Tally> parcel = Isolated.consume(Tally.create())) {
            assertThrows(IllegalStateException.class, () -> parcel.activate(system));
            assertTrue(parcel.isPending(), "a refused activation spends nothing");
        }
        system.close();     // does nothing
    }

    @SuppressWarnings({"cypclass:thread-local-to-shared", "cypclass:use-after-close"}) // checks the run-time refusal of a thread-local object; the run-time error of a closed reference
    @Test
    void aClosedReferenceRefusesMessages() {
        try (ActorSystem system = ActorSystem.start(1)) {
            Active<Tally> tally = tally(system);
            Active<Tally> other = tally.newReference();
            tally.close();
            assertFalse(tally.isOpen());
            assertThrows(IllegalStateException.class, () -> tally.tell(t -> t.add(1)));
            try (other; Active<Tally> again = Active.from(other.handle())) {
                assertEquals(2L, again.ask(t -> t.add(2)).join());
            }
            try (Pair local = Pair.create(1)) {
                assertThrows(IllegalArgumentException.class, () -> Active.from(local));
            }
        }
    }

    @Test
    void anAskFromOutsideAfterCloseIsRefused() {
        ActorSystem system = ActorSystem.start(1);
        Active<Tally> tally = tally(system);
        system.close();
        assertThrows(IllegalStateException.class, () -> tally.ask(t -> t.add(1)));
        tally.close();
        assertFalse(tally.isOpen());
    }
}
