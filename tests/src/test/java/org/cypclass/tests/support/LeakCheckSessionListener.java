package org.cypclass.tests.support;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The last line of defence, when the whole test run is over: no off-heap block may be live,
 * and the leak check must have been around every Jupiter test that ran. If either fails, it
 * prints why and ends the JVM with exit status 3, which fails the build even if every single
 * test passed (for example when a leak happened outside any test method, or when the
 * extension was not registered).
 *
 * <p>The second rule looks up each test {@link LeakCheckCoverage} saw start (by unique id)
 * among those {@link LeakCheckExtension} was around.
 *
 * <p>Where it reports: a failure goes to the JVM's own standard error, past the capture of
 * Surefire (which keeps the tests' output in files), so that it shows on Maven's console; the
 * verdict of a passing run goes to standard output and, when {@code cypclass.engineCounts.dir}
 * is set, to a {@code leak-check-PID.txt} file there, which {@link ReportGuard} prints.
 */
public final class LeakCheckSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        MemoryStats stats = MemoryStats.snapshot();
        if (stats.liveBlocks() != 0 || stats.liveBytes() != 0) {
            halt("the test run ended with " + stats + "\n" + LeakReport.create());
        }
        List<String> unchecked = LeakCheckCounts.STARTED.stream().filter(id -> !LeakCheckCounts.CHECKED.contains(id))
            .sorted().toList();
        if (!unchecked.isEmpty()) {
            halt(unchecked.size() + " of the " + LeakCheckCounts.STARTED.size()
                + " Jupiter tests that ran were not under the leak check (is LeakCheckExtension registered through"
                + " META-INF/services, with junit.jupiter.extensions.autodetection.enabled?), for example "
                + unchecked.subList(0, Math.min(5, unchecked.size())));
        }
        long dynamic = LeakCheckCounts.CHECKED_DYNAMIC.get();
        String verdict = "around each of the " + LeakCheckCounts.STARTED.size() + " tests run (" + dynamic
            + " of the checks around dynamic tests); the test run ended with 0 live off-heap blocks and 0 bytes";
        System.out.println("cypclass leak check: " + verdict);
        String directory = System.getProperty(EngineCountListener.DIRECTORY_PROPERTY);
        if (directory != null) {
            try {
                Path folder = Files.createDirectories(Path.of(directory));
                Files.writeString(folder.resolve(ReportGuard.LEAK_CHECK_PREFIX + ProcessHandle.current().pid() + ".txt"),
                    verdict + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the leak check's verdict", e);
            }
        }
    }

    private static void halt(String why) {
        // Not System.err: Surefire captures that into a report file, and this must be seen.
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        console.println("\n*** CYPCLASS LEAK CHECK FAILED: " + why);
        console.flush();
        Runtime.getRuntime().halt(3);
    }
}
