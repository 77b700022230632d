package org.cypclass.tests.capabilities;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Node;
import org.cypclass.examples.Pair;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.objects.capabilities.NotIsolatedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code consume}: trial deletion accepts exactly the graphs referenced from nowhere else,
 * names the object referenced from outside otherwise (changing nothing), and an isolated graph
 * moves to another thread, which adopts all of it.
 */
class IsolatedTest {

    private static long address(Object reference) {
        String printed = reference.toString();
        int at = printed.indexOf(" at 0x") + 6;
        return Long.parseUnsignedLong(printed.substring(at, printed.indexOf('>', at)), 16);
    }

    /** Live pairs and nodes: what these tests make. */
    static long live() {
        MemoryStats stats = MemoryStats.snapshot();
        return stats.of(Pair.class.getName()).liveBlocks() + stats.of(Node.class.getName()).liveBlocks();
    }

    /** Runs {@code body} on a new platform thread and rethrows what it threw. */
    private static void onOtherThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void anIsolatedGraphMovesToAnotherThreadWhichAdoptsAllOfIt() throws InterruptedException {
        Pair head = Pair.chain(3);
        Node node = Node.create(7, null);
        head.next().node(node);
        node.close();
        Isolated<Pair> parcel = Isolated.consume(head);
        assertFalse(head.isOpen(), "consume closes the source reference");
        onOtherThread(() -> {
            try (Pair mine = parcel.adopt()) {
                assertEquals(0, mine.left());
                assertEquals(7, mine.next().node().payload());
                mine.next().next().set(99);
                try (Pair grown = Pair.create(5)) {
                    mine.next().next(grown);    // the graph is this thread's: it may grow it
                }
                assertEquals(Thread.currentThread().threadId(), RefCount.owner(address(mine.next().next())));
            }
        });
        assertEquals(0, live());
    }

    @Test
    void consumeRefusesAGraphWithAnotherReferenceToTheRootAndChangesNothing() {
        try (Pair head = Pair.chain(2); Pair other = head.newReference()) {
            NotIsolatedException e = assertThrows(NotIsolatedException.class, () -> Isolated.consume(head));
            assertEquals(1, e.outsideReferences());
            assertEquals(head.toString(), e.object());
            assertTrue(e.getMessage().contains("the root"), e.getMessage());
            assertTrue(head.isOpen());
            assertEquals(2, RefCount.count(address(head)));
            assertEquals(1, RefCount.count(address(head.next())));
            assertEquals(1, other.next().left());
        }
    }

    @Test
    void consumeNamesTheInnerObjectReferencedFromOutside() {
        try (Pair head = Pair.chain(4)) {
            Pair third = head.next().next().newReference();
            try (Pair holder = Pair.create(0)) {
                holder.next(third);     // a field outside the graph, plus the owned reference
                NotIsolatedException e = assertThrows(NotIsolatedException.class, () -> Isolated.consume(head));
                assertEquals(third.toString(), e.object());
                assertEquals(2, e.outsideReferences());
            }
            third.close();
            assertEquals(1, RefCount.count(address(head.next().next())));
            Isolated.consume(head).close();
        }
    }

    @Test
    void garbageCollectedReferencesCountAsOutside() {
        try (Pair head = Pair.create(1)) {
            Pair collected = head.gcReference();
            NotIsolatedException e = assertThrows(NotIsolatedException.class, () -> Isolated.consume(head));
            assertEquals(1, e.outsideReferences());
            collected.close();
            Isolated.consume(head).close();
        }
    }

    @Test
    void consumeTakesOwnedReferencesOnly() {
        try (Pair head = Pair.chain(2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Isolated.consume(head.next()));
            assertTrue(e.getMessage().contains("borrowed"), e.getMessage());
            assertThrows(NullPointerException.class, () -> Isolated.consume((Pair) null));
        }
    }

    @Test
    void cyclesInsideTheGraphAreInternal() {
        Pair a = Pair.create(1);
        try (Pair b = Pair.create(2)) {
            a.next(b);
            b.next(a);          // a <-> b, plus the reference a
        }
        Isolated<Pair> parcel = Isolated.consume(a);
        try (Pair again = parcel.adopt()) {
            again.next().next(null);    // break the cycle so that both die
        }
        assertEquals(0, live());
    }

    @Test
    void borrowedReferencesOfTheSenderStopWorking() {
        Pair head = Pair.chain(2);
        Pair second = head.next();
        Isolated<Pair> parcel = Isolated.consume(head);
        assertThrows(IllegalStateException.class, second::left);
        parcel.close();
    }

    @Test
    void anIsolatedHolderIsSpentOnce() throws InterruptedException {
        Isolated<Pair> parcel = Isolated.consume(Pair.create(3));
        try (Pair mine = parcel.adopt()) {
            assertEquals(3, mine.left());
        }
        assertThrows(IllegalStateException.class, parcel::adopt);
        assertThrows(IllegalStateException.class, parcel::freeze);
        parcel.close();     // does nothing

        Isolated<Pair> other = Isolated.consume(Pair.chain(10));
        onOtherThread(other::close);    // released by a thread that never adopted it
        assertFalse(other.isPending());
        assertEquals(0, live());
    }

    @Test
    void theWalkStopsAtFrozenAndLockedObjects() {
        Frozen<Node> frozen = Isolated.consume(Node.create(4, null)).freeze();
        Locked<Pair> locked = Isolated.consume(Pair.create(2)).lock();
        Pair holder = Pair.create(9);
        try (Pair middle = Pair.create(5)) {
            middle.next(locked.handle());       // the locked object has another reference (locked)
            holder.next(middle);
        }
        holder.node(frozen.get());              // and so has the frozen one (frozen): neither is in the graph
        assertEquals(4, holder.node().payload());
        Isolated<Pair> parcel = Isolated.consume(holder);
        try (Pair adopted = parcel.adopt()) {
            assertEquals(5, adopted.next().left());
            assertEquals(4, adopted.node().payload());
        }
        frozen.close();
        locked.close();
        assertEquals(0, live());
    }

    @Test
    void aMillionNodeListIsConsumedInConstantStack() throws InterruptedException {
        AtomicReference<Isolated<Pair>> parcel = new AtomicReference<>();
        // A 256 KiB stack: a recursive walk would overflow long before a million nodes.
        Thread small = new Thread(null, () -> parcel.set(Isolated.consume(Pair.chain(1_000_000))), "small-stack",
            256 * 1024);
        small.start();
        small.join();
        onOtherThread(() -> {
            try (Pair mine = parcel.get().adopt()) {
                long sum = 0;
                for (Pair p = mine; p != null; p = p.next()) {
                    sum += p.left();
                }
                assertEquals(999_999L * 1_000_000L / 2, sum);
            }
        });
        assertEquals(0, live());
    }

    @Test
    void handOffBackAndForthKeepsCountsExact() throws InterruptedException {
        int rounds = 100_000;
        BlockingQueue<Isolated<Pair>> toB = new ArrayBlockingQueue<>(1);
        BlockingQueue<Isolated<Pair>> toA = new ArrayBlockingQueue<>(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread b = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    Pair mine = toB.take().adopt();
                    mine.next().set(mine.next().left() + 1);
                    toA.put(Isolated.consume(mine));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            toB.put(Isolated.consume(Pair.chain(3)));
            for (int i = 0; i < rounds; i++) {
                Pair mine = toA.take().adopt();
                mine.set(mine.left() + 1);
                if (i < rounds - 1) {
                    toB.put(Isolated.consume(mine));
                } else {
                    assertEquals(rounds, mine.left());
                    assertEquals(rounds + 1, mine.next().left());
                    assertEquals(rounds + 1, mine.next().right());
                    assertEquals(1, RefCount.count(address(mine)));
                    assertEquals(1, RefCount.count(address(mine.next())));
                    mine.close();
                }
            }
        } finally {
            b.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, live());
    }
}
