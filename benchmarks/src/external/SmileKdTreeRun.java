// Run from Smile's own class path by ./cypclass bench kdtree (Smile is GPL-3.0: it is never
// compiled into, or shaded into, this project's jars; the JDK's source launcher runs this file):
//   java -cp <smile jars> SmileKdTreeRun.java DATA.npy QUERIES.npy TRIALS
// Prints one line: build seconds of each trial, query milliseconds per point, nearest indices.

import java.io.IOException;
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
        long start = System.nanoTime();
        for (double[] q : queries) {
            nearest.add(Integer.toString(tree.nearest(q).index()));
        }
        double millis = (System.nanoTime() - start) / 1e6 / queries.length;
        System.out.println("RESULT builds=" + builds + " queryMillis=" + millis + " nearest=" + nearest);
    }
}
