package org.cypclass.tests.readme;

import org.cypclass.examples.Tally;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.capabilities.Isolated;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The actors example of README.md, run as printed there, and kept printed there. */
class ReadmeActorsExampleTest {

    @Test
    void readmeExample() {
        long before = MemoryStats.snapshot().liveBlocks();
        long seen;
        long seenAgain;
        // --- README: actors ---
        try (ActorSystem system = ActorSystem.start()) {                 // one worker per core
            Active<Tally> tally = Isolated.consume(Tally.create()).activate(system);
            tally.tell(t -> t.add(3));                                    // fire and forget
            long total = tally.ask(t -> t.add(4)).join();                 // 7
            long again = new Tally.Async(tally).add(5).join();            // generated: each public method as a message
            tally.close();
        // --- end ---
            seen = total;
            seenAgain = again;
        }
        assertEquals(7, seen);
        assertEquals(12, seenAgain);
        assertEquals(before, MemoryStats.snapshot().liveBlocks(), "nothing leaked");
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeActorsExampleTest.class, "actors");
    }
}
