package org.cypclass.stress.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs the jcstress tests of the jar this class is in, in a jcstress JVM of the same JDK,
 * and sums up the run. Arguments:
 *
 * <pre>
 * JcstressRun --mode sanity|quick|default --results DIR [-- JCSTRESS_OPTION ...]
 * </pre>
 *
 * jcstress runs in {@code DIR} (where it writes its HTML report, {@code DIR/results/}), verbose
 * ({@code -v}, so that the report lists every test's outcome counts, passing tests included),
 * with native access for its test JVMs; the options after {@code --} are passed to it (for
 * example {@code -sc false} or {@code -t ReleaseRace}). Its whole console report goes to
 * {@code DIR/output.txt}; its progress lines (the counts of results so far) go to standard
 * error, rewriting one line on a terminal, otherwise a line at most every 15 seconds and the
 * last one at the end. At the end one line on
 * standard output sums up the run ({@link JcstressReport#summary()}); a failed run also prints
 * jcstress's {@code RUN RESULTS} (each failing test with its outcome table) on standard error.
 *
 * <p>Exit status: 0 every test passed; 1 a test had a FORBIDDEN outcome or an error, or
 * jcstress did not finish; 64 bad arguments.
 */
public final class JcstressRun {

    private static final Set<String> MODES = Set.of("sanity", "quick", "default");

    private JcstressRun() {
    }

    /**
     * Runs jcstress as the class documentation says and exits with its status.
     *
     * @param args see the class documentation
     * @throws IOException if {@code DIR} cannot be written or jcstress cannot be started
     * @throws InterruptedException if interrupted while waiting for jcstress
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String mode = null;
        Path results = null;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = i + 1 < args.length ? args[++i] : null;
                case "--results" -> results = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--" -> {
                    extra.addAll(List.of(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        if (mode == null || !MODES.contains(mode)) {
            usage("--mode takes sanity, quick or default");
        }
        if (results == null) {
            usage("--results DIR is required");
        }
        System.exit(run(mode, results, extra, System.out, System.err));
    }

    private static void usage(String problem) {
        System.err.println("stress: " + problem);
        System.err.println("usage: JcstressRun --mode sanity|quick|default --results DIR [-- JCSTRESS_OPTION ...]");
        System.exit(64);
    }

    /**
     * Runs jcstress and sums up the run.
     *
     * @param mode    jcstress's mode: {@code sanity}, {@code quick} or {@code default}
     * @param results the folder jcstress runs in; emptied of an earlier run's {@code output.txt} first
     * @param extra   further jcstress options
     * @param out     where the summary line goes
     * @param err     where progress and, for a failed run, jcstress's {@code RUN RESULTS} go
     * @return the exit status of the class documentation (0 or 1)
     * @throws IOException if {@code results} cannot be written or jcstress cannot be started
     * @throws InterruptedException if interrupted while waiting for jcstress
     */
    static int run(String mode, Path results, List<String> extra, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        Files.createDirectories(results);
        Path output = results.resolve("output.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp", thisJar().toString(), "org.openjdk.jcstress.Main",
            "-m", mode, "-v", "-jvmArgsPrepend", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(extra);
        err.println("stress: jcstress, " + mode + " mode" + (extra.isEmpty() ? "" : " " + String.join(" ", extra))
            + "; its whole report goes to " + output + ", the HTML report to " + results.resolve("results"));
        Process jcstress = new ProcessBuilder(command).directory(results.toFile()).redirectErrorStream(true).start();
        jcstress.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        Progress progress = new Progress(err);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jcstress.getInputStream(), StandardCharsets.UTF_8));
             Writer file = Files.newBufferedWriter(output)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                file.write(line);
                file.write('\n');
                if (JcstressReport.isProgress(line)) {
                    progress.show("stress: " + line);
                }
            }
        }
        progress.done();
        int status = jcstress.waitFor();
        JcstressReport report = JcstressReport.parse(lines);
        out.println("stress: " + report.summary());
        if (!report.passedAll()) {
            report.runResults().forEach(err::println);
            err.println("stress: the whole report is in " + output);
            return 1;
        }
        return status == 0 ? 0 : 1;
    }

    private static Path thisJar() {
        try {
            return Path.of(JcstressRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell which jar holds the jcstress tests", e);
        }
    }

    /**
     * A progress line: rewritten in place on a terminal; otherwise printed as a line of its own,
     * at most once every {@code quietNanos} (sanity mode reports after each test).
     */
    static final class Progress {

        private final PrintStream err;
        private final boolean terminal;
        private final long quietNanos;
        private int width;
        private long printedAt;
        private String pending;

        Progress(PrintStream err) {
            this(err, System.console() != null && System.console().isTerminal(), 15_000_000_000L);
        }

        Progress(PrintStream err, boolean terminal, long quietNanos) {
            this.err = err;
            this.terminal = terminal;
            this.quietNanos = quietNanos;
            this.printedAt = System.nanoTime() - quietNanos;
        }

        void show(String line) {
            if (terminal) {
                err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                width = line.length();
            } else if (System.nanoTime() - printedAt >= quietNanos) {
                err.println(line);
                printedAt = System.nanoTime();
                pending = null;
            } else {
                pending = line;
            }
            err.flush();
        }

        void done() {
            if (terminal && width > 0) {
                err.println();
            }
            if (pending != null) {
                err.println(pending);
                pending = null;
            }
            width = 0;
        }
    }
}
