package org.cypclass.tests.capabilities;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import java.lang.foreign.ValueLayout;

import org.cypclass.examples.Node;
import org.cypclass.examples.Samples;
import org.cypclass.objects.ElementsView;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.examples.Pair;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frozen graphs: read by any thread without a lock, never written, freed exactly once by the
 * last release on whichever thread.
 */
class FrozenTest {

    @SuppressWarnings("cypclass:read-only-write") // checks the CapabilityException a read-only write throws
    @Test
    void everyWriteToAFrozenGraphThrowsAndChangesNothing() {
        try (Frozen<Pair> frozen = Isolated.consume(Pair.chain(3)).freeze()) {
            Pair root = frozen.get();
            CapabilityException e = assertThrows(CapabilityException.class, () -> root.set(1));
            assertTrue(e.getMessage().contains("frozen"), e.getMessage());
            assertTrue(e.getMessage().contains(Pair.class.getName()), e.getMessage());
            assertThrows(CapabilityException.class, () -> root.next().next().left(5));
            assertThrows(CapabilityException.class, () -> root.next(null));
            try (Pair local = Pair.create(4)) {
                assertThrows(CapabilityException.class, () -> root.next().next(local));
            }
            assertEquals(0, root.left());
            assertEquals(2, root.next().next().right());
        }
    }

    @SuppressWarnings("cypclass:thread-local-to-shared") // checks the run-time refusal of a thread-local object
    @Test
    void aFrozenObjectMaySitInAThreadLocalField() {
        try (Frozen<Node> frozen = Isolated.consume(Node.create(3, null)).freeze(); Pair local = Pair.create(0)) {
            local.node(frozen.get());
            assertEquals(3, local.node().payload());
            assertThrows(CapabilityException.class, () -> local.node().payload(4));
            try (Frozen<Node> again = Frozen.from(local.node())) {
                assertEquals(3, again.get().payload());
            }
            assertThrows(IllegalArgumentException.class, () -> Frozen.from(local));
        }
    }

    @Test
    void aFrozenObjectsElementsAreReadOnlyThroughAViewToo() {
        Samples samples = Samples.create(4, 2);
        samples.values(1, 2.5);
        try (Frozen<Samples> frozen = Isolated.consume(samples).freeze();
             ElementsView view = frozen.get().valuesView()) {
            assertEquals(2.5, view.segment().get(ValueLayout.JAVA_DOUBLE, 8));
            assertThrows(IllegalArgumentException.class, () -> view.segment().set(ValueLayout.JAVA_DOUBLE, 8, 1.0),
                "the JDK refuses writes to a read-only segment");
            assertEquals(2.5, frozen.get().values(1));
        }
        Samples locked = Samples.create(4, 2);
        try (Locked<Samples> lock = Isolated.consume(locked).lock(); Locked.Guard<Samples> guard = lock.write()) {
            assertThrows(CapabilityException.class, () -> guard.get().valuesView(),
                "a view would outlive the guard");
            assertThrows(CapabilityException.class, () -> lock.handle().valuesView(), "a handle reads no field");
        }
    }

    @Test
    void manyThreadsReadAndTheLastReleaseFreesTheGraphOnce() throws Exception {
        int threads = 8;
        int nodes = 1000;
        long deathsBefore = Pair.DEATHS.get();
        Frozen<Pair> frozen = Isolated.consume(Pair.chain(nodes)).freeze();
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Frozen<Pair> mine = frozen.newReference();
            readers.add(Thread.ofPlatform().start(() -> {
                try (mine) {
                    start.await();
                    for (int pass = 0; pass < 200; pass++) {
                        long sum = 0;
                        for (Pair p = mine.get(); p != null; p = p.next()) {
                            sum += p.left() + p.right();
                        }
                        if (sum != (long) nodes * (nodes - 1)) {
                            throw new AssertionError("read " + sum);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }));
        }
        frozen.close();     // the readers hold the graph now; the last of them frees it
        start.countDown();
        for (Thread reader : readers) {
            reader.join();
        }
        assertNull(failure.get());
        assertFalse(frozen.isOpen());
        assertEquals(deathsBefore + nodes, Pair.DEATHS.get(), "each pair destroyed exactly once");
    }
}
