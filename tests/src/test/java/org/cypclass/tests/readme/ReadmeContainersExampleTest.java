package org.cypclass.tests.readme;

import java.util.List;

import org.cypclass.examples.Node;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.RefList;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The containers example of README.md ("Containers: nogil lists"), as written there. */
class ReadmeContainersExampleTest {

    @Test
    void theExampleRuns() {
        long seen;
        List<Long> kept;
        // --- README: containers ---
        try (LongList samples = LongList.create(); RefList<Node> nodes = RefList.create(Node.class)) {
            for (long i = 0; i < 1_000; i++) {
                samples.add(i * i);                         // amortised O(1), no Long objects
            }
            long total = 0;
            for (long i = 0; i < samples.size(); i++) {
                total += samples.get(i);                    // a capability check and a plain load
            }
            try (Node node = Node.create(7, null)) {
                nodes.add(node);                            // the slot takes its own count
            }                                               // the list now holds the only one
            RefList.Cursor<Node> cursor = nodes.cursor();   // walks without allocating
            while (cursor.next()) {
                total += cursor.element().payload();        // a borrowed reference, valid for the step
            }
            List<Long> view = samples.asList();             // a java.util.List view, boxed
        // --- end ---
            seen = total;
            kept = List.copyOf(view);
        }                                                   // closing the list released the node
        assertEquals(332_833_500L + 7, seen);
        assertEquals(1_000, kept.size());
        MemoryStats.TypeStats nodes = MemoryStats.snapshot().of(Node.class.getName());
        assertEquals(0, nodes == null ? 0 : nodes.liveBlocks());
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeContainersExampleTest.class, "containers");
    }
}
