package org.cypclass.kdtree;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./cypclass kdtree}: builds a tree from a {@code .npy} file, answers k-nearest-neighbour
 * queries from another, and writes the indices (int64) and distances (float64) as {@code .npy},
 * printing build and query times and a progress line.
 *
 * <pre>
 * kdtree --data X.npy --queries Q.npy --k 5 [--leaf-size 2048] [--threads N]
 *        --out-indices I.npy --out-distances D.npy
 * </pre>
 * Exit status: 0 done, 1 a file could not be read or written (the message says which and
 * why), 64 bad arguments.
 */
public final class KdTreeCli {

    private KdTreeCli() {
    }

    /**
     * Runs the command.
     *
     * @param args see the class documentation
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command, printing to the given streams.
     *
     * @param args see the class documentation
     * @param out where progress and times go
     * @param err where errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return usage(err, "expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        for (String required : new String[] {"data", "queries", "k", "out-indices", "out-distances"}) {
            if (!options.containsKey(required)) {
                return usage(err, "--" + required + " is required");
            }
        }
        int k;
        int leafSize;
        int threads;
        try {
            k = Integer.parseInt(options.getOrDefault("k", ""));
            leafSize = Integer.parseInt(options.getOrDefault("leaf-size", "2048"));
            threads = Integer.parseInt(options.getOrDefault("threads",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        } catch (NumberFormatException e) {
            return usage(err, "--k, --leaf-size and --threads take whole numbers (" + e.getMessage() + ")");
        }
        for (String name : options.keySet()) {
            if (!java.util.Set.of("data", "queries", "k", "leaf-size", "threads", "out-indices", "out-distances")
                    .contains(name)) {
                return usage(err, "unknown option --" + name);
            }
        }
        try {
            return execute(options, k, leafSize, threads, out);
        } catch (IOException e) {
            err.println("kdtree: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("kdtree: " + e.getMessage());
            return 64;
        }
    }

    private static int execute(Map<String, String> options, int k, int leafSize, int threads, PrintStream out)
            throws IOException {
        // The queries first: they are small, and a failure then leaves nothing to free.
        double[] queries;
        int m;
        int queryDims;
        try (KdPoints queryPoints = Npy.readPoints(Path.of(options.get("queries")))) {
            if (queryPoints.rows() * queryPoints.dims() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("too many query coordinates for one batch: " + queryPoints.rows()
                    + " x " + queryPoints.dims());
            }
            m = (int) queryPoints.rows();
            queryDims = queryPoints.dims();
            queries = new double[m * queryDims];
            queryPoints.coordsCopyTo(0, queries, 0, queries.length);
        }
        Path data = Path.of(options.get("data"));
        out.printf(Locale.ROOT, "kdtree: reading %s ...%n", data);
        KdPoints points = Npy.readPoints(data);
        long rows = points.rows();
        int dims = points.dims();
        if (queryDims != dims) {
            points.close();
            throw new IllegalArgumentException("the queries have " + queryDims + " dimensions, the data " + dims);
        }
        out.printf(Locale.ROOT, "kdtree: building over %,d points x %d dims, leaf size %d, %d thread%s ...%n", rows, dims,
            leafSize, threads, threads == 1 ? "" : "s");
        long start = System.nanoTime();
        KdTree tree;
        try {
            tree = KdTree.build(points, leafSize, threads);
        } catch (RuntimeException e) {
            points.close();
            throw e;
        }
        try (tree) {
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "kdtree: built %s in %.3f s%n", tree, buildSeconds);
            long[] indices = new long[m * k];
            double[] distances = new double[m * k];
            int batch = Math.max(1, m / 20);
            long queryStart = System.nanoTime();
            for (int from = 0; from < m; from += batch) {
                int to = Math.min(m, from + batch);
                double[] slice = java.util.Arrays.copyOfRange(queries, from * dims, to * dims);
                long[] sliceIndices = new long[(to - from) * k];
                double[] sliceDistances = new double[(to - from) * k];
                tree.query(slice, k, sliceIndices, sliceDistances, threads);
                System.arraycopy(sliceIndices, 0, indices, from * k, sliceIndices.length);
                System.arraycopy(sliceDistances, 0, distances, from * k, sliceDistances.length);
                out.printf(Locale.ROOT, "\rkdtree: querying %3d%% (%,d of %,d points)", 100L * to / m, to, m);
            }
            double querySeconds = (System.nanoTime() - queryStart) / 1e9;
            out.printf(Locale.ROOT, "%nkdtree: %,d queries (k = %d) in %.3f s, %.3f ms per point%n", m, k, querySeconds,
                m == 0 ? 0 : querySeconds * 1e3 / m);
            Npy.writeLongs(Path.of(options.get("out-indices")), indices, k);
            Npy.writeDoubles(Path.of(options.get("out-distances")), distances, k);
            out.printf(Locale.ROOT, "kdtree: wrote %s and %s%n", options.get("out-indices"), options.get("out-distances"));
        }
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("kdtree: " + problem);
        err.println("usage: kdtree --data X.npy --queries Q.npy --k K [--leaf-size 2048] [--threads N]"
            + " --out-indices I.npy --out-distances D.npy");
        return 64;
    }
}
