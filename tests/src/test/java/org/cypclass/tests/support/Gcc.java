package org.cypclass.tests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compiles and runs the C sources of the test suite with the system's gcc, against the
 * library's C headers. Tests that need it are skipped, with a message saying so, only when
 * no gcc is on the PATH.
 */
public final class Gcc {

    private Gcc() {
    }

    /** @return the repository root, from {@code -Dcypclass.repo.root} or by walking up from the working directory */
    public static Path repoRoot() {
        String property = System.getProperty("cypclass.repo.root");
        if (property != null && Files.isDirectory(Path.of(property, "memory"))) {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("memory/src/main/c"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    /** @return the test C sources folder */
    public static Path testSources() {
        return repoRoot().resolve("tests/src/test/c");
    }

    /** Skips the calling test, with a clear message, when gcc is not installed. */
    public static void assumeAvailable() {
        boolean found;
        try {
            found = run(List.of("gcc", "--version"), Path.of(".")).exitCode == 0;
        } catch (IOException e) {
            found = false;
        }
        assumeTrue(found, "gcc is not installed (not found on PATH): skipping the C compatibility test; "
            + "install gcc (Debian: apt-get install gcc) to run it");
    }

    /**
     * Compiles C sources with the library's include folder.
     *
     * @param output the file to produce
     * @param extraFlags for example {@code -shared -fPIC}
     * @param sources C files, relative to {@link #testSources()}
     * @return the output path
     */
    public static Path compile(Path output, List<String> extraFlags, String... sources) throws IOException {
        List<String> command = new ArrayList<>(List.of("gcc", "-std=c11", "-O2", "-Wall", "-Werror",
            "-I", repoRoot().resolve("memory/src/main/c/include").toString(), "-o", output.toString()));
        command.addAll(extraFlags);
        for (String source : sources) {
            command.add(testSources().resolve(source).toString());
        }
        Result result = run(command, output.getParent());
        if (result.exitCode != 0) {
            throw new AssertionError("gcc failed (" + result.exitCode + "): " + String.join(" ", command) + "\n" + result.output);
        }
        return output;
    }

    /**
     * Loads a shared library built by {@link #compile}.
     *
     * @param library the .so file
     * @param arena the arena that keeps it loaded
     * @return its symbols
     */
    @SuppressWarnings("restricted")
    public static java.lang.foreign.SymbolLookup load(Path library, java.lang.foreign.Arena arena) {
        return java.lang.foreign.SymbolLookup.libraryLookup(library, arena);
    }

    /**
     * Links a function of a loaded library.
     *
     * @param lookup the library's symbols
     * @param name the function
     * @param descriptor its C signature
     * @return the downcall handle
     */
    @SuppressWarnings("restricted")
    public static java.lang.invoke.MethodHandle downcall(java.lang.foreign.SymbolLookup lookup, String name,
                                                         java.lang.foreign.FunctionDescriptor descriptor) {
        return java.lang.foreign.Linker.nativeLinker().downcallHandle(lookup.find(name).orElseThrow(), descriptor);
    }

    /**
     * Runs an action and returns what it threw.
     *
     * @param action the action
     * @return the throwable, or null if it returned normally
     */
    public static Throwable thrownBy(Runnable action) {
        try {
            action.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The outcome of a process. */
    public record Result(int exitCode, String output) {
    }

    /**
     * Runs a command, merging its error stream into its output.
     *
     * @param command the program and its arguments
     * @param directory its working directory
     * @return exit code and output
     */
    public static Result run(List<String> command, Path directory) throws IOException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        // Close the child's pipes here rather than when the Process is collected: the leak check
        // compares the open descriptors around each test.
        process.getOutputStream().close();
        try (var stdout = process.getInputStream()) {
            String output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
