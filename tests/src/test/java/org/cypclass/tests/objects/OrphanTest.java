package org.cypclass.tests.objects;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Node;
import org.cypclass.examples.Shape;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instances whose owner thread has ended (orphans): closing their references from another
 * thread releases them, using them adopts them (with what they reach), the collector releases
 * their garbage-collected references, the leak report lists them apart, and racing adopters
 * and releasers stay exact. Each test runs with platform and virtual threads.
 */
class OrphanTest {

    private static Thread.Builder builder(String kind) {
        return kind.equals("virtual") ? Thread.ofVirtual() : Thread.ofPlatform();
    }

    /** Runs {@code body} on a new thread of that kind, waits until the thread has ended, returns what it made. */
    private static <T> T onEndedThread(String kind, Supplier<T> body) throws InterruptedException {
        AtomicReference<T> made = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = builder(kind).start(() -> {
            try {
                made.set(body.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return made.get();
    }

    /** The instance's address without using the reference (a use would adopt the orphan): from its printed form. */
    private static long address(CyObject reference) {
        String printed = reference.toString();
        int at = printed.indexOf(" at 0x") + 6;
        return Long.parseUnsignedLong(printed.substring(at, printed.indexOf('>', at)), 16);
    }

    private static long live(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    private static boolean listedAsOrphan(long object) {
        return LeakReport.create().orphans().stream().anyMatch(orphan -> orphan.block().address() == object);
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void closingAnOrphansReferenceFromAnotherThreadReleasesIt(String kind) throws Exception {
        long before = live(Shape.class);
        long[] instance = new long[1];
        Shape shape = onEndedThread(kind, () -> {
            Shape made = Shape.create(4242);
            instance[0] = address(made);
            return made;
        });
        assertEquals(before + 1, live(Shape.class));
        assertTrue(listedAsOrphan(instance[0]), "an ended thread's instance is listed as an orphan");
        assertTrue(MemoryStats.countOrphans() >= 1);
        assertTrue(LeakReport.create().toString().contains("orphan(s)"));

        Shape.DEALLOCATED.clear();
        shape.close();
        assertEquals(List.of("shape 4242"), Shape.DEALLOCATED, "the dealloc hook ran, on the closing thread");
        Shape.DEALLOCATED.clear();
        assertEquals(before, live(Shape.class), "released");
        assertFalse(shape.isOpen());
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void closingOneOfSeveralReferencesLeavesAnOrphanThatAnotherCloseFrees(String kind) throws Exception {
        long before = live(Adder.class);
        List<Adder> references = onEndedThread(kind, () -> {
            Adder first = Adder.create(1);
            return List.of(first, first.newReference());
        });
        long instance = address(references.get(0));
        references.get(0).close();
        assertEquals(1, RefCount.count(instance));
        assertTrue(listedAsOrphan(instance), "a release on the dead owner's behalf does not adopt");
        references.get(1).close();
        assertEquals(before, live(Adder.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void usingAnOrphanAdoptsItWithEverythingItReaches(String kind) throws Exception {
        long before = live(Node.class);
        Node head = onEndedThread(kind, () -> {
            try (Node c = Node.create(3, null); Node b = Node.create(2, c)) {
                return Node.create(1, b);
            }
        });
        long instance = address(head);
        assertTrue(listedAsOrphan(instance));

        assertEquals(1, head.payload(), "used from this thread: adopted");
        assertEquals(Thread.currentThread().threadId(), RefCount.owner(instance));
        assertFalse(listedAsOrphan(instance));
        // The graph came with it: its fields read and write as this thread's own.
        assertEquals(2, head.next().payload());
        assertEquals(3, head.next().next().payload());
        head.next().next().payload(33);
        assertEquals(33, head.next().next().payload());
        try (Node kept = head.next().newReference()) {
            assertEquals(2, kept.payload());
        }
        head.close();
        assertEquals(before, live(Node.class), "the adopter's close freed the whole graph");
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void releasingAnOrphanReleasesTheEndedThreadsFieldsInsideTheDestruction(String kind) throws Exception {
        long before = live(Node.class);
        // The tail is held both by the head's field and by a second reference, so it survives the head.
        List<Node> made = onEndedThread(kind, () -> {
            Node tail = Node.create(2, null);
            Node head = Node.create(1, tail);
            return List.of(head, tail);
        });
        long tail = address(made.get(1));
        made.get(0).close();            // destroys the head; its field's release of the tail is an orphan release too
        assertEquals(1, RefCount.count(tail));
        assertTrue(listedAsOrphan(tail), "the tail, still held, is still an orphan");
        made.get(1).close();
        assertEquals(before, live(Node.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void borrowedReferencesOfTheEndedThreadFailAndCannotAdopt(String kind) throws Exception {
        List<Node> made = onEndedThread(kind, () -> {
            try (Node b = Node.create(2, null)) {
                Node a = Node.create(1, b);
                return List.of(a, a.next());
            }
        });
        Node owned = made.get(0);
        Node borrowed = made.get(1);
        WrongThreadException refused = assertThrows(WrongThreadException.class, borrowed::payload);
        assertTrue(refused.getMessage().contains("cannot adopt"), refused.getMessage());
        assertEquals(1, owned.payload());           // adopts a and b, renewing their stamps
        assertThrows(IllegalStateException.class, borrowed::payload, "taken under the old owner");
        assertEquals(2, owned.next().payload(), "a new borrow works");
        owned.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void anOrphansGcReferenceIsReleasedByTheCollector(String kind) throws Exception {
        long before = live(Adder.class);
        AtomicReference<Adder> gc = new AtomicReference<>();
        onEndedThread(kind, () -> {
            try (Adder adder = Adder.create(5)) {
                gc.set(adder.gcReference());
            }
            return null;
        });
        assertEquals(before + 1, live(Adder.class));
        gc.set(null);
        // The cleaner thread finds the owner ended and releases on its behalf; no thread has to ask.
        GcReferenceTest.awaitTrue(() -> {
            System.gc();
            return live(Adder.class) == before;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void anOrphansGcReferenceMayBeClosedFromAnotherThread(String kind) throws Exception {
        long before = live(Adder.class);
        Adder gc = onEndedThread(kind, () -> {
            try (Adder adder = Adder.create(5)) {
                return adder.gcReference();
            }
        });
        gc.close();
        assertEquals(before, live(Adder.class));
    }

    /** Two threads use one orphan at once through their own references: one adopts, the other is refused. */
    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void twoThreadsRacingToAdoptOneOrphanExactlyOneWins(String kind) throws Exception {
        long before = live(Adder.class);
        for (int round = 0; round < 300; round++) {
            List<Adder> references = onEndedThread(kind, () -> {
                Adder first = Adder.create(0);
                return List.of(first, first.newReference(), first.newReference());
            });
            long instance = address(references.get(2));
            CountDownLatch go = new CountDownLatch(1);
            // Neither racer ends before both have tried: an ended winner would leave an orphan again.
            CountDownLatch tried = new CountDownLatch(2);
            AtomicInteger wins = new AtomicInteger();
            List<Throwable> losses = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread[] racers = new Thread[2];
            for (int r = 0; r < 2; r++) {
                Adder mine = references.get(r);
                racers[r] = builder(kind).start(() -> {
                    try {
                        go.await();
                        boolean won = false;
                        try {
                            mine.add(1);
                            won = true;
                            wins.incrementAndGet();
                        } catch (Throwable t) {
                            losses.add(t);
                        }
                        tried.countDown();
                        tried.await();
                        if (won) {
                            mine.close();
                        }
                    } catch (Throwable t) {
                        losses.add(t);
                    }
                });
            }
            go.countDown();
            for (Thread racer : racers) {
                racer.join();
            }
            assertEquals(1, wins.get(), "round " + round);
            assertEquals(1, losses.size(), "round " + round);
            assertInstanceOf(WrongThreadException.class, losses.get(0), "round " + round);
            // The winner has ended too: the orphan (now its) is exact, and the rest closes from here.
            assertEquals(2, RefCount.count(instance), "round " + round);
            assertEquals(1, references.get(2).value(), "round " + round);
            for (Adder reference : references) {
                reference.close();
            }
            assertEquals(before, live(Adder.class), "round " + round);
        }
    }

    /** Threads close references to one orphan at once: each release holds it an instant, none is lost or refused. */
    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void racingReleasesOfOneOrphanAreExact(String kind) throws Exception {
        long before = live(Adder.class);
        int racers = 4;
        for (int round = 0; round < 300; round++) {
            List<Adder> references = onEndedThread(kind, () -> {
                Adder first = Adder.create(0);
                List<Adder> all = new ArrayList<>(List.of(first));
                for (int i = 0; i < racers; i++) {
                    all.add(first.newReference());
                }
                return all;
            });
            long instance = address(references.get(0));
            CountDownLatch go = new CountDownLatch(1);
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread[] threads = new Thread[racers];
            for (int r = 0; r < racers; r++) {
                Adder mine = references.get(r + 1);
                threads[r] = builder(kind).start(() -> {
                    try {
                        go.await();
                        mine.close();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(List.of(), failures, "round " + round);
            assertEquals(1, RefCount.count(instance), "round " + round);
            references.get(0).close();
            assertEquals(before, live(Adder.class), "round " + round);
        }
    }
}
