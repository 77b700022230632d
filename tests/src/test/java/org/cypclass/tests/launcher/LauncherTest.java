package org.cypclass.tests.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conventions of {@code ./cypclass}: every command answers {@code --help} and
 * {@code --version}, and refuses an option it does not take with status 64 and a usage line
 * on standard error, before anything is built. These cases run a copy of the launcher beside a
 * copy of the root {@code pom.xml} only, with no Maven wrapper: had the launcher tried to build,
 * it would have failed. The last case runs the wrapper, looking for a JDK that cannot exist.
 */
class LauncherTest {

    @TempDir
    Path copy;

    private record Outcome(int status, String out, String err) {
    }

    /** Runs {@code launcher} with {@code args} in {@code dir}, with {@code environment} added. */
    private static Outcome run(Path launcher, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(launcher.getParent().toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the launcher ended");
        return new Outcome(process.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A copy of the launcher and the root pom, without the Maven wrapper. */
    private Path launcherAlone() throws IOException {
        Path root = Gcc.repoRoot();
        Files.copy(root.resolve("pom.xml"), copy.resolve("pom.xml"));
        return Files.copy(root.resolve("cypclass"), copy.resolve("cypclass"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"test", "stress", "soak", "bench", "kdtree", "shell", "help"})
    void everyCommandAnswersHelpAndVersionWithoutBuilding(String command) throws Exception {
        Path launcher = launcherAlone();
        Outcome help = run(launcher, Map.of(), command, "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().startsWith("usage: ./cypclass COMMAND"), help.out());
        assertTrue(help.out().contains("\n  " + command + " ") || command.equals("help"), help.out());
        assertEquals("", help.err());

        Matcher version = Pattern.compile("<artifactId>cypclass-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Gcc.repoRoot().resolve("pom.xml")));
        assertTrue(version.find());
        Outcome answer = run(launcher, Map.of(), command, "--version");
        assertEquals(new Outcome(0, "cypclass " + version.group(1) + "\n", ""), answer);
    }

    @Test
    void helpAndVersionAlsoAnswerWithoutACommand() throws Exception {
        Path launcher = launcherAlone();
        Outcome help = run(launcher, Map.of(), "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().startsWith("usage: ./cypclass COMMAND"), help.out());
        Outcome version = run(launcher, Map.of(), "--version");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().startsWith("cypclass "), version.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"test --fast", "test --long --fast", "test NpyFuzzTest --long", "stress --long", "stress --short --full", "soak --hours 2", "soak --minutes x",
        "soak --minutes", "shell --no-build --x"})
    void anOptionACommandDoesNotTakeIsRefusedBeforeBuilding(String commandLine) throws Exception {
        String[] args = commandLine.split(" ");
        Outcome outcome = run(launcherAlone(), Map.of(), args);
        assertEquals(64, outcome.status(), outcome.err());
        assertEquals("", outcome.out());
        assertTrue(outcome.err().startsWith("cypclass: " + args[0] + " takes "), outcome.err());
        assertTrue(outcome.err().contains("\nusage: ./cypclass " + args[0] + " "), outcome.err());
    }

    @Test
    void anUnknownCommandOrNoneIsRefusedWithTheUsage() throws Exception {
        Outcome unknown = run(launcherAlone(), Map.of(), "frobnicate");
        assertEquals(64, unknown.status());
        assertEquals("", unknown.out());
        assertTrue(unknown.err().startsWith("cypclass: unknown command 'frobnicate'\nusage: ./cypclass COMMAND"), unknown.err());

        Outcome none = run(copy.resolve("cypclass"), Map.of());
        assertEquals(64, none.status());
        assertTrue(none.err().startsWith("usage: ./cypclass COMMAND"), none.err());
    }

    @Test
    void theMavenWrapperIsCommittedAndFetchesMavenFromCentral() throws IOException {
        Path root = Gcc.repoRoot();
        assertTrue(Files.isExecutable(root.resolve("mvnw")), "./mvnw is executable");
        assertTrue(Files.readString(root.resolve(".mvn/wrapper/maven-wrapper.properties"))
            .contains("distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9."),
            "the wrapper fetches a Maven 3.9 from Maven Central");
    }

    /**
     * With no JDK of the version asked for (here 99, through Maven's {@code cypclass.jdk}), the
     * launcher says what to install and exits with status 2. The wrapper runs for real, in a copy
     * of the root project (the launcher, the pom, the wrapper) with no {@code target/java.home}.
     */
    @Test
    void withoutAFittingJdkItSaysWhatToInstall() throws Exception {
        Path root = Gcc.repoRoot();
        launcherAlone();
        Files.copy(root.resolve("mvnw"), copy.resolve("mvnw"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(copy.resolve(".mvn/wrapper"));
        Files.copy(root.resolve(".mvn/wrapper/maven-wrapper.properties"), copy.resolve(".mvn/wrapper/maven-wrapper.properties"));
        Outcome outcome = run(copy.resolve("cypclass"), Map.of("MAVEN_ARGS", "-Dcypclass.jdk=[99,)",
            "JAVA_HOME", System.getProperty("java.home")), "stress");
        assertEquals(2, outcome.status(), outcome.err());
        assertTrue(outcome.err().contains("Cannot find matching toolchain definitions"), outcome.err());
        assertTrue(outcome.err().contains("found no JDK 25 or newer (see above). Install one, for example Eclipse Temurin 25"),
            outcome.err());
        assertTrue(outcome.err().contains("OpenJDK 25 (openjdk-25-jdk)"), outcome.err());
    }
}
