package org.cypclass.tests.memory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory side of thread churn, kept by a test: 200,000 short-lived virtual threads each
 * making and closing ten instances must grow the resident set by at most 50 MB more than the
 * same loop over small Java arrays, each in a fresh JVM with the same heap settings, and leave
 * no block. (The time side is a JMH benchmark, {@code AllocBench.virtualThreadCreateClose}.)
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads the resident set from /proc/self/status")
class ThreadChurnRssTest {

    private static final int THREADS = 200_000;

    @Test
    void threadChurnCostsAboutWhatPlainJavaCosts(@TempDir Path dir) throws Exception {
        long cyp = growthKb("cyp", dir);
        long java = growthKb("java", dir);
        System.out.println("thread churn, " + THREADS + " virtual threads: RSS growth " + cyp / 1024 + " MB with"
            + " cypclasses, " + java / 1024 + " MB with Java arrays");
        assertTrue(cyp - java <= 50 * 1024, "RSS grew " + (cyp - java) / 1024 + " MB more than plain Java (" + cyp / 1024
            + " MB against " + java / 1024 + " MB)");
    }

    private static long growthKb(String mode, Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve(mode + ".log");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xms64m", "-Xmx128m",
            "-cp", System.getProperty("java.class.path"), ChurnChild.class.getName(), mode, Integer.toString(THREADS))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), mode + " churn did not finish in 5 minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), mode + " churn failed or left blocks:\n" + output);
        Matcher growth = Pattern.compile("growth_kb=(-?\\d+)").matcher(output);
        assertTrue(growth.find(), output);
        return Long.parseLong(growth.group(1));
    }
}
