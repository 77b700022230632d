package org.cypclass.tests.readme;

import org.cypclass.examples.Node;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.containers.LongRefDict;
import org.cypclass.objects.containers.RefLongDict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reference dict example of README.md ("Containers: nogil lists"), as written there. */
class ReadmeRefDictExampleTest {

    @Test
    void theExampleRuns() {
        long seenVisits;
        long seenTotal;
        long nodesAfterRemove;
        // --- README: reference dicts ---
        try (LongRefDict<Node> byId = LongRefDict.create(Node.class);
             RefLongDict<Node> visits = RefLongDict.create(Node.class)) {
            try (Node a = Node.create(7, null); Node b = Node.create(8, null)) {
                byId.put(1, a);                                 // the dict takes its own count
                byId.put(2, b);
                visits.put(a, 3);                               // keyed by the instance itself (identity)
            }                                                   // the dicts now hold the only counts
            Node first = byId.get(1);                           // borrowed: no count, nothing to close
            long seen = visits.get(first);                      // 3: the same instance, another reference
            long total = 0;
            LongRefDict.Cursor<Node> cursor = byId.cursor();    // insertion order, no allocation
            while (cursor.next()) {
                total += cursor.value().payload();              // one borrowed reference, re-pointed per step
            }
            byId.remove(2);                                     // released: b dies here
        // --- end ---
            seenVisits = seen;
            seenTotal = total;
            nodesAfterRemove = MemoryStats.snapshot().of(Node.class.getName()).liveBlocks();
        }                                                       // closing the dicts released a
        assertEquals(3, seenVisits);
        assertEquals(15, seenTotal);
        assertEquals(1, nodesAfterRemove);
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks());
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeRefDictExampleTest.class, "reference dicts");
    }
}
