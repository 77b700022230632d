package org.cypclass.kdtree;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.cypclass.objects.ElementsView;

/**
 * Builds the nodes over one part of the points, as scikit-learn's {@code KDTree} does: a node
 * of level {@code L} below the part's top is a leaf when it is on the last level; otherwise it
 * splits its rows at the middle ({@code (start + end) / 2}) on the dimension of largest spread,
 * after a selection ({@code nth_element}: Floyd and Rivest's) that moves whole rows (and their
 * ids) so that every leaf's rows end up contiguous.
 *
 * <p>Works on the part's elements through {@link ElementsView} segments (one bounds-checked
 * segment access per coordinate, no per-access capability check) and allocates only the
 * nodes. Not thread-safe: one builder per thread and part.
 */
final class PartBuilder {

    private static final ValueLayout.OfDouble COORD = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfLong ID = ValueLayout.JAVA_LONG;
    /** Above this many rows, {@link #select} first selects within a sample (Floyd and Rivest's 600). */
    private static final long SAMPLED_SELECT = 600;

    private final KdPoints points;
    private final KdIds ids;
    private final MemorySegment coords;
    private final MemorySegment idSegment;
    private final int dims;
    private final int lastLevel;
    private final int part;
    private final double[] low;
    private final double[] high;
    /** One row, for {@link #swap}. */
    private final MemorySegment scratch;
    /** The box of the first node, when the caller measured it already; null after its use. */
    private double[] firstBox;

    /**
     * @param points the part's points (borrowed for the build; its views are the caller's)
     * @param ids the part's ids
     * @param coords a view of the points' coordinates
     * @param idSegment a view of the ids
     * @param lastLevel the level whose nodes are leaves
     * @param part the part's number, recorded in its leaves
     */
    PartBuilder(KdPoints points, KdIds ids, MemorySegment coords, MemorySegment idSegment, int lastLevel, int part) {
        this.points = points;
        this.ids = ids;
        this.coords = coords;
        this.idSegment = idSegment;
        this.dims = points.dims();
        this.lastLevel = lastLevel;
        this.part = part;
        this.low = new double[dims];
        this.high = new double[dims];
        this.scratch = MemorySegment.ofArray(new double[dims]);
    }

    /**
     * Gives the box of the first node this builder makes, measured by {@link #rootBox}, so
     * that the first {@link #spread} does not read the rows again.
     *
     * @param box the lows then the highs, {@code 2 * dims} values
     * @return this builder
     */
    PartBuilder withFirstBox(double[] box) {
        this.firstBox = box;
        return this;
    }

    /**
     * The bounding box of all the points (lows then highs), checking in the same pass that
     * every coordinate is finite: the build's first pass over the data.
     *
     * @throws IllegalArgumentException naming the first point with a NaN or infinite coordinate
     */
    static double[] rootBox(KdPoints points) {
        int dims = points.dims();
        double[] box = new double[2 * dims];
        try (ElementsView view = points.coordsView()) {
            MemorySegment coords = view.segment();
            long rows = points.rows();
            for (int j = 0; j < dims; j++) {
                box[j] = Double.POSITIVE_INFINITY;
                box[dims + j] = Double.NEGATIVE_INFINITY;
            }
            boolean nan = false;
            for (long row = 0; row < rows; row++) {
                long base = row * dims;
                for (int j = 0; j < dims; j++) {
                    double x = coords.getAtIndex(COORD, base + j);
                    // NaN passes neither comparison below; infinities show in the box.
                    nan |= x != x;
                    if (x < box[j]) {
                        box[j] = x;
                    }
                    if (x > box[dims + j]) {
                        box[dims + j] = x;
                    }
                }
            }
            boolean finite = !nan;
            for (int j = 0; j < dims && finite; j++) {
                finite = Double.isFinite(box[j]) && Double.isFinite(box[dims + j]);
            }
            if (!finite) {
                throw notFinite(coords, dims);
            }
        }
        return box;
    }

    /** The error for the first coordinate that is not finite (a second pass, on bad input only). */
    private static IllegalArgumentException notFinite(MemorySegment coords, int dims) {
        long count = coords.byteSize() / Double.BYTES;
        for (long i = 0; i < count; i++) {
            double x = coords.getAtIndex(COORD, i);
            if (!Double.isFinite(x)) {
                return new IllegalArgumentException("point " + i / dims + " has a " + x + " coordinate (dimension "
                    + i % dims + "): every coordinate must be finite");
            }
        }
        throw new AssertionError("a coordinate that is not finite was seen, then not found");
    }

    /** Builds the subtree over rows {@code [start, end)} at {@code level}; returns its owned root. */
    KdNode build(long start, long end, int level) {
        KdNode node = KdNode.create(2L * dims, start, end);
        spread(start, end);
        node.boundsCopyFrom(0, low, 0, dims);
        node.boundsCopyFrom(dims, high, 0, dims);
        if (level >= lastLevel || end - start < 2) {
            node.points(points);
            node.ids(ids);
            node.part(part);
            return node;
        }
        int dim = widest();
        long mid = (start + end) >>> 1;
        select(start, end, mid, dim);
        node.dim(dim);
        node.split(coord(mid, dim));
        try (KdNode left = build(start, mid, level + 1); KdNode right = build(mid, end, level + 1)) {
            node.left(left);
            node.right(right);
        } catch (RuntimeException | Error e) {
            // A failed child build must not leak this node.
            node.close();
            throw e;
        }
        return node;
    }

    /** Splits rows {@code [start, end)} for a node whose children the caller builds elsewhere. */
    void partition(KdNode node, long start, long end) {
        spread(start, end);
        node.boundsCopyFrom(0, low, 0, dims);
        node.boundsCopyFrom(dims, high, 0, dims);
        int dim = widest();
        long mid = (start + end) >>> 1;
        select(start, end, mid, dim);
        node.dim(dim);
        node.split(coord(mid, dim));
    }

    private double coord(long row, int dim) {
        return coords.getAtIndex(COORD, row * dims + dim);
    }

    /** The bounding box of the rows, into {@code low} and {@code high}. */
    private void spread(long start, long end) {
        if (firstBox != null) {
            System.arraycopy(firstBox, 0, low, 0, dims);
            System.arraycopy(firstBox, dims, high, 0, dims);
            firstBox = null;
            return;
        }
        for (int j = 0; j < dims; j++) {
            low[j] = Double.POSITIVE_INFINITY;
            high[j] = Double.NEGATIVE_INFINITY;
        }
        for (long row = start; row < end; row++) {
            long base = row * dims;
            for (int j = 0; j < dims; j++) {
                double x = coords.getAtIndex(COORD, base + j);
                // Branches, not Math.min/max: coordinates are finite (no NaN or -0.0 rule to keep),
                // and once a few rows are in, a new extreme is rare, so the branches predict well
                // (half the time of Math.min/max on 10^6 x 32 here).
                if (x < low[j]) {
                    low[j] = x;
                }
                if (x > high[j]) {
                    high[j] = x;
                }
            }
        }
    }

    /** The dimension whose coordinates spread widest over the last {@link #spread} (scikit-learn's choice). */
    private int widest() {
        int widest = 0;
        for (int j = 1; j < dims; j++) {
            if (high[j] - low[j] > high[widest] - low[widest]) {
                widest = j;
            }
        }
        return widest;
    }

    /**
     * Floyd and Rivest's selection: moves the rows so that row {@code k} holds the value it
     * would hold sorted on {@code dim}, rows before it no greater and rows after it no smaller.
     * On a large range it first selects within a sample around rank {@code k}, so that the
     * partition that follows uses a pivot very close to the answer and moves each row at most
     * about once: half the row moves of a median-of-three quickselect on 10^6 rows, and rows
     * are 256 bytes here. Linear on runs of equal values.
     */
    private void select(long start, long end, long k, int dim) {
        long left = start;
        long right = end - 1;
        while (right > left) {
            if (right - left > SAMPLED_SELECT) {
                // Recurse on a sample of about n^(2/3) rows around rank k (the constants are
                // Floyd and Rivest's); the sample ends with row k holding a good pivot.
                double n = right - left + 1;
                double i = k - left + 1;
                double z = Math.log(n);
                double s = 0.5 * Math.exp(2 * z / 3);
                double sd = 0.5 * Math.sqrt(z * s * (n - s) / n) * Math.signum(i - n / 2);
                long sampleLeft = Math.max(left, (long) (k - i * s / n + sd));
                long sampleRight = Math.min(right, (long) (k + (n - i) * s / n + sd));
                select(sampleLeft, sampleRight + 1, k, dim);
            }
            double pivot = coord(k, dim);
            long i = left;
            long j = right;
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
            // Row j holds the pivot, rows before it are no greater and rows after no smaller.
            if (j <= k) {
                left = j + 1;
            }
            if (k <= j) {
                right = j - 1;
            }
        }
    }

    private void swap(long a, long b) {
        if (a == b) {
            return;
        }
        // Three bulk copies through a row-sized scratch: a 256-byte row moves as a few wide
        // loads and stores, where a loop of single coordinates costs a third more here.
        long rowBytes = (long) dims * Double.BYTES;
        MemorySegment.copy(coords, a * rowBytes, scratch, 0, rowBytes);
        MemorySegment.copy(coords, b * rowBytes, coords, a * rowBytes, rowBytes);
        MemorySegment.copy(scratch, 0, coords, b * rowBytes, rowBytes);
        long idA = idSegment.getAtIndex(ID, a);
        idSegment.setAtIndex(ID, a, idSegment.getAtIndex(ID, b));
        idSegment.setAtIndex(ID, b, idA);
    }
}
