package org.cypclass.tests.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cypclass.objects.containers.LongLongDict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dict example of README.md ("Containers: nogil lists"), as written there. */
class ReadmeDictExampleTest {

    @Test
    void theExampleRuns() {
        long seen;
        List<Map.Entry<Long, Long>> kept;
        // --- README: dict ---
        try (LongLongDict counts = LongLongDict.create()) {
            for (long word : new long[] {5, 3, 5, 9, 5, 3}) {
                counts.put(word, counts.getOrDefault(word, 0) + 1);
            }
            counts.remove(3);
            counts.put(3, 10);                              // re-inserted: now last
            long fives = counts.get(5);                     // 3; a missing key: NoSuchElementException
            LongLongDict.Cursor cursor = counts.cursor();   // insertion order: 5, 9, 3; no allocation
            while (cursor.next()) {
                cursor.setValue(cursor.value() * 2);        // overwriting is not a change of size
            }
            Map<Long, Long> view = counts.asMap();          // {5=6, 9=2, 3=20}, a java.util.Map view
        // --- end ---
            seen = fives;
            kept = new ArrayList<>(view.entrySet());
        }
        assertEquals(3, seen);
        assertEquals(List.of(Map.entry(5L, 6L), Map.entry(9L, 2L), Map.entry(3L, 20L)), kept);
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeDictExampleTest.class, "dict");
    }
}
