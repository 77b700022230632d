package org.cypclass.tests.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@link MisuseFuzzer} in a forked JVM, so that a crash is a failed test rather than a lost
 * run: the child must exit 0, leave no {@code hs_err} file, report no unexpected exception and
 * end with no live block.
 */
class MisuseFuzzTest {

    @Test
    void everyPublicMethodSurvivesMisuse(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errorFile = dir.resolve("hs_err_%p.log");
        Path log = dir.resolve("fuzzer.log");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
            "-XX:ErrorFile=" + errorFile, "-cp", System.getProperty("java.class.path"), MisuseFuzzer.class.getName())
            .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the fuzzer did not finish in 5 minutes (a call blocked?):\n" + tail(output));
        try (var files = Files.list(dir)) {
            List<Path> crashes = files.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
            assertTrue(crashes.isEmpty(), "the JVM crashed: " + crashes + "\n" + tail(output));
        }
        Matcher summary = Pattern.compile("classes=(\\d+) calls=(\\d+) unexpected=(\\d+) live=(\\d+)").matcher(output);
        assertTrue(summary.find(), "no summary line:\n" + tail(output));
        System.out.println("misuse fuzzing: " + summary.group());
        output.lines().filter(line -> line.startsWith("fuzzed ")).forEach(System.out::println);
        assertFalse(output.contains("UNEXPECTED"), tail(output));
        assertEquals(0, child.exitValue(), tail(output));
        assertTrue(Long.parseLong(summary.group(1)) >= 20, "classes fuzzed: " + summary.group(1));
        assertTrue(Long.parseLong(summary.group(2)) >= 1_000, "calls made: " + summary.group(2));
        assertEquals("0", summary.group(4), "live blocks at the end");
    }

    private static String tail(String output) {
        return output.length() <= 20_000 ? output : output.substring(output.length() - 20_000);
    }
}
