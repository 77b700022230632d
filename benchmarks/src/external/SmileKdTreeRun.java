// Run from Smile's own class path by ./cypclass bench kdtree (Smile is GPL-3.0: it is never
// compiled into, or shaded into, this project's jars; the JDK's source launcher runs this file):
//   java -cp <smile jars> SmileKdTreeRun.java DATA.npy QUERIES.npy TRIALS
// Prints one line: build seconds of each trial, query milliseconds per point, nearest indices and
// their distances, and what the tree's leaves hold (Smile's KDTree takes no leaf size: it splits
// at midpoints until a node's points coincide; its private nodes are read by reflection, and the
// two leaf fields are left out when this Smile version names them otherwise).

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

import smile.neighbor.KDTree;

public class SmileKdTreeRun {

    /** Reads a (rows, dims) C-order '<f8' .npy file version 1 into rows. */
    static double[][] read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        String shape = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')', header.indexOf("'shape'")));
        String[] parts = shape.split(",");
        int rows = Integer.parseInt(parts[0].trim());
        int dims = Integer.parseInt(parts[1].trim());
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, rows * dims * 8).order(ByteOrder.LITTLE_ENDIAN);
        double[][] points = new double[rows][dims];
        for (double[] row : points) {
            for (int j = 0; j < dims; j++) {
                row[j] = data.getDouble();
            }
        }
        return points;
    }

    public static void main(String[] args) throws IOException {
        double[][] data = read(Path.of(args[0]));
        double[][] queries = read(Path.of(args[1]));
        int trials = Integer.parseInt(args[2]);
        StringJoiner builds = new StringJoiner(",");
        KDTree<double[]> tree = null;
        for (int t = 0; t < trials; t++) {
            long start = System.nanoTime();
            tree = KDTree.of(data);
            builds.add(Double.toString((System.nanoTime() - start) / 1e9));
        }
        StringJoiner nearest = new StringJoiner(",");
        StringJoiner distances = new StringJoiner(",");
        long start = System.nanoTime();
        for (double[] q : queries) {
            var neighbor = tree.nearest(q);
            nearest.add(Integer.toString(neighbor.index()));
            distances.add(Double.toString(neighbor.distance()));
        }
        double millis = (System.nanoTime() - start) / 1e6 / queries.length;
        System.out.println("RESULT builds=" + builds + " queries=" + millis + " nearest=" + nearest
            + " distances=" + distances + leaves(tree));
    }

    /** " leafMax=L leaves=N" for the tree Smile built, or "" when its nodes cannot be read. */
    static String leaves(KDTree<double[]> tree) {
        try {
            Field root = KDTree.class.getDeclaredField("root");
            root.setAccessible(true);
            long[] maxAndCount = new long[2];
            walk(root.get(tree), maxAndCount);
            return " leafMax=" + maxAndCount[0] + " leaves=" + maxAndCount[1];
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "";
        }
    }

    private static void walk(Object node, long[] maxAndCount) throws ReflectiveOperationException {
        Field lower = node.getClass().getDeclaredField("lower");
        Field upper = node.getClass().getDeclaredField("upper");
        Field count = node.getClass().getDeclaredField("count");
        lower.setAccessible(true);
        upper.setAccessible(true);
        count.setAccessible(true);
        java.util.ArrayDeque<Object> work = new java.util.ArrayDeque<>();
        work.push(node);
        while (!work.isEmpty()) {
            Object at = work.pop();
            Object low = lower.get(at);
            Object high = upper.get(at);
            if (low == null && high == null) {
                maxAndCount[0] = Math.max(maxAndCount[0], count.getInt(at));
                maxAndCount[1]++;
                continue;
            }
            if (low != null) {
                work.push(low);
            }
            if (high != null) {
                work.push(high);
            }
        }
    }
}
