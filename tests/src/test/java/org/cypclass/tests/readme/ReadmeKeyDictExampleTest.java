package org.cypclass.tests.readme;

import org.cypclass.examples.Point;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.containers.KeyLongDict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example of README.md's keys by content ("Containers: nogil lists"), as written there. */
class ReadmeKeyDictExampleTest {

    @Test
    void theExampleRuns() {
        long seenFirst;
        long afterwards;
        // --- README: keys by content ---
        try (KeyLongDict<Point> visits = KeyLongDict.create(Point.class);
             Frozen<Point> home = Isolated.consume(Point.create(0, 0)).freeze()) {
            visits.put(home.get(), 1);                          // a key must be frozen: its hash cannot change
            try (Point query = Point.create(0, 0)) {            // another instance, equal by content
                long seen = visits.get(query);                  // 1: found through @Hash and @Equals
                visits.put(home.get(), seen + 1);               // overwrites: the dict keeps its first key
        // --- end ---
                seenFirst = seen;
                afterwards = visits.get(query);
            }
        }
        assertEquals(1, seenFirst);
        assertEquals(2, afterwards);
        assertEquals(0, MemoryStats.snapshot().of(Point.class.getName()).liveBlocks());
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeKeyDictExampleTest.class, "keys by content");
    }
}
