package org.cypclass.tests.readme;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cypclass.examples.Node;
import org.cypclass.examples.Tally;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The capabilities example of README.md, run as printed there, and kept printed there. */
class ReadmeCapabilitiesExampleTest {

    @Test
    void readmeExample() throws Exception {
        long before = MemoryStats.snapshot().liveBlocks();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            // --- README: capabilities ---
            // Hand a list to another thread: the whole graph moves, nothing is copied.
            Node head = Node.create(1, null);
            try (Node second = Node.create(2, null)) {
                head.next(second);
            }
            // The task spends the holder on the pool's thread: a hand-over the leak checker cannot see.
            @SuppressWarnings("resourceleak")
            Isolated<Node> parcel = Isolated.consume(head);         // head is closed; the graph is checked isolated
            Future<Long> sum = pool.submit(() -> {
                try (Node mine = parcel.adopt()) {                  // on the receiver, the graph is its own
                    return mine.payload() + mine.next().payload();
                }
            });

            // A counter for many threads: Cython+'s `with wlocked`.
            Locked<Tally> counter = Isolated.consume(Tally.create()).lock();
            try (Locked.Guard<Tally> g = counter.write()) {
                g.get().add(1);
            }

            // A graph any thread reads without a lock; writes throw.
            Frozen<Node> config = Isolated.consume(Node.create(8080, null)).freeze();
            Future<Long> port = pool.submit(() -> config.get().payload());
            // --- end ---
            assertEquals(3, sum.get());
            assertEquals(8080, port.get());
            assertThrows(CapabilityException.class, () -> writeThrough(config));
            assertThrows(CapabilityException.class, () -> counter.handle().total());
            try (Locked.Guard<Tally> g = counter.read()) {
                assertEquals(1, g.get().total());
            }
            counter.close();
            config.close();
        }
        assertEquals(before, MemoryStats.snapshot().liveBlocks(), "nothing leaked");
    }

    @SuppressWarnings("cypclass:read-only-write") // checks the CapabilityException a read-only write throws
    private static void writeThrough(Frozen<Node> config) {
        config.get().payload(1);
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeCapabilitiesExampleTest.class, "capabilities");
    }
}
