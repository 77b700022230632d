package org.cypclass.benchmarks.kdtree;

/**
 * The baseline a Java user could write by hand: the same tree as {@code org.cypclass.kdtree}
 * (scikit-learn's levels, widest dimension, middle split, Floyd-Rivest selection moving whole rows,
 * bounding boxes, nearest-box-first search) on one row-major {@code double[]} permuted in place,
 * with the nodes in flat arrays (node {@code i}'s children are {@code 2i + 1} and {@code 2i + 2}).
 * The honest measure of what off-heap storage and cypclass nodes cost.
 *
 * <p>Not thread-safe; single-threaded build and search.
 */
public final class JavaArraysKdTree {

    private final double[] coords;
    private final long[] ids;
    private final int dims;
    private final int nodes;
    private final int[] start;
    private final int[] end;
    private final int[] splitDim;
    private final double[] bounds;
    private final double[] low;
    private final double[] high;

    /**
     * Builds the tree, permuting {@code rowMajor} in place.
     *
     * @param rowMajor the points, row after row; reordered into tree order
     * @param dims coordinates per point
     * @param leafSize scikit-learn's {@code leaf_size}
     */
    public JavaArraysKdTree(double[] rowMajor, int dims, int leafSize) {
        this.coords = rowMajor;
        this.dims = dims;
        int n = rowMajor.length / dims;
        int levels = 1 + (int) Math.floor(Math.log(Math.max(1.0, (double) (n - 1) / leafSize)) / Math.log(2));
        this.nodes = (1 << levels) - 1;
        this.start = new int[nodes];
        this.end = new int[nodes];
        this.splitDim = new int[nodes];
        this.bounds = new double[nodes * 2 * dims];
        this.ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        this.low = new double[dims];
        this.high = new double[dims];
        build(0, 0, n);
    }

    private void build(int node, int from, int to) {
        start[node] = from;
        end[node] = to;
        for (int j = 0; j < dims; j++) {
            low[j] = Double.POSITIVE_INFINITY;
            high[j] = Double.NEGATIVE_INFINITY;
        }
        for (int row = from; row < to; row++) {
            int base = row * dims;
            for (int j = 0; j < dims; j++) {
                double x = coords[base + j];
                if (x < low[j]) {
                    low[j] = x;
                }
                if (x > high[j]) {
                    high[j] = x;
                }
            }
        }
        System.arraycopy(low, 0, bounds, node * 2 * dims, dims);
        System.arraycopy(high, 0, bounds, node * 2 * dims + dims, dims);
        if (2 * node + 1 >= nodes || to - from < 2) {
            splitDim[node] = -1;
            return;
        }
        int widest = 0;
        for (int j = 1; j < dims; j++) {
            if (high[j] - low[j] > high[widest] - low[widest]) {
                widest = j;
            }
        }
        int mid = (from + to) >>> 1;
        select(from, to, mid, widest);
        splitDim[node] = widest;
        build(2 * node + 1, from, mid);
        build(2 * node + 2, mid, to);
    }

    private double coord(int row, int dim) {
        return coords[row * dims + dim];
    }

    /** Floyd and Rivest's selection, as the library's {@code PartBuilder} does it. */
    private void select(int from, int to, int k, int dim) {
        int left = from;
        int right = to - 1;
        while (right > left) {
            if (right - left > 600) {
                double n = right - left + 1;
                double i = k - left + 1;
                double z = Math.log(n);
                double s = 0.5 * Math.exp(2 * z / 3);
                double sd = 0.5 * Math.sqrt(z * s * (n - s) / n) * Math.signum(i - n / 2);
                int sampleLeft = (int) Math.max(left, (long) (k - i * s / n + sd));
                int sampleRight = (int) Math.min(right, (long) (k + (n - i) * s / n + sd));
                select(sampleLeft, sampleRight + 1, k, dim);
            }
            double pivot = coord(k, dim);
            int i = left;
            int j = right;
            swap(left, k);
            if (coord(right, dim) > pivot) {
                swap(right, left);
            }
            while (i < j) {
                swap(i, j);
                i++;
                j--;
                while (coord(i, dim) < pivot) {
                    i++;
                }
                while (coord(j, dim) > pivot) {
                    j--;
                }
            }
            if (coord(left, dim) == pivot) {
                swap(left, j);
            } else {
                j++;
                swap(j, right);
            }
            if (j <= k) {
                left = j + 1;
            }
            if (k <= j) {
                right = j - 1;
            }
        }
    }

    private void swap(int a, int b) {
        int baseA = a * dims;
        int baseB = b * dims;
        for (int j = 0; j < dims; j++) {
            double x = coords[baseA + j];
            coords[baseA + j] = coords[baseB + j];
            coords[baseB + j] = x;
        }
        long id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
    }

    /**
     * Finds the nearest point to {@code query} (k = 1).
     *
     * @param query {@code dims} coordinates
     * @return the original row number of the nearest point
     */
    public long nearest(double[] query) {
        best = Double.POSITIVE_INFINITY;
        bestId = -1;
        visit(0, 0, query);
        return bestId;
    }

    private double best;
    private long bestId;

    private void visit(int node, double lowerBound, double[] query) {
        if (lowerBound >= best) {
            return;
        }
        if (splitDim[node] < 0) {
            for (int row = start[node]; row < end[node]; row++) {
                int base = row * dims;
                double distance = 0;
                for (int j = 0; j < dims; j++) {
                    double delta = coords[base + j] - query[j];
                    distance += delta * delta;
                    if ((j & 7) == 7 && distance >= best) {
                        break;
                    }
                }
                if (distance < best) {
                    best = distance;
                    bestId = ids[row];
                }
            }
            return;
        }
        int left = 2 * node + 1;
        int right = left + 1;
        double toLeft = boxDistance(left, query);
        double toRight = boxDistance(right, query);
        if (toLeft <= toRight) {
            visit(left, toLeft, query);
            visit(right, toRight, query);
        } else {
            visit(right, toRight, query);
            visit(left, toLeft, query);
        }
    }

    private double boxDistance(int node, double[] query) {
        int base = node * 2 * dims;
        double sum = 0;
        for (int j = 0; j < dims; j++) {
            double gap = Math.max(0, Math.max(bounds[base + j] - query[j], query[j] - bounds[base + dims + j]));
            sum += gap * gap;
        }
        return sum;
    }
}
