package org.cypclass.tests.capabilities;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Node;
import org.cypclass.examples.Pair;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.tests.support.ThreadStates;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Locked objects: fields only inside guards, read guards read, write guards write, nesting,
 * waiting and timeouts, the store rules of a locked graph, and an invariant kept by four
 * threads over millions of guarded operations.
 */
class LockedTest {

    private static Locked<Pair> lockedChain(int n) {
        return Isolated.consume(Pair.chain(n)).lock();
    }

    @Test
    void guardsGiveAccessAndNothingElseDoes() {
        try (Locked<Pair> locked = lockedChain(2)) {
            Pair view;
            try (Locked.Guard<Pair> g = locked.write()) {
                view = g.get();
                view.set(5);
                view.next().set(6);         // an object of the locked graph, through the guard
                assertTrue(g.canWrite());
            }
            CapabilityException outside = assertThrows(CapabilityException.class, view::left);
            assertTrue(outside.getMessage().contains("outside a guard"), outside.getMessage());
            try (Locked.Guard<Pair> g = locked.read()) {
                assertEquals(5, g.get().left());
                assertEquals(6, g.get().next().right());
                CapabilityException readOnly = assertThrows(CapabilityException.class, () -> g.get().set(1));
                assertTrue(readOnly.getMessage().contains("read guard"), readOnly.getMessage());
                assertThrows(CapabilityException.class, () -> g.get().next().set(1));
                assertFalse(g.canWrite());
            }
            assertThrows(CapabilityException.class, view::left);
        }
    }

    @Test
    void aReferenceReadThroughAGuardDiesWithIt() {
        try (Locked<Pair> locked = lockedChain(3)) {
            Pair inner;
            try (Locked.Guard<Pair> g = locked.write()) {
                inner = g.get().next().next();
                assertEquals(2, inner.left());
            }
            assertThrows(CapabilityException.class, inner::left);
            assertThrows(CapabilityException.class, inner::newReference);
            try (Locked.Guard<Pair> g = locked.read()) {
                assertThrows(CapabilityException.class, () -> g.get().next().newReference(),
                    "an object inside a locked graph cannot get a reference that outlives the guard");
            }
        }
    }

    @Test
    void guardsNestButAReadGuardCannotBecomeAWriteGuard() {
        try (Locked<Pair> locked = lockedChain(1)) {
            try (Locked.Guard<Pair> outer = locked.write()) {
                try (Locked.Guard<Pair> inner = locked.write()) {
                    inner.get().set(3);
                }
                try (Locked.Guard<Pair> inner = locked.read()) {
                    assertEquals(3, inner.get().left());
                }
                outer.get().set(4);     // still open after the nested ones closed
            }
            try (Locked.Guard<Pair> outer = locked.read()) {
                try (Locked.Guard<Pair> inner = locked.read()) {
                    assertEquals(4, inner.get().left());
                }
                assertThrows(CapabilityException.class, locked::write);
                assertEquals(4, outer.get().right());
            }
        }
    }

    @Test
    void theStoreRulesKeepTheLockedGraphClosed() {
        try (Locked<Pair> locked = lockedChain(2); Pair local = Pair.create(1)) {
            try (Locked.Guard<Pair> g = locked.write()) {
                CapabilityException in = assertThrows(CapabilityException.class, () -> g.get().next(local));
                assertTrue(in.getMessage().contains("inside a locked graph"), in.getMessage());
                CapabilityException out = assertThrows(CapabilityException.class, () -> local.next(g.get().next()));
                assertTrue(out.getMessage().contains("escape"), out.getMessage());
                // Objects of the same graph, frozen objects and thread-local graphs moved in are fine.
                g.get().next().next(g.get().next());    // a self-loop inside the graph
                g.get().next().next(null);
                try (Frozen<Node> frozen = Isolated.consume(Node.create(8, null)).freeze()) {
                    g.get().node(frozen.get());
                }
                Pair moved = g.adopt(Isolated.consume(Pair.create(9)));
                g.get().next().next(moved);
                assertEquals(9, g.get().next().next().left());
            }
            try (Locked.Guard<Pair> g = locked.read()) {
                assertEquals(9, g.get().next().next().right(), "adopted graphs stored in a field stay");
                assertEquals(8, g.get().node().payload());
            }
            local.next(locked.handle());    // a locked object may sit in a thread-local field
            assertThrows(CapabilityException.class, () -> local.next().left());
            try (Locked<Pair> again = Locked.from(local.next()); Locked.Guard<Pair> g = again.read()) {
                assertEquals(1, g.get().next().left());
            }
        }
    }

    @Test
    void anAdoptedGraphThatNoFieldKeepsDiesWithTheGuard() {
        long before = Pair.DEATHS.get();
        try (Locked<Pair> locked = lockedChain(1)) {
            try (Locked.Guard<Pair> g = locked.write()) {
                Pair moved = g.adopt(Isolated.consume(Pair.create(9)));
                assertEquals(9, moved.left());
            }
            assertEquals(before + 1, Pair.DEATHS.get());
        }
    }

    @SuppressWarnings("cypclass:thread-local-to-shared") // checks the run-time refusal of a thread-local object
    @Test
    void lockedObjectsAreMadeOnlyFromIsolatedGraphs() {
        try (Pair local = Pair.create(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Locked.from(local));
            assertTrue(e.getMessage().contains("Isolated.consume(reference).lock()"), e.getMessage());
        }
    }

    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    @Test
    void aClosedLockedReferenceRefusesEverything() {
        Locked<Pair> locked = lockedChain(1);
        Locked<Pair> other = locked.newReference();
        locked.close();
        assertThrows(IllegalStateException.class, locked::write);
        assertThrows(IllegalStateException.class, locked::read);
        assertThrows(IllegalStateException.class, locked::newReference);
        locked.close();     // does nothing
        try (other; Locked.Guard<Pair> g = other.read()) {
            assertEquals(0, g.get().left());
            assertThrows(IllegalStateException.class, other::close, "a guard is open");
        }
    }

    @Test
    void waitersParkAndTimeOut() throws Exception {
        try (Locked<Pair> locked = lockedChain(1)) {
            Locked<Pair> second = locked.newReference();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                try (second; Locked.Guard<Pair> g = second.write()) {
                    g.get().set(7);
                    held.countDown();
                    release.await();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            held.await();
            assertNull(locked.tryRead(Duration.ofMillis(20)), "a writer holds the lock");
            assertNull(locked.tryWrite(Duration.ofMillis(20)));
            release.countDown();
            try (Locked.Guard<Pair> g = locked.tryRead(Duration.ofSeconds(30))) {
                assertNotNull(g);
                assertEquals(7, g.get().left());
            }
            writer.join();
            assertNull(failure.get());
        }
    }

    /**
     * An interrupt while waiting ends a timed wait with {@link InterruptedException} and no
     * guard held, and is kept by an untimed one, as {@code Lock.lock()} keeps it: the guard
     * still opens, with the thread's interrupt status set. Each thread is interrupted while it
     * waits for the write guard this test holds.
     */
    @Test
    void anInterruptEndsATimedWaitAndIsKeptByAnUntimedOne() throws Exception {
        try (Locked<Pair> locked = lockedChain(1)) {
            Locked<Pair> forTimed = locked.newReference();
            Locked<Pair> forUntimed = locked.newReference();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread untimed;
            try (Locked.Guard<Pair> g = locked.write()) {
                Thread timed = Thread.ofPlatform().name("timed").start(() -> {
                    try (forTimed) {
                        forTimed.tryRead(Duration.ofMinutes(5));
                        failure.set(new AssertionError("tryRead returned although interrupted"));
                    } catch (InterruptedException expected) {
                        // the wait ended, holding nothing
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                ThreadStates.awaitWaiting(timed, "the write guard");
                timed.interrupt();
                timed.join();
                untimed = Thread.ofPlatform().name("untimed").start(() -> {
                    try (forUntimed; Locked.Guard<Pair> w = forUntimed.write()) {
                        interruptKept.set(Thread.currentThread().isInterrupted());
                        w.get().set(3);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                ThreadStates.awaitWaiting(untimed, "the write guard");
                untimed.interrupt();
                assertEquals(0, g.get().left(), "the untimed writer still waits");
            }
            untimed.join();
            assertNull(failure.get());
            assertTrue(interruptKept.get(), "the untimed wait kept the interrupt for after it");
            try (Locked.Guard<Pair> g = locked.tryWrite(Duration.ZERO)) {
                assertNotNull(g, "no waiter left a lock held");
                assertEquals(3, g.get().left());
            }
        }
    }

    /**
     * A reader that arrives while a writer waits queues behind the writer, though only readers
     * hold the lock: were it let in, readers that keep overlapping one another would keep the
     * writer out for ever. The first reader keeps its guard until the late reader is seen
     * parked, so a lock without writer preference admits the late reader and fails here at
     * once, whatever the timing.
     */
    @Test
    void aWaitingWriterIsNotStarvedByReaders() throws Exception {
        try (Locked<Pair> locked = lockedChain(1)) {
            Locked<Pair> forWriter = locked.newReference();
            Locked<Pair> forLateReader = locked.newReference();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong lateReaderSaw = new AtomicLong(-1);
            List<Thread> threads = new ArrayList<>();
            try (Locked.Guard<Pair> early = locked.read()) {
                Thread writer = Thread.ofPlatform().name("writer").start(() -> {
                    try (forWriter; Locked.Guard<Pair> g = forWriter.write()) {
                        g.get().set(1);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                threads.add(writer);
                ThreadStates.awaitWaiting(writer, "the reader that holds the lock");
                Thread lateReader = Thread.ofPlatform().name("late reader").start(() -> {
                    try (forLateReader; Locked.Guard<Pair> g = forLateReader.read()) {
                        lateReaderSaw.set(g.get().left());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                threads.add(lateReader);
                try {
                    ThreadStates.awaitWaiting(lateReader, "the waiting writer");
                } catch (AssertionError admitted) {
                    throw new AssertionError("a reader arriving while a writer waits was let in (it read "
                        + lateReaderSaw.get() + "): readers that keep overlapping would starve the writer", admitted);
                }
                assertEquals(0, early.get().left());
            } finally {
                for (Thread thread : threads) {
                    thread.join();
                }
            }
            assertNull(failure.get());
            assertEquals(1, lateReaderSaw.get(), "the late reader runs after the writer it queued behind");
        }
    }

    @Test
    void fourThreadsKeepTheInvariantOverMillionsOfGuardedOperations() throws Exception {
        int threads = 4;
        int operations = 1_000_000;
        AtomicLong torn = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Locked<Pair> locked = lockedChain(1)) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Locked<Pair> mine = locked.newReference();
                boolean writes = t % 2 == 0;
                workers.add(Thread.ofPlatform().start(() -> {
                    try (mine) {
                        for (int i = 0; i < operations; i++) {
                            if (writes && (i & 3) == 0) {
                                try (Locked.Guard<Pair> g = mine.write()) {
                                    Pair p = g.get();
                                    p.left(p.left() + 1);
                                    p.right(p.right() + 1);
                                }
                            } else {
                                try (Locked.Guard<Pair> g = mine.read()) {
                                    Pair p = g.get();
                                    if (p.left() != p.right()) {
                                        torn.incrementAndGet();
                                    }
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            assertNull(failure.get());
            assertEquals(0, torn.get(), "readers saw the two fields differ");
            try (Locked.Guard<Pair> g = locked.read()) {
                assertEquals(2L * (operations / 4), g.get().left(), "lost updates");
                assertEquals(g.get().left(), g.get().right());
            }
        }
    }
}
