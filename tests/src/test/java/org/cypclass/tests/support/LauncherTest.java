package org.cypclass.tests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code ./cypclass} launcher: usage, and a clear message when no JDK 25 can be found. */
class LauncherTest {

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome launch(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", Gcc.repoRoot().resolve("cypclass").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Outcome(process.exitValue(), output);
    }

    @Test
    void anUnknownCommandPrintsUsage() throws Exception {
        Outcome outcome = launch(Map.of(), "frobnicate");
        assertEquals(64, outcome.exitCode());
        assertTrue(outcome.output().contains("unknown command 'frobnicate'"), outcome.output());
        assertTrue(outcome.output().contains("usage: ./cypclass <command>"), outcome.output());
    }

    @Test
    void helpListsBothCommands() throws Exception {
        Outcome outcome = launch(Map.of(), "help");
        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.output().contains("test ") && outcome.output().contains("bench "), outcome.output());
    }

    @Test
    void withoutAJdk25ItSaysWhatToInstall(@TempDir Path empty) throws Exception {
        Outcome outcome = launch(Map.of("JAVA_HOME", empty.toString(), "CYPCLASS_JDK_DIRS", empty.toString(),
            "PATH", "/usr/bin:/bin"), "test");
        assertEquals(2, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("no JDK 25 or newer was found"), outcome.output());
        assertTrue(outcome.output().contains("Install a JDK 25+"), outcome.output());
    }
}
