package org.cypclass.kdtree;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.cypclass.objects.ElementsView;

/**
 * One thread's exact k-nearest-neighbour search over a frozen tree: read-only views of every
 * part's coordinates and ids (opened once per searcher, not per query), and a max-heap of the
 * k best candidates in primitive arrays. Depth first, nearer child first; a child is visited only
 * if its bounding box is closer than the worst candidate kept (scikit-learn's {@code min_rdist}
 * pruning).
 *
 * <p>Not thread-safe: one searcher per thread; it allocates nothing per query.
 */
final class Searcher implements AutoCloseable {

    private static final ValueLayout.OfDouble COORD = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfLong ID = ValueLayout.JAVA_LONG;

    private final int dims;
    private final ElementsView[] views;
    private final MemorySegment[] coords;
    private final MemorySegment[] ids;
    private double[] heapDistance = new double[0];
    private long[] heapId = new long[0];
    private int size;
    private int k;
    private double[] query;
    private int queryOffset;

    @SuppressWarnings("resourceleak") // the views wait in an array, which the checker cannot follow (its manual,
    // "Collections of resources"); close() closes every one, and a failure here closes those already open
    Searcher(KdPoints[] parts, KdIds[] partIds, int dims) {
        this.dims = dims;
        this.views = new ElementsView[2 * parts.length];
        this.coords = new MemorySegment[parts.length];
        this.ids = new MemorySegment[parts.length];
        try {
            for (int p = 0; p < parts.length; p++) {
                views[2 * p] = parts[p].coordsView();
                coords[p] = views[2 * p].segment();
                views[2 * p + 1] = partIds[p].idsView();
                ids[p] = views[2 * p + 1].segment();
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Finds the {@code k} nearest rows to the point at {@code query[offset ..]} and writes their
     * ids and Euclidean distances, nearest first, at {@code [out, out + k)}.
     */
    void search(KdNode root, int neighbours, double[] point, int offset, long[] outIds, double[] outDistances, int out) {
        if (heapDistance.length < neighbours) {
            heapDistance = new double[neighbours];
            heapId = new long[neighbours];
        }
        k = neighbours;
        size = 0;
        query = point;
        queryOffset = offset;
        visit(root, 0);
        // Pop the max-heap from the back: the farthest first, so the output ends nearest first.
        for (int i = size - 1; i >= 0; i--) {
            outDistances[out + i] = Math.sqrt(heapDistance[0]);
            outIds[out + i] = heapId[0];
            pop();
        }
        query = null;
    }

    /**
     * Visits a node whose bounding box is {@code lowerBound} (squared) from the query: skipped
     * when that cannot beat the worst candidate kept; else a leaf is scanned, and an inner node's
     * children are visited nearest box first (scikit-learn's order and pruning).
     */
    private void visit(KdNode node, double lowerBound) {
        if (size == k && lowerBound >= heapDistance[0]) {
            return;
        }
        if (node.isLeaf()) {
            scan(node);
            return;
        }
        KdNode left = node.left();
        KdNode right = node.right();
        double toLeft = boxDistance(left);
        double toRight = boxDistance(right);
        if (toLeft <= toRight) {
            visit(left, toLeft);
            visit(right, toRight);
        } else {
            visit(right, toRight);
            visit(left, toLeft);
        }
    }

    /** The squared distance from the query to a node's bounding box (0 inside it). */
    private double boxDistance(KdNode node) {
        double sum = 0;
        for (int j = 0; j < dims; j++) {
            double x = query[queryOffset + j];
            double below = node.bounds(j) - x;
            double above = x - node.bounds(dims + j);
            double gap = Math.max(0, Math.max(below, above));
            sum += gap * gap;
        }
        return sum;
    }

    private void scan(KdNode leaf) {
        int part = leaf.part();
        MemorySegment points = coords[part];
        MemorySegment rowIds = ids[part];
        long end = leaf.end();
        double worst = size < k ? Double.POSITIVE_INFINITY : heapDistance[0];
        for (long row = leaf.start(); row < end; row++) {
            long base = row * dims;
            double distance = 0;
            for (int j = 0; j < dims; j++) {
                double delta = points.getAtIndex(COORD, base + j) - query[queryOffset + j];
                distance += delta * delta;
                // Every 8 coordinates, give up on a row that is already farther than the worst kept.
                if ((j & 7) == 7 && distance >= worst) {
                    break;
                }
            }
            if (distance < worst) {
                if (size == k) {
                    pop();
                }
                push(distance, rowIds.getAtIndex(ID, row));
                worst = size < k ? Double.POSITIVE_INFINITY : heapDistance[0];
            }
        }
    }

    private void push(double distance, long id) {
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heapDistance[parent] >= distance) {
                break;
            }
            heapDistance[i] = heapDistance[parent];
            heapId[i] = heapId[parent];
            i = parent;
        }
        heapDistance[i] = distance;
        heapId[i] = id;
    }

    private void pop() {
        double lastDistance = heapDistance[--size];
        long lastId = heapId[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heapDistance[child + 1] > heapDistance[child]) {
                child++;
            }
            if (heapDistance[child] <= lastDistance) {
                break;
            }
            heapDistance[i] = heapDistance[child];
            heapId[i] = heapId[child];
            i = child;
        }
        heapDistance[i] = lastDistance;
        heapId[i] = lastId;
    }

    @Override
    public void close() {
        for (ElementsView view : views) {
            if (view != null) {
                view.close();
            }
        }
    }
}
