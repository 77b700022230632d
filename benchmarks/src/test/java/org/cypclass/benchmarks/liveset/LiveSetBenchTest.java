package org.cypclass.benchmarks.liveset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live-set harness end to end at a tiny size (10^4 records, 1 s of requests per variant,
 * each in its own JVM), and its parts: the command line, the heap rule, the safepoint log's
 * GC pauses, the chart's axis labels. It checks the harness, not the library's speed: the
 * numbers of a one-second run on a shared machine say nothing.
 */
class LiveSetBenchTest {

    private static final Pattern ROW = Pattern.compile("\\{[^}]*}");
    private static final Pattern PAIR = Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|[-0-9.eE]+)");

    @Test
    void aTinyRunWritesEveryKeyOfEveryVariantAndAVerdictPerGoal(@TempDir Path out) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LiveSetBench.Options options = LiveSetBench.Options.parse("--n", "10000", "--seconds", "1", "--out", out.toString());
        int status;
        try (PrintStream stream = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            status = LiveSetBench.run(options, stream);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);

        List<Map<String, String>> rows = rows(Files.readString(out.resolve("liveset.json")));
        assertEquals(List.of("java G1", "java ZGC", "cypclass G1"),
            rows.stream().map(row -> unquote(row.get("impl")) + " " + unquote(row.get("gc"))).toList());
        for (Map<String, String> row : rows) {
            assertEquals(LiveSetBench.KEYS, List.copyOf(row.keySet()), "the keys, in order: " + row);
            assertEquals(10_000, number(row, "n"), row.toString());
            assertTrue(number(row, "buildSeconds") > 0, row.toString());
            assertTrue(number(row, "requests") >= 1_000, "a second of requests of a few microseconds: " + row);
            assertTrue(number(row, "p50Micros") > 0, row.toString());
            assertTrue(number(row, "p50Micros") <= number(row, "p99Micros"), row.toString());
            assertTrue(number(row, "p99Micros") <= number(row, "p999Micros"), row.toString());
            assertTrue(number(row, "p999Micros") <= number(row, "maxMicros"), row.toString());
            assertTrue(number(row, "gcPauseMaxMillis") <= number(row, "gcPauseTotalMillis"), row.toString());
            if (unquote(row.get("impl")).equals("java")) {
                // 1 KiB of garbage per request fills a 64 MiB heap many times a second.
                assertTrue(number(row, "gcPauseTotalMillis") > 0, row.toString());
            }
            assertTrue(number(row, "allocBytesPerRequest") >= LiveSetRun.GARBAGE_BYTES, row.toString());
            assertTrue(number(row, "cpuSeconds") > 0, row.toString());
            assertTrue(number(row, "peakRssMb") > 10, row.toString());
        }
        assertEquals(LiveSetBench.MIN_HEAP_MIB, number(rows.get(0), "xmxMb"));
        assertEquals(LiveSetBench.CYPCLASS_HEAP_MIB, number(rows.get(2), "xmxMb"));

        assertTrue(text.contains("| impl | GC | N |"), text);
        List<String> verdicts = text.lines().filter(line -> line.matches("  (MET|MISS) {3,4} cypclass .*")).toList();
        assertEquals(8, verdicts.size(), "one MET or MISS line per goal:\n" + text);
        assertTrue(text.contains("cypclass p50 latency <= 1.50 x java G1 (measured "), text);
        assertTrue(text.contains("cypclass requests served >= 0.70 x java G1 (measured "), text);
        assertTrue(verdicts.stream().allMatch(line -> line.contains("; over ZGC ")), text);
        assertEquals(text, Files.readString(out.resolve("liveset.md")) + text.substring(text.indexOf("(written: ")));
        assertTrue(Files.size(out.resolve("liveset.png")) > 10_000, "the chart");
        for (String variant : List.of("java-G1", "java-ZGC", "cypclass-G1")) {
            Path logs = out.resolve("liveset-logs");
            assertTrue(Files.readString(logs.resolve(variant + "-10000.hgrm")).contains("#[Max     ="), variant);
            assertTrue(Files.readString(logs.resolve(variant + "-10000-safepoint.log")).contains("Safepoint \""), variant);
        }
    }

    @Test
    void theQuickAndTheFullRunsAndTheirOverrides() {
        LiveSetBench.Options quick = LiveSetBench.Options.parse("--quick");
        assertEquals(List.of(1_000_000L), quick.sizes());
        assertEquals(15, quick.seconds());
        assertEquals(List.of(LiveSetBench.Variant.values()), quick.variants());
        LiveSetBench.Options full = LiveSetBench.Options.parse();
        assertEquals(List.of(10_000_000L, 50_000_000L), full.sizes());
        assertEquals(30, full.seconds());
        assertFalse(full.check());
        LiveSetBench.Options chosen = LiveSetBench.Options.parse("--n", "5e7", "--n", "2000", "--seconds", "5", "--variant",
            "cypclass", "--variant", "java-g1", "--check");
        assertEquals(List.of(50_000_000L, 2_000L), chosen.sizes());
        assertEquals(List.of(LiveSetBench.Variant.JAVA_G1, LiveSetBench.Variant.CYPCLASS), chosen.variants());
        assertTrue(chosen.check());
        for (String[] bad : List.of(new String[] {"--n", "1.5"}, new String[] {"--n", "1"}, new String[] {"--n", "3e9"},
                new String[] {"--seconds", "0"}, new String[] {"--variant", "shenandoah"}, new String[] {"--n"},
                new String[] {"--full"})) {
            assertThrows(IllegalArgumentException.class, () -> LiveSetBench.Options.parse(bad), String.join(" ", bad));
        }
    }

    @Test
    void javaGetsTwiceTheLiveSetAndCypclassASmallHeap() {
        // 5 x 10^7 records of 36 B: 1,716.6 MiB live, twice that rounded up.
        assertEquals(3434, LiveSetBench.Variant.JAVA_G1.heapMib(50_000_000));
        assertEquals(3434, LiveSetBench.Variant.JAVA_ZGC.heapMib(50_000_000));
        assertEquals(69, LiveSetBench.Variant.JAVA_G1.heapMib(1_000_000));
        assertEquals(LiveSetBench.MIN_HEAP_MIB, LiveSetBench.Variant.JAVA_G1.heapMib(10_000));
        assertEquals(LiveSetBench.CYPCLASS_HEAP_MIB, LiveSetBench.Variant.CYPCLASS.heapMib(50_000_000));
    }

    @Test
    void gcPausesAreTheCollectorsSafepointsOnly() {
        List<String> log = List.of(
            "[0.056s] Safepoint \"G1CollectForAllocation\", Time since last: 39598712 ns, Reaching safepoint: 3638 ns,"
                + " At safepoint: 4134294 ns, Leaving safepoint: 18996 ns, Total: 4156928 ns, Threads: 0 runnable, 10 total",
            "[0.154s] Safepoint \"CleanClassLoaderDataMetaspaces\", Time since last: 589395 ns, Reaching safepoint: 210347 ns,"
                + " At safepoint: 9300 ns, Leaving safepoint: 14561 ns, Total: 90000000 ns, Threads: 2 runnable, 10 total",
            "[0.155s] Safepoint \"ZRelocateStartOld\", Time since last: 105826 ns, Reaching safepoint: 97040 ns,"
                + " At safepoint: 12195 ns, Leaving safepoint: 14806 ns, Total: 124041 ns, Threads: 2 runnable, 10 total",
            "[0.160s] Safepoint \"G1PauseRemark\", Time since last: 1 ns, Reaching safepoint: 1 ns, At safepoint: 1 ns,"
                + " Leaving safepoint: 1 ns, Total: 6000000 ns, Threads: 0 runnable, 10 total",
            "[0.170s] something else entirely");
        double[] pauses = LiveSetBench.gcPauses(log);
        assertEquals(4.156928 + 0.124041 + 6.0, pauses[0], 1e-9);
        assertEquals(6.0, pauses[1], 1e-9);
        assertTrue(LiveSetBench.isGcOperation("ZMarkStartYoungAndOld"));
        assertTrue(LiveSetBench.isGcOperation("G1CollectFull"));
        assertTrue(LiveSetBench.isGcOperation("CollectForMetadataAllocation"));
        assertFalse(LiveSetBench.isGcOperation("Deoptimize"));
        assertFalse(LiveSetBench.isGcOperation("Zero"));
    }

    @Test
    void theChartsAxisNamesThePercentilesOneNineApart() {
        assertEquals("0%", LiveSetBench.percentileLabel(0));
        assertEquals("90%", LiveSetBench.percentileLabel(1));
        assertEquals("99%", LiveSetBench.percentileLabel(2));
        assertEquals("99.9%", LiveSetBench.percentileLabel(3));
        assertEquals("99.999%", LiveSetBench.percentileLabel(5));
        assertEquals("", LiveSetBench.percentileLabel(2.5));
    }

    private static List<Map<String, String>> rows(String json) {
        List<Map<String, String>> rows = new ArrayList<>();
        Matcher row = ROW.matcher(json);
        while (row.find()) {
            Map<String, String> values = new LinkedHashMap<>();
            Matcher pair = PAIR.matcher(row.group());
            while (pair.find()) {
                values.put(pair.group(1), pair.group(2));
            }
            rows.add(values);
        }
        return rows;
    }

    private static double number(Map<String, String> row, String key) {
        return Double.parseDouble(row.get(key));
    }

    private static String unquote(String value) {
        return value.substring(1, value.length() - 1);
    }
}
