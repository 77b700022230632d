package org.cypclass.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.checkerframework.checker.mustcall.qual.MustCallUnknown;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.containers.StrLongDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StrBench}'s rows run once outside JMH: both word counts read the same file and count
 * every word the same, the lookups find what the maps hold, the rows bring their baselines,
 * and nothing stays alive.
 */
class StrBenchTest {

    private static long live(Class<? extends @MustCallUnknown Object> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    @Test
    void bothWordCountsAgreeOnEveryWord(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("words.txt");
        StrBench.write(file, 200_000);
        Map<String, Long> java = new HashMap<>();
        assertEquals(200_000, StrBench.countJava(file, java));
        try (StrLongDict counts = StrLongDict.create()) {
            assertEquals(200_000, StrBench.countCypclass(file, counts));
            assertEquals(java.size(), counts.size());
            assertTrue(java.size() > 10_000, "a Zipf vocabulary: " + java.size());
            long total = 0;
            StrLongDict.Cursor cursor = counts.cursor();
            while (cursor.next()) {
                assertEquals(java.get(cursor.key().toString()), cursor.value(), cursor.key().toString());
                total += cursor.value();
            }
            assertEquals(200_000, total);
            assertTrue(java.keySet().stream().anyMatch(w -> w.chars().anyMatch(c -> c > 127)), "some non-ASCII words");
        }
        assertEquals(0, live(CyStr.class));
    }

    @Test
    void theBenchmarkBodiesRunOnceOnTheFullFile() throws IOException {
        StrBench bench = new StrBench();
        StrBench.TextFile file = new StrBench.TextFile();
        file.create();
        try {
            long size = Files.size(file.path);
            assertTrue(size > 15L << 20 && size < 17L << 20, "about 16 MiB: " + size);
            long distinct = bench.wordCountJava(file);
            assertEquals(distinct, bench.wordCountCypclass(file));
        } finally {
            file.delete();
        }
        StrBench.Lookups lookups = new StrBench.Lookups();
        lookups.fill();
        try {
            for (int i = 0; i < StrBench.KEYS; i++) {
                int at = lookups.next;
                long expected = bench.hashMapGet(lookups);
                lookups.next = at;
                assertEquals(expected, bench.strDictGet(lookups), lookups.stringKeys[at]);
            }
        } finally {
            lookups.close();
        }
        assertEquals(0, live(CyStr.class));
        assertEquals(0, live(StrLongDict.class));
    }

    @Test
    void eachRowIsComparedWithItsJavaTwin() {
        BenchSelection selection = BenchSelection.of(List.of("StrBench\\.wordCountCypclass$", "StrBench\\.strDictGet$"));
        assertTrue(selection.added().contains(StrBench.class.getName() + ".wordCountJava"), selection.added().toString());
        assertTrue(selection.added().contains(StrBench.class.getName() + ".hashMapGet"), selection.added().toString());
    }
}
