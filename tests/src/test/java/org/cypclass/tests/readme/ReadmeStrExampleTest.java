package org.cypclass.tests.readme;

import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.containers.StrLongDict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The string example of README.md ("Strings: CyStr"), as written there. */
class ReadmeStrExampleTest {

    @Test
    void theExampleRuns() {
        long seenBytes;
        boolean seenGreets;
        long seenWorlds;
        long seenFives;
        // --- README: strings ---
        try (CyStr name = CyStr.of("Grüße, 世界"); CyStr hello = CyStr.of("Grüße");
             StrLongDict counts = StrLongDict.create()) {
            long bytes = name.length();                         // 15: UTF-8 bytes, not chars
            boolean greets = name.startsWith(hello);            // true
            long worlds;
            try (CyStr world = name.slice(9, 15); CyStr again = CyStr.of("世界")) {
                counts.put(world, 1);                           // the dict takes its own count
                worlds = counts.get(again);                     // 1: keys compare by content
            }
            counts.addTo(name, 5);                              // a new key: 5
            long fives = counts.getOrDefault("Grüße, 世界", 0);  // 5: a String finds it, no CyStr made
        // --- end ---
            seenBytes = bytes;
            seenGreets = greets;
            seenWorlds = worlds;
            seenFives = fives;
            assertEquals(2, counts.size());
        }
        assertEquals(15, seenBytes);
        assertTrue(seenGreets);
        assertEquals(1, seenWorlds);
        assertEquals(5, seenFives);
        assertEquals(0, MemoryStats.snapshot().of(CyStr.class.getName()).liveBlocks());
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeStrExampleTest.class, "strings");
    }
}
