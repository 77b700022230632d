package org.cypclass.tests.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@link MisuseFuzzer} in a forked JVM, so that a crash is a failed test rather than a lost
 * run: the child must exit 0, leave no {@code hs_err} file, report no unexpected exception or
 * undocumented normal return on a bad receiver, make every call it tried, call every class of
 * every package, reach at least the calls set below, and end with no live block.
 */
class MisuseFuzzTest {

    /*
     * Thresholds about 5% below what the fuzzer reaches (measured at the commit that set them:
     * classes=86 calls=5909), so that a loss of reach fails the test; the classes exactly. After
     * KdTreeCli left the library for kdtree-app, with the containers in a module of their own:
     * classes=86 calls=5916. libc's after NativeLibrary, NativeFunction and PreparedFormat: 467.
     */
    private static final long MIN_CLASSES = 86;
    private static final long MIN_CALLS = 5_600;
    /** Package → the fewest calls it may get; every fuzzed package must be listed. */
    private static final Map<String, Long> MIN_CALLS_BY_PACKAGE = Map.of(
        "org.cypclass.kdtree", 1_040L, "org.cypclass.libc", 440L, "org.cypclass.memory", 56L,
        "org.cypclass.objects", 35L, "org.cypclass.objects.actors", 41L, "org.cypclass.objects.capabilities", 97L,
        "org.cypclass.objects.containers", 1_600L, "org.cypclass.objects.generated", 131L,
        "org.cypclass.examples", 2_350L);

    @Test
    void everyPublicMethodSurvivesMisuse(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errorFile = dir.resolve("hs_err_%p.log");
        Path log = dir.resolve("fuzzer.log");
        long wanted = Long.getLong(MisuseFuzzer.CALLS_PROPERTY, 0);
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
            "-XX:ErrorFile=" + errorFile, "-D" + MisuseFuzzer.CALLS_PROPERTY + "=" + wanted, "-cp",
            System.getProperty("java.class.path"), MisuseFuzzer.class.getName())
            .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // One pass takes well under a minute alone; a long run gets five minutes per 10^4 calls.
        long minutes = Math.max(5, 5 * (wanted / 10_000 + 1));
        boolean finished = child.waitFor(minutes, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the fuzzer did not finish in " + minutes + " minutes (a call blocked?):\n" + tail(output));
        try (var files = Files.list(dir)) {
            List<Path> crashes = files.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
            assertTrue(crashes.isEmpty(), "the JVM crashed: " + crashes + "\n" + tail(output));
        }
        Matcher summary = Pattern.compile("classes=(\\d+) calls=(\\d+) unexpected=(\\d+) notcalled=(\\d+) live=(\\d+) rounds=(\\d+)")
            .matcher(output);
        assertTrue(summary.find(), "no summary line:\n" + tail(output));
        System.out.println("misuse fuzzing: " + summary.group());
        output.lines().filter(line -> line.startsWith("reach package ")).forEach(System.out::println);
        assertFalse(output.contains("UNEXPECTED"), tail(output));
        assertFalse(output.contains("FUZZER FAILED"), tail(output));
        assertEquals(0, child.exitValue(), tail(output));
        assertEquals("0", summary.group(4), "calls the fuzzer could not make (NOT CALLED lines):\n" + tail(output));
        assertEquals("0", summary.group(5), "live blocks at the end");
        assertTrue(Long.parseLong(summary.group(1)) >= MIN_CLASSES, "classes fuzzed: " + summary.group(1));
        assertTrue(Long.parseLong(summary.group(2)) >= Math.max(MIN_CALLS, wanted), "calls made: " + summary.group(2));
        Matcher reach = Pattern.compile("reach package (\\S+) classes=(\\d+) calls=(\\d+) zero=(\\d+)").matcher(output);
        Map<String, Long> callsByPackage = new TreeMap<>();
        while (reach.find()) {
            callsByPackage.put(reach.group(1), Long.parseLong(reach.group(3)));
            assertEquals("0", reach.group(4), "classes of " + reach.group(1) + " with no call:\n"
                + output.lines().filter(line -> line.startsWith("reach class ") && line.endsWith(" calls=0"))
                    .collect(Collectors.joining("\n")));
        }
        assertEquals(MIN_CALLS_BY_PACKAGE.keySet(), callsByPackage.keySet(),
            "the fuzzed packages (a new exported package needs its threshold here)");
        MIN_CALLS_BY_PACKAGE.forEach((pkg, min) -> assertTrue(callsByPackage.get(pkg) >= min,
            pkg + ": " + callsByPackage.get(pkg) + " calls, fewer than " + min));
    }

    private static String tail(String output) {
        return output.length() <= 20_000 ? output : output.substring(output.length() - 20_000);
    }
}
