package org.cypclass.tests.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How {@code ./cypclass} picks Maven: the {@code mvn} on the PATH, else the Maven wrapper
 * {@code ./mvnw}, else a message saying what to install. Each case runs the launcher with a PATH
 * made of a few tools only (no {@code mvn} unless the test puts a stand-in there) and a command
 * that stops right after the choice ({@code stress} with a wrong argument), so no build runs.
 * That the wrapper then builds and tests everything was checked by running
 * {@code ./cypclass test} with such a PATH.
 */
class LauncherMavenTest {

    private static final List<String> TOOLS = List.of("bash", "dirname", "sed", "head", "readlink", "cat", "grep");

    @TempDir
    Path temp;

    private Path bin;

    @BeforeEach
    void pathWithoutMaven() throws IOException {
        bin = Files.createDirectories(temp.resolve("bin"));
        for (String tool : TOOLS) {
            Path found = null;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, tool);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    found = candidate;
                    break;
                }
            }
            assumeTrue(found != null, tool + " is not on the PATH: the launcher is a bash script");
            Files.createSymbolicLink(bin.resolve(tool), found);
        }
    }

    private record Result(int status, String output) {
    }

    private Result launch(Path launcher) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bin.resolve("bash").toString(), launcher.toString(), "stress", "--not-an-option"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("CYPCLASS_JDK_DIRS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher ended");
        return new Result(process.exitValue(), output);
    }

    @Test
    void withoutMvnTheLauncherUsesTheWrapper() throws Exception {
        Path root = Gcc.repoRoot();
        assertTrue(Files.isExecutable(root.resolve("mvnw")), "the Maven wrapper is committed, executable");
        assertTrue(Files.readString(root.resolve(".mvn/wrapper/maven-wrapper.properties"))
            .contains("distributionUrl=https://repo.maven.apache.org/maven2/"), "it fetches Maven from Maven Central");
        Result result = launch(root.resolve("cypclass"));
        assertEquals(64, result.status(), result.output());
        assertTrue(result.output().contains("no mvn on PATH; using the Maven wrapper ./mvnw"), result.output());
    }

    @Test
    void withMvnTheLauncherUsesIt() throws Exception {
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result result = launch(Gcc.repoRoot().resolve("cypclass"));
        assertEquals(64, result.status(), result.output());
        assertFalse(result.output().contains("wrapper"), result.output());
    }

    @Test
    void withNeitherTheLauncherSaysWhatToInstall() throws Exception {
        // A copy of the launcher in a folder without mvnw.
        Path launcher = Files.copy(Gcc.repoRoot().resolve("cypclass"), temp.resolve("cypclass"));
        Result result = launch(launcher);
        assertEquals(2, result.status(), result.output());
        assertTrue(result.output().contains("Maven (mvn) is not on PATH and the Maven wrapper ./mvnw is missing"), result.output());
    }
}
