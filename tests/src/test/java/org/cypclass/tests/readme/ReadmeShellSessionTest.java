package org.cypclass.tests.readme;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jshell session of README.md, typed into {@code ./cypclass shell --no-build} (this build
 * has compiled the classes it puts on the class path): every {@code jshell>} line of the
 * README is sent, and what jshell answers must be what the README prints, addresses aside.
 */
class ReadmeShellSessionTest {

    private record Step(String input, String expected) {
    }

    @Test
    void theReadmeSessionRunsAsPrinted() throws IOException, InterruptedException {
        List<Step> steps = readmeSession();
        assertTrue(steps.size() >= 4, "README's jshell session not found: " + steps);

        Process shell = new ProcessBuilder("bash", Gcc.repoRoot().resolve("cypclass").toString(), "shell", "--no-build")
            .directory(Gcc.repoRoot().toFile()).redirectErrorStream(true).start();
        try (OutputStream in = shell.getOutputStream()) {
            for (Step step : steps) {
                in.write((step.input() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            in.write("/exit\n".getBytes(StandardCharsets.UTF_8));
        }
        String transcript = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(shell.waitFor(120, TimeUnit.SECONDS), transcript);
        assertEquals(0, shell.exitValue(), transcript);
        assertFalse(transcript.contains("Exception") || transcript.contains("Error:"), transcript);

        // jshell without a terminal prints the prompt, then the answer to the line it read.
        String[] answers = transcript.split("jshell> ", -1);
        assertEquals(steps.size() + 2, answers.length, transcript);
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(normalized(steps.get(i).expected()), normalized(answers[i + 1]),
                "answer to `" + steps.get(i).input() + "` in\n" + transcript);
        }
    }

    /** The {@code jshell>} lines of README's session, each with the lines printed after it. */
    private static List<Step> readmeSession() throws IOException {
        List<String> lines = Files.readAllLines(Gcc.repoRoot().resolve("README.md"));
        int start = lines.indexOf("$ ./cypclass shell");
        assertTrue(start >= 0, "README no longer shows `$ ./cypclass shell`");
        List<Step> steps = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
            String line = lines.get(i);
            if (line.startsWith("jshell> ")) {
                steps.add(new Step(line.substring("jshell> ".length()), ""));
            } else if (!steps.isEmpty()) {
                Step last = steps.removeLast();
                steps.add(new Step(last.input(), last.expected() + line + "\n"));
            }
        }
        return steps;
    }

    private static String normalized(String answer) {
        return answer.replaceAll("0x[0-9a-f]+", "0x_").strip();
    }
}
