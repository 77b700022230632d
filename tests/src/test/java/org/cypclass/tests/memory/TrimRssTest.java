package org.cypclass.tests.memory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory goes back to the operating system (issue 23): after a spike of 10^7 instances created
 * and closed, the resident set of a fresh JVM comes back to within 64 MB of its level before
 * the spike, by itself within 5 s of idleness, or at once through {@code MemoryStats.trim()}
 * with the decay off; the memory is then used again, and no block is left. The Java heap is
 * fixed and touched in advance, so the resident set measures the off-heap side.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads the resident set from /proc/self/status; madvise is Linux's")
class TrimRssTest {

    private static final int INSTANCES = 10_000_000;

    @Test
    void aSpikeGoesBackWithinFiveSecondsOfIdleness(@TempDir Path dir) throws Exception {
        checkGoesBackWhileIdle(run(dir, "decay", "-D" + MemoryStats.DECAY_PROPERTY + "=1000"), "spike of " + INSTANCES);
    }

    /**
     * Two sizes allocated interleaved: every heap carves each size class from a region of its
     * own, so their regions hold one size each and go back as a single size's do (a region
     * carved with both could not be rebuilt on one grid, and stayed resident).
     */
    @Test
    void aSpikeOfInterleavedSizesGoesBackToo(@TempDir Path dir) throws Exception {
        checkGoesBackWhileIdle(run(dir, "mixed", "-D" + MemoryStats.DECAY_PROPERTY + "=1000"), "interleaved spike");
    }

    /** The spike was one, and RSS came back within 64 MB of its level before it while idle. */
    private static void checkGoesBackWhileIdle(String output, String what) {
        long before = value(output, "before_kb");
        long peak = value(output, "peak_kb");
        long after = value(output, "after_kb");
        System.out.println(what + ": RSS " + before / 1024 + " MB before, " + peak / 1024 + " MB at the peak, "
            + after / 1024 + " MB after " + value(output, "idle_ms") + " ms idle");
        assertTrue(peak - before > 256 * 1024, "the spike was not one: " + output);
        assertTrue(after - before <= 64 * 1024, output);
    }

    @Test
    void trimGivesTheSpikeBackAtOnce(@TempDir Path dir) throws Exception {
        String output = run(dir, "explicit", "-D" + MemoryStats.DECAY_PROPERTY + "=0");
        long given = value(output, "trim_bytes");
        long before = value(output, "before_kb");
        long peak = value(output, "peak_kb");
        long after = value(output, "after_kb");
        System.out.println("MemoryStats.trim() gave back " + given / (1024 * 1024) + " MB in " + value(output, "trim_ms") + " ms: RSS " + peak / 1024 + " -> " + after / 1024
            + " MB (" + before / 1024 + " MB before the spike)");
        // The instances alone are 10^7 blocks of 56 bytes: most of their regions must go.
        assertTrue(given >= 400L * 1024 * 1024, output);
        assertTrue(peak - after >= given / 1024 / 2, "trim() reported " + given + " bytes but RSS fell by " + (peak - after) + " kB");
        assertTrue(after - before <= 64 * 1024, output);
    }

    private static String run(Path dir, String mode, String decay) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve(mode + ".log");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xms96m", "-Xmx96m",
            "-XX:+AlwaysPreTouch", decay, "-cp", System.getProperty("java.class.path"), TrimChild.class.getName(), mode,
            Integer.toString(INSTANCES))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), mode + " did not finish in 5 minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), mode + " failed:\n" + output);
        return output;
    }

    private static long value(String output, String key) {
        Matcher matcher = Pattern.compile(key + "=(-?\\d+)").matcher(output);
        assertTrue(matcher.find(), key + " missing:\n" + output);
        return Long.parseLong(matcher.group(1));
    }
}
