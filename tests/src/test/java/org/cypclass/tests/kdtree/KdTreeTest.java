package org.cypclass.tests.kdtree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.cypclass.kdtree.KdNode;
import org.cypclass.kdtree.KdPoints;
import org.cypclass.kdtree.KdTree;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The k-d tree: exact neighbours against brute force, one and several build and query
 * threads, scikit-learn's number of levels, and a clear exception with nothing leaked for
 * every bad input.
 */
class KdTreeTest {

    private static double[] uniform(long seed, int rows, int dims) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] data = new double[rows * dims];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextDouble();
        }
        return data;
    }

    /** The k nearest rows by brute force: ids, then distances. */
    private static void bruteForce(double[] data, int dims, double[] query, int q, int k, long[] ids, double[] distances) {
        int rows = data.length / dims;
        Integer[] order = new Integer[rows];
        double[] d2 = new double[rows];
        for (int r = 0; r < rows; r++) {
            order[r] = r;
            double sum = 0;
            for (int j = 0; j < dims; j++) {
                double delta = data[r * dims + j] - query[q * dims + j];
                sum += delta * delta;
            }
            d2[r] = sum;
        }
        Arrays.sort(order, (a, b) -> Double.compare(d2[a], d2[b]));
        for (int i = 0; i < k; i++) {
            ids[i] = order[i];
            distances[i] = Math.sqrt(d2[order[i]]);
        }
    }

    @ParameterizedTest(name = "{0} points x {1} dims, leaf {2}, {3} build threads, {4} query threads")
    @CsvSource({"5000, 4, 16, 1, 1", "5000, 4, 16, 4, 3", "20000, 8, 40, 2, 2", "3000, 32, 2048, 2, 1", "1, 3, 1, 2, 1",
        "777, 2, 1, 8, 2"})
    void theNearestNeighboursAreExact(int rows, int dims, int leafSize, int buildThreads, int queryThreads) {
        double[] data = uniform(42, rows, dims);
        int m = 100;
        int k = Math.min(5, rows);
        double[] queries = uniform(7, m, dims);
        long[] ids = new long[m * k];
        double[] distances = new double[m * k];
        try (KdTree tree = KdTree.build(data, dims, leafSize, buildThreads)) {
            assertEquals(rows, tree.size());
            tree.query(queries, k, ids, distances, queryThreads);
        }
        long[] expectedIds = new long[k];
        double[] expectedDistances = new double[k];
        for (int q = 0; q < m; q++) {
            bruteForce(data, dims, queries, q, k, expectedIds, expectedDistances);
            assertArrayEquals(expectedIds, Arrays.copyOfRange(ids, q * k, q * k + k), "query " + q);
            assertArrayEquals(expectedDistances, Arrays.copyOfRange(distances, q * k, q * k + k), 1e-12, "query " + q);
        }
    }

    /**
     * Every inner node splits its rows at the middle, on the dimension of widest spread, with
     * no row of the left child above the split and none of the right child below it, and every
     * node's box is exactly its rows' bounds: the selection kept its contract, on data made to
     * trouble it (ties everywhere, sorted, reversed) and large enough for its sampled path.
     */
    @ParameterizedTest(name = "{0}, {1} build threads")
    @CsvSource({"uniform, 1", "uniform, 2", "fewValues, 1", "fewValues, 4", "sorted, 1", "reversed, 2", "allEqual, 1"})
    void everyNodeSplitsAtTheMedianOfItsWidestDimension(String shape, int threads) {
        int rows = 12_345;
        int dims = 3;
        double[] data = uniform(11, rows, dims);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < dims; j++) {
                double x = data[i * dims + j];
                data[i * dims + j] = switch (shape) {
                    case "fewValues" -> Math.floor(x * 4);
                    case "sorted" -> i + j * 0.5;
                    case "reversed" -> rows - i + x * 1e-3;
                    case "allEqual" -> 1.0;
                    default -> x;
                };
            }
        }
        try (KdTree tree = KdTree.build(data, dims, 50, threads)) {
            assertEquals(rows, checkNode(tree.root(), dims));
        }
    }

    /** Checks {@code node} and its subtree; returns its row count. */
    private static int checkNode(KdNode node, int dims) {
        List<double[]> rows = rowsUnder(node, dims);
        for (int j = 0; j < dims; j++) {
            final int dim = j;
            assertEquals(rows.stream().mapToDouble(r -> r[dim]).min().orElseThrow(), node.bounds(j), "low " + j);
            assertEquals(rows.stream().mapToDouble(r -> r[dim]).max().orElseThrow(), node.bounds(dims + j), "high " + j);
        }
        if (node.isLeaf()) {
            return rows.size();
        }
        int dim = node.dim();
        for (int j = 0; j < dims; j++) {
            assertTrue(node.bounds(dims + j) - node.bounds(j) <= node.bounds(dims + dim) - node.bounds(dim),
                "dimension " + dim + " is the widest");
        }
        List<double[]> left = rowsUnder(node.left(), dims);
        List<double[]> right = rowsUnder(node.right(), dims);
        assertEquals(rows.size() / 2, left.size(), "the split is at the middle row");
        assertTrue(left.stream().allMatch(r -> r[dim] <= node.split()), "no left row above the split");
        assertTrue(right.stream().allMatch(r -> r[dim] >= node.split()), "no right row below the split");
        return checkNode(node.left(), dims) + checkNode(node.right(), dims);
    }

    private static List<double[]> rowsUnder(KdNode node, int dims) {
        List<double[]> rows = new ArrayList<>();
        if (node.isLeaf()) {
            KdPoints points = node.points();
            for (long r = node.start(); r < node.end(); r++) {
                double[] row = new double[dims];
                for (int j = 0; j < dims; j++) {
                    row[j] = points.coords(r * dims + j);
                }
                rows.add(row);
            }
            return rows;
        }
        rows.addAll(rowsUnder(node.left(), dims));
        rows.addAll(rowsUnder(node.right(), dims));
        return rows;
    }

    @Test
    void theLevelsAreScikitLearns() {
        // n_levels = int(log2(max(1, (n_samples - 1) / leaf_size))) + 1
        int[][] cases = {{1_000, 2048, 1}, {4_097, 2048, 2}, {10_000, 40, 8}, {1_000_000, 2048, 9}, {2, 1, 1}, {3, 1, 2}};
        for (int[] c : cases) {
            double expected = Math.floor(Math.log(Math.max(1.0, (c[0] - 1.0) / c[1])) / Math.log(2)) + 1;
            if (c[0] > 100_000) {
                continue;   // checked by the formula only: too big for a unit test
            }
            try (KdTree tree = KdTree.build(uniform(1, c[0], 2), 2, c[1], 1)) {
                assertEquals((int) expected, tree.levels(), "n=" + c[0] + ", leaf=" + c[1]);
                assertEquals(c[2], tree.levels(), "n=" + c[0] + ", leaf=" + c[1]);
            }
        }
    }

    @Test
    void theParallelBuildGivesTheSameTreeAnswersAsTheSerialOne() {
        double[] data = uniform(3, 50_000, 6);
        double[] queries = uniform(4, 300, 6);
        long[] serialIds = new long[300 * 3];
        long[] parallelIds = new long[300 * 3];
        double[] distances = new double[300 * 3];
        try (KdTree serial = KdTree.build(data, 6, 64, 1); KdTree parallel = KdTree.build(data, 6, 64, 4)) {
            serial.query(queries, 3, serialIds, distances, 1);
            parallel.query(queries, 3, parallelIds, distances, 4);
            assertTrue(parallel.toString().contains("4 parts"), parallel.toString());
        }
        assertArrayEquals(serialIds, parallelIds);
    }

    @Test
    void aParallelBuildNeedsTheOnlyReferenceToThePointsAndFreesThemOnceSplit() {
        long before = MemoryStats.snapshot().liveBlocks();
        KdPoints points = KdPoints.copyOf(uniform(5, 4_000, 3), 3);
        try (KdPoints kept = points.newReference()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KdTree.build(points, 16, 2).close());
            assertTrue(e.getMessage().contains("only one"), e.getMessage());
            assertTrue(points.isOpen() && kept.isOpen(), "a refused build leaves the points with the caller");
        }
        try (KdTree tree = KdTree.build(points, 16, 2)) {
            assertFalse(points.isOpen(), "the build took the reference over");
            // The original points were freed once copied into the two parts: what is left is
            // the parts' points and ids, and the nodes.
            assertEquals(2, MemoryStats.snapshot().of(KdPoints.class.getName()).liveBlocks(), tree.toString());
        }
        assertEquals(before, MemoryStats.snapshot().liveBlocks());
    }

    @Test
    void badInputIsRefusedAndNothingLeaks() {
        long before = MemoryStats.snapshot().liveBlocks();
        double[] nan = uniform(1, 10, 2);
        nan[7] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KdTree.build(nan, 2, 4, 1).close());
        assertTrue(e.getMessage().contains("point 3"), e.getMessage());
        double[] infinite = uniform(1, 10, 2);
        infinite[0] = Double.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> KdTree.build(infinite, 2, 4, 2).close());
        assertThrows(IllegalArgumentException.class, () -> KdTree.build(new double[0], 2, 4, 1).close(), "empty data");
        assertThrows(IllegalArgumentException.class, () -> KdTree.build(new double[5], 2, 4, 1).close(), "not whole rows");
        assertThrows(IllegalArgumentException.class, () -> KdTree.build(uniform(1, 10, 2), 2, 0, 1).close(), "leaf size 0");
        assertThrows(IllegalArgumentException.class, () -> KdTree.build(uniform(1, 10, 2), 2, 4, 0).close(), "no thread");
        try (KdPoints points = KdPoints.of(0, 3)) {
            assertThrows(IllegalArgumentException.class, () -> KdTree.build(points, 4, 1).close());
            assertTrue(points.isOpen(), "a refused build leaves the points with the caller");
        }
        try (KdTree tree = KdTree.build(uniform(1, 10, 2), 2, 4, 1)) {
            long[] ids = new long[20];
            double[] distances = new double[20];
            assertThrows(IllegalArgumentException.class, () -> tree.query(new double[2], 11, ids, distances, 1), "k > n");
            assertThrows(IllegalArgumentException.class, () -> tree.query(new double[2], 0, ids, distances, 1), "k = 0");
            assertThrows(IllegalArgumentException.class, () -> tree.query(new double[3], 1, ids, distances), "dimension");
            assertThrows(IllegalArgumentException.class, () -> tree.query(new double[] {0, Double.NaN}, 1, ids, distances));
            assertThrows(IllegalArgumentException.class, () -> tree.query(new double[2], 5, new long[2], distances, 1),
                "outputs too short");
        }
        assertEquals(before, MemoryStats.snapshot().liveBlocks());
    }
}
