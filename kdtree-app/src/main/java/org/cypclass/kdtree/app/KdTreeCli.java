package org.cypclass.kdtree.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cypclass.kdtree.KdPoints;
import org.cypclass.kdtree.KdTree;
import org.cypclass.kdtree.Npy;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./cypclass kdtree} ({@code java -jar kdtree-app/target/kdtree.jar}): builds a tree from
 * a {@code .npy} file, answers k-nearest-neighbour queries from another, and writes the indices
 * (int64) and distances (float64) as {@code .npy}.
 *
 * <pre>
 * kdtree --data X.npy --queries Q.npy --k K [--leaf-size 2048] [--threads N]
 *        --out-indices I.npy --out-distances D.npy
 * </pre>
 *
 * <p>Relative paths are resolved against the working directory. Everything that can be
 * checked before the long work is checked first, in this order: the options (unknown or
 * missing ones, {@code --k}, {@code --leaf-size} and {@code --threads} below 1,
 * {@code --threads} above {@value #MAX_THREADS}, an output path that is a folder or whose
 * folder does not exist, both outputs the same file), then the input files (each must exist),
 * then the queries (read whole: a NaN or infinite coordinate is refused, and so are more
 * results, queries x k, than two Java arrays or half the heap hold), then the data (read whole:
 * its dimensions must match the queries', it must hold at least k points), and only then is
 * the tree built.
 *
 * <p>Progress and times go to standard error: the query progress rewrites one line on a
 * terminal and is printed once at the end otherwise. Help and version go to standard output.
 *
 * <p>Exit status: 0 done; 1 a file could not be read or written (the message says which and
 * why); 64 bad arguments or input (the message says what, with the usage for a bad option).
 */
@Command(name = "kdtree", mixinStandardHelpOptions = true, versionProvider = KdTreeCli.Version.class,
    exitCodeOnInvalidInput = KdTreeCli.USAGE, sortOptions = false,
    description = "Builds a KDTree from X.npy (float64, C order, one point a row) and writes the k nearest"
        + " neighbours of each point of Q.npy: their indices (int64) and distances (float64), as .npy.")
public final class KdTreeCli implements Callable<Integer> {

    /** The exit status for bad arguments or input (BSD's {@code EX_USAGE}). */
    static final int USAGE = 64;
    /** The most threads {@code --threads} may ask for: each is a platform thread of its own. */
    static final int MAX_THREADS = 1024;
    /** The most results (queries x k) one run holds: two Java arrays of that many elements. */
    static final long MAX_RESULTS = Integer.MAX_VALUE - 8;

    @Option(names = "--data", required = true, paramLabel = "X.npy", description = "the points to build the tree over")
    private Path data;

    @Option(names = "--queries", required = true, paramLabel = "Q.npy", description = "the points to query")
    private Path queries;

    @Option(names = "--k", required = true, paramLabel = "K", description = "the neighbours to find for each query (1 or more)")
    private int k;

    @Option(names = "--leaf-size", paramLabel = "L", defaultValue = "2048",
        description = "the most points a leaf holds (default: ${DEFAULT-VALUE})")
    private int leafSize;

    @Option(names = "--threads", paramLabel = "N", description = "threads to build and query with (default: one a core)")
    private Integer threads;

    @Option(names = "--out-indices", required = true, paramLabel = "I.npy", description = "where the indices go")
    private Path outIndices;

    @Option(names = "--out-distances", required = true, paramLabel = "D.npy", description = "where the distances go")
    private Path outDistances;

    @Spec
    private CommandSpec spec;

    private final PrintStream progress;
    private final boolean terminal;

    private KdTreeCli(PrintStream progress, boolean terminal) {
        this.progress = progress;
        this.terminal = terminal;
    }

    /**
     * Runs the command with the process's streams and exits with its status.
     *
     * @param args see the class documentation
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.console() != null && System.console().isTerminal()));
    }

    /**
     * Runs the command, printing to the given streams, progress line by line.
     *
     * @param args see the class documentation
     * @param out  where help and version go
     * @param err  where progress, times and errors go
     * @return the exit status of the class documentation
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    @SuppressWarnings("resourceleak") // picocli's getErr() hands out the writer set just above, the command line's,
    // to print to and not to close (it would close the caller's stream)
    private static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        return new CommandLine(new KdTreeCli(err, terminal))
            .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
            .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
            .setParameterExceptionHandler((e, given) -> {
                PrintWriter writer = e.getCommandLine().getErr();
                writer.println("kdtree: " + e.getMessage());
                writer.print(e.getCommandLine().getHelp().fullSynopsis());
                writer.println("(kdtree --help describes each option)");
                return USAGE;
            })
            .setExecutionExceptionHandler((e, line, parsed) -> {
                if (e instanceof IOException) {
                    line.getErr().println("kdtree: " + e.getMessage());
                    return 1;
                }
                if (e instanceof IllegalArgumentException) {
                    line.getErr().println("kdtree: " + e.getMessage());
                    return USAGE;
                }
                throw e;
            })
            .execute(args);
    }

    /**
     * Checks the arguments, then reads, builds, queries and writes, as the class documentation
     * says.
     *
     * @return 0
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if the input is not what the command takes
     */
    @Override
    public Integer call() throws IOException {
        int threadCount = threads == null ? Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()) : threads;
        atLeastOne("--k", k);
        atLeastOne("--leaf-size", leafSize);
        atLeastOne("--threads", threadCount);
        if (threadCount > MAX_THREADS) {
            throw new ParameterException(spec.commandLine(), "--threads must be at most " + MAX_THREADS + ", not " + threadCount);
        }
        writable("--out-indices", outIndices);
        writable("--out-distances", outDistances);
        if (outIndices.toAbsolutePath().normalize().equals(outDistances.toAbsolutePath().normalize())) {
            throw new ParameterException(spec.commandLine(), "--out-indices and --out-distances are the same file: " + outIndices);
        }
        for (Path input : new Path[] {queries, data}) {
            if (!Files.isRegularFile(input)) {
                throw new NoSuchFileException(input.toString(), null, Files.exists(input) ? "not a file" : "no such file");
            }
        }

        // The queries first: they are small, so a bad one is refused before the long work.
        double[] queryCoords;
        int m;
        int queryDims;
        try (KdPoints queryPoints = Npy.readPoints(queries)) {
            if (queryPoints.rows() * queryPoints.dims() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("too many query coordinates for one batch: " + queryPoints.rows()
                    + " x " + queryPoints.dims());
            }
            m = (int) queryPoints.rows();
            queryDims = queryPoints.dims();
            queryCoords = new double[m * queryDims];
            queryPoints.coordsCopyTo(0, queryCoords, 0, queryCoords.length);
        }
        // The results are two Java arrays of m x k elements: refuse what they cannot hold, or
        // what the heap cannot, before the data is read.
        long results = (long) m * k;
        long resultBytes = results * (Long.BYTES + Double.BYTES);
        if (results > MAX_RESULTS || resultBytes > Runtime.getRuntime().maxMemory() / 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--k %d for the %,d queries of %s makes %,d results"
                + " (%,d bytes), more than this run can hold (at most %,d results and half the %,d-byte heap): query in"
                + " smaller batches or with a smaller k", k, m, queries, results, resultBytes, MAX_RESULTS,
                Runtime.getRuntime().maxMemory()));
        }
        for (int i = 0; i < queryCoords.length; i++) {
            if (!Double.isFinite(queryCoords[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: query %d has %s at dimension %d;"
                    + " every coordinate must be finite", queries, i / queryDims, queryCoords[i], i % queryDims));
            }
        }
        progress.printf(Locale.ROOT, "kdtree: reading %s ...%n", data);
        KdPoints points = Npy.readPoints(data);
        long rows = points.rows();
        int dims = points.dims();
        if (queryDims != dims || k > rows) {
            points.close();
            throw new IllegalArgumentException(queryDims != dims ? "the queries have " + queryDims + " dimensions, the data " + dims
                : "--k is " + k + " but the data holds " + rows + " points: k must be at most the number of points");
        }
        progress.printf(Locale.ROOT, "kdtree: building over %,d points x %d dims, leaf size %d, %d thread%s ...%n", rows, dims,
            leafSize, threadCount, threadCount == 1 ? "" : "s");
        long start = System.nanoTime();
        KdTree tree;
        try {
            tree = KdTree.build(points, leafSize, threadCount);
        } catch (RuntimeException e) {
            points.close();
            throw e;
        }
        try (tree) {
            progress.printf(Locale.ROOT, "kdtree: built %s in %.3f s%n", tree, (System.nanoTime() - start) / 1e9);
            long[] indices = new long[m * k];
            double[] distances = new double[m * k];
            int batch = Math.max(1, m / 20);
            long queryStart = System.nanoTime();
            for (int from = 0; from < m; from += batch) {
                int to = Math.min(m, from + batch);
                double[] slice = Arrays.copyOfRange(queryCoords, from * dims, to * dims);
                long[] sliceIndices = new long[(to - from) * k];
                double[] sliceDistances = new double[(to - from) * k];
                tree.query(slice, k, sliceIndices, sliceDistances, threadCount);
                System.arraycopy(sliceIndices, 0, indices, from * k, sliceIndices.length);
                System.arraycopy(sliceDistances, 0, distances, from * k, sliceDistances.length);
                if (terminal) {
                    progress.printf(Locale.ROOT, "\rkdtree: querying %3d%% (%,d of %,d points)", 100L * to / m, to, m);
                }
            }
            double querySeconds = (System.nanoTime() - queryStart) / 1e9;
            progress.printf(Locale.ROOT, "%skdtree: queried 100%% (%,d points, k = %d) in %.3f s, %.3f ms per point%n",
                terminal && m > 0 ? "\n" : "", m, k, querySeconds, m == 0 ? 0 : querySeconds * 1e3 / m);
            Npy.writeLongs(outIndices, indices, k);
            Npy.writeDoubles(outDistances, distances, k);
            progress.printf(Locale.ROOT, "kdtree: wrote %s and %s%n", outIndices, outDistances);
        }
        return 0;
    }

    private void atLeastOne(String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be 1 or more, not " + value);
        }
    }

    private void writable(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + " is a folder, not a file to write");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": the folder " + folder + " does not exist");
        }
    }

    /** The version of the jar's manifest ({@code Implementation-Version}), or "dev" from classes. */
    static final class Version implements CommandLine.IVersionProvider {

        /** Creates the provider picocli calls for {@code --version}. */
        Version() {
        }

        @Override
        public String[] getVersion() {
            String version = KdTreeCli.class.getPackage().getImplementationVersion();
            return new String[] {"kdtree (Cypclass for Java) " + (version == null ? "dev" : version)};
        }
    }
}
