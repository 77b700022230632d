package org.cypclass.benchmarks.kdtree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.cypclass.benchmarks.BenchPaths;
import org.cypclass.benchmarks.Spread;

/**
 * The baselines that run outside this JVM: Smile's KDTree from its own class path (Smile is
 * GPL-3.0, so it is never on this project's class path or in its jars: the launcher resolves
 * its jars and passes them in {@code -Dkdtree.smile.classpath}, and the JDK's source launcher
 * runs {@code benchmarks/src/external/SmileKdTreeRun.java}), and scikit-learn through the
 * machine's {@code python3} when {@code import sklearn} works. Each prints one {@code RESULT}
 * line with its build times, query times, nearest indices and their distances (Smile also what
 * its tree's leaves hold, since it takes no leaf size); a missing baseline is skipped with a
 * line saying how to get it.
 *
 * <p>Thread-safety: stateless.
 */
final class Externals {

    private static final Path SCRIPTS = BenchPaths.module().resolve("src").resolve("external");

    private Externals() {
    }

    static Optional<KdBench.Row> smile(Path data, Path queries, int trials) throws IOException,
            InterruptedException {
        String classpath = System.getProperty("kdtree.smile.classpath", "");
        if (classpath.isBlank()) {
            System.out.println("  smile       SKIP: no -Dkdtree.smile.classpath (./cypclass bench kdtree resolves it)");
            return Optional.empty();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx8g", "-cp", classpath,
            SCRIPTS.resolve("SmileKdTreeRun.java").toString(), data.toString(), queries.toString(), Integer.toString(trials));
        return run("smile", command, data, null);
    }

    static Optional<KdBench.Row> sklearn(Path data, Path queries, int leafSize, int trials, int queryTrials)
            throws IOException,
            InterruptedException {
        // The python3 on PATH first, then Debian's, where apt-get install python3-sklearn puts it
        // (a pyenv or venv python3 on PATH may not see Debian's packages).
        for (String python : List.of("python3", "/usr/bin/python3")) {
            if (canImportSklearn(python)) {
                List<String> command = List.of(python, SCRIPTS.resolve("sklearn_kdtree.py").toString(), data.toString(),
                    queries.toString(), Integer.toString(leafSize), Integer.toString(trials),
                    Integer.toString(queryTrials));
                return run("sklearn", command, data, leafSize);
            }
        }
        System.out.println("  sklearn     SKIP: no python3 here can import sklearn and numpy (Debian: apt-get install"
            + " python3-sklearn)");
        return Optional.empty();
    }

    private static boolean canImportSklearn(String python) throws InterruptedException {
        try {
            Process check = new ProcessBuilder(python, "-c", "import sklearn, numpy").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs one external implementation; {@code leafSize} is the one it was given, null for none. */
    private static Optional<KdBench.Row> run(String impl, List<String> command, Path data, Integer leafSize)
            throws IOException, InterruptedException {
        System.out.println("  " + impl + " ... (its own process)");
        Path log = Files.createTempFile("kdtree-" + impl, ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
                process.destroyForcibly();
                System.out.println("  " + impl + " FAILED: " + tail(Files.readString(log, StandardCharsets.UTF_8)));
                return Optional.empty();
            }
            String result = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("RESULT ")).findFirst().orElse(null);
            if (result == null) {
                System.out.println("  " + impl + " FAILED: no RESULT line: " + tail(Files.readString(log, StandardCharsets.UTF_8)));
                return Optional.empty();
            }
            double[] builds = numbers(field(result, "builds"));
            for (int t = 0; t < builds.length; t++) {
                KdBench.progress(impl, 1, t, builds.length, builds[t]);
            }
            long[] nearest = Arrays.stream(field(result, "nearest").split(",")).mapToLong(Long::parseLong).toArray();
            long n = shape(data)[0];
            int d = (int) shape(data)[1];
            String leafNote = leafSize != null ? ""
                : result.contains("leafMax=") ? String.format(java.util.Locale.ROOT,
                    "no leaf size in its API: it splits at midpoints until a node's points coincide; its largest leaf"
                        + " holds %s points, over %s leaves", field(result, "leafMax"), field(result, "leaves"))
                : "no leaf size in its API: it splits at midpoints until a node's points coincide";
            return Optional.of(new KdBench.Row(impl, 1, n, d, leafSize, leafNote, Spread.of(builds),
                Spread.of(numbers(field(result, "queries"))), nearest, numbers(field(result, "distances"))));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static double[] numbers(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException("no " + name + " in " + line);
    }

    private static long[] shape(Path npy) throws IOException {
        byte[] head = new byte[256];
        try (var in = Files.newInputStream(npy)) {
            int read = in.readNBytes(head, 0, head.length);
            String header = new String(head, 0, read, StandardCharsets.ISO_8859_1);
            String shape = header.substring(header.indexOf("'shape': (") + 10);
            String[] parts = shape.substring(0, shape.indexOf(')')).split(",");
            List<Long> values = new ArrayList<>();
            for (String part : parts) {
                if (!part.isBlank()) {
                    values.add(Long.parseLong(part.trim()));
                }
            }
            return new long[] {values.get(0), values.get(1)};
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }
}
