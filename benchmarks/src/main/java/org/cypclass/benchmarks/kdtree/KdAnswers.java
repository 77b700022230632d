package org.cypclass.benchmarks.kdtree;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cross-check of the KDTree comparison: every implementation must answer each query with
 * the same k distances as the reference, within {@link #RELATIVE_TOLERANCE}, rank by rank.
 * Indices are not compared directly: two rows at the same distance are both right, in either
 * order. Instead each returned row's distance is recomputed from the data, so a wrong row
 * cannot pass by reporting the right distance; a row listed twice for one query is wrong too.
 * An implementation that reports no distances is judged by the distances of its rows.
 *
 * <p>Thread-safety: stateless.
 */
final class KdAnswers {

    /**
     * Relative tolerance on a distance: the implementations sum 32 squares in different orders
     * (and one takes the root of a reduced distance), which moves the last few bits, never
     * the ninth digit.
     */
    static final double RELATIVE_TOLERANCE = 1e-9;
    /** The most disagreements one check lists before it counts the rest. */
    private static final int SHOWN = 10;

    private KdAnswers() {
    }

    /** The true Euclidean distance from query {@code query} to data row {@code row}. */
    @FunctionalInterface
    interface Truth {
        /** {@return the distance, recomputed from the data} */
        double distance(int query, long row);
    }

    /** One implementation's answers: {@code m * k} row indices and, when it reports them, distances. */
    record Answers(String impl, long[] indices, double[] distances) {
    }

    /** The {@link Truth} of row-major {@code data} and {@code queries} of {@code d} coordinates each. */
    static Truth euclidean(double[] data, double[] queries, int d) {
        return (query, row) -> {
            double sum = 0;
            for (int j = 0; j < d; j++) {
                double delta = data[(int) (row * d + j)] - queries[query * d + j];
                sum += delta * delta;
            }
            return Math.sqrt(sum);
        };
    }

    /**
     * Checks {@code other} against {@code reference}.
     *
     * @param n     the number of data rows
     * @param k     the neighbours per query
     * @param truth recomputes a distance from the data
     * @return what disagrees, one line per disagreement (at most {@value #SHOWN}, then a count);
     *         empty when {@code other} agrees
     */
    static List<String> disagreements(Answers reference, Answers other, long n, int k, Truth truth) {
        List<String> found = new ArrayList<>();
        int total = 0;
        int m = reference.indices().length / k;
        if (other.indices().length != reference.indices().length) {
            return List.of(String.format(Locale.ROOT, "%s answered %d neighbours, %s %d", other.impl(),
                other.indices().length, reference.impl(), reference.indices().length));
        }
        for (int q = 0; q < m; q++) {
            for (int j = 0; j < k; j++) {
                String problem = problem(reference, other, q, j, n, k, truth);
                if (problem != null && total++ < SHOWN) {
                    found.add(problem);
                }
            }
        }
        if (total > SHOWN) {
            found.add(String.format(Locale.ROOT, "... and %d more (%d disagreements in all)", total - SHOWN, total));
        }
        return found;
    }

    private static String problem(Answers reference, Answers other, int q, int j, long n, int k, Truth truth) {
        int at = q * k + j;
        long row = other.indices()[at];
        String where = String.format(Locale.ROOT, "query %d, neighbour %d: %s", q, j + 1, other.impl());
        if (row < 0 || row >= n) {
            return where + " returned row " + row + ", outside 0.." + (n - 1);
        }
        for (int i = q * k; i < at; i++) {
            if (other.indices()[i] == row) {
                return where + " returned row " + row + " twice";
            }
        }
        double actual = truth.distance(q, row);
        if (other.distances() != null && !close(other.distances()[at], actual)) {
            return String.format(Locale.ROOT, "%s reported distance %.17g for row %d, which lies at %.17g", where,
                other.distances()[at], row, actual);
        }
        long referenceRow = reference.indices()[at];
        double expected = reference.distances() != null ? reference.distances()[at] : truth.distance(q, referenceRow);
        if (!close(actual, expected)) {
            return String.format(Locale.ROOT, "%s returned row %d at distance %.17g; %s returned row %d at %.17g", where,
                row, actual, reference.impl(), referenceRow, expected);
        }
        return null;
    }

    /** Whether two distances agree within {@link #RELATIVE_TOLERANCE} (of the larger, or of 1 near zero). */
    static boolean close(double a, double b) {
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }
}
