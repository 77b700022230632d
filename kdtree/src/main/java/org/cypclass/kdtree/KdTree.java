package org.cypclass.kdtree;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.objects.ElementsView;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.NotIsolatedException;

/**
 * A k-d tree for exact k-nearest-neighbour queries in Euclidean distance, built the way
 * scikit-learn's {@code KDTree} is, so that trees and answers compare: {@code 1 + floor(log2(
 * max(1, (n - 1) / leafSize)))} levels, each inner node splitting its rows at the middle on the
 * dimension of largest spread after a quickselect, the rows (points and their ids) permuted so
 * that each leaf's rows are contiguous.
 *
 * <h2>Built from cypclasses</h2>
 * Nodes are {@link KdNode} instances; points live off-heap in {@link KdPoints}, a flexible
 * array of float64. With several threads the first {@code log2(threads)} levels are split on
 * the calling thread; then the split points are frozen ({@code Isolated.consume(...).freeze()}),
 * so that every worker thread reads them at once without a lock: each copies its range into a
 * part of its own, builds that part's subtree with no lock, and hands the subtree back isolated
 * ({@code Isolated.consume}). The finished tree is frozen, so any number of threads query it
 * without a lock.
 *
 * <p>Thread-safety: safe to use from any thread once built: {@link #query} may run on any
 * number of threads at once; {@link #close()} must come after the last query.
 */
@InheritableMustCall("close")
public final class KdTree implements AutoCloseable {

    private final @Owning Frozen<KdNode> root;
    private final KdPoints[] parts;
    private final KdIds[] partIds;
    private final long size;
    private final int dims;
    private final int leafSize;
    private final int levels;

    private KdTree(@Owning Frozen<KdNode> root, long size, int dims, int leafSize, int levels, int partCount) {
        this.root = root;
        this.size = size;
        this.dims = dims;
        this.leafSize = leafSize;
        this.levels = levels;
        this.parts = new KdPoints[partCount];
        this.partIds = new KdIds[partCount];
        collectParts(root.get());
    }

    /**
     * Builds a tree over {@code points}, which it takes over (the reference is closed; the
     * points become the tree's, permuted into tree order).
     *
     * @param points at least one point, every coordinate finite; an owned, thread-local reference
     * @param leafSize the most rows a leaf may hold before it is split (scikit-learn's
     *        {@code leaf_size}), at least 1
     * @param threads how many threads build, at least 1
     * @return the tree, to close when done
     * @throws IllegalArgumentException if there are no points, a coordinate is NaN or infinite,
     *         {@code leafSize} or {@code threads} is below 1, or, with more than one thread,
     *         {@code points} is not the only reference to its points (the parallel build
     *         freezes them); {@code points} is then still open
     */
    public static KdTree build(@Owning KdPoints points, int leafSize, int threads) {
        if (leafSize < 1) {
            throw new IllegalArgumentException("leafSize must be at least 1, not " + leafSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        long n = points.rows();
        int dims = points.dims();
        if (n < 1) {
            throw new IllegalArgumentException("a tree needs at least one point");
        }
        int levels = 1 + (int) Math.floor(Math.log(Math.max(1.0, (double) (n - 1) / leafSize)) / Math.log(2));
        int topLevels = Math.min(31 - Integer.numberOfLeadingZeros(threads), levels - 1);
        double[] rootBox = PartBuilder.rootBox(points);
        if (topLevels > 0) {
            // The parallel build freezes the points once split: this must be their only reference.
            Isolated<KdPoints> alone;
            try {
                alone = Isolated.consume(points);
            } catch (NotIsolatedException e) {
                throw new IllegalArgumentException("a build on " + threads + " threads freezes the points it takes"
                    + " over, so the reference given must be their only one: " + e.getMessage() + ". Close the other"
                    + " references first, or build on 1 thread", e);
            }
            points = alone.adopt();
        }
        KdNode top = buildNodes(points, n, topLevels, levels - 1, rootBox);
        // The leaves hold the points and ids now: once this thread's references are closed, the
        // tree is one isolated graph (consume checks it), and frozen it is readable by any thread.
        points.close();
        Frozen<KdNode> frozen = Isolated.consume(top).freeze();
        return new KdTree(frozen, n, dims, leafSize, levels, 1 << topLevels);
    }

    /**
     * Builds the nodes over {@code points} and ids {@code 0 .. n - 1}; a parallel build takes
     * the points over (consumed), a build on one thread borrows them.
     */
    private static KdNode buildNodes(KdPoints points, long n, int topLevels, int lastLevel, double[] rootBox) {
        try (KdIds ids = KdIds.create(n)) {
            try (ElementsView view = ids.idsView()) {
                MemorySegment segment = view.segment();
                for (long i = 0; i < n; i++) {
                    segment.setAtIndex(ValueLayout.JAVA_LONG, i, i);
                }
            }
            return topLevels == 0 ? buildPart(points, ids, 0, lastLevel, 0, rootBox)
                : buildParallel(points, ids, topLevels, lastLevel, rootBox);
        }
    }

    /**
     * Builds a tree over a copy of Java rows.
     *
     * @param rowMajor {@code rows * dims} coordinates, row after row
     * @param dims coordinates per point
     * @param leafSize see {@link #build(KdPoints, int, int)}
     * @param threads see {@link #build(KdPoints, int, int)}
     * @return the tree, to close when done
     * @throws IllegalArgumentException as {@link #build(KdPoints, int, int)}, or if the length
     *         is not a multiple of {@code dims}
     */
    public static KdTree build(double[] rowMajor, int dims, int leafSize, int threads) {
        KdPoints points = KdPoints.copyOf(rowMajor, dims);
        try {
            return build(points, leafSize, threads);
        } catch (RuntimeException | Error e) {
            points.close();
            throw e;
        }
    }

    /**
     * Builds the subtree over all of one part, on the calling thread.
     *
     * @param box the part's bounding box if already measured, else null
     */
    private static KdNode buildPart(KdPoints points, KdIds ids, int level, int lastLevel, int part, double[] box) {
        try (ElementsView coords = points.coordsView(); ElementsView idView = ids.idsView()) {
            PartBuilder builder = new PartBuilder(points, ids, coords.segment(), idView.segment(), lastLevel, part);
            return builder.withFirstBox(box).build(0, points.rows(), level);
        }
    }

    /**
     * Splits the first {@code topLevels} levels here, in place; then freezes the split points
     * and ids, so that every worker thread reads them at once, without a lock: each copies its
     * range into a part of its own (the copies run in parallel), drops its frozen references,
     * builds its subtree with no lock and hands it back isolated. The last worker to finish
     * copying frees the original points.
     */
    @SuppressWarnings({"resourceleak", "mustcall"}) // the subtrees come back as owned holders in a list of futures
    // and the parents wait in an array, which the checker cannot follow (its manual, "Collections of resources");
    // each holder is adopted and closed in the loop below, or by closeAll after a failure, which closes every parent
    private static KdNode buildParallel(@Owning KdPoints points, @Owning KdIds ids, int topLevels, int lastLevel, double[] rootBox) {
        int partCount = 1 << topLevels;
        List<CompletableFuture<Isolated<KdNode>>> subtrees = new ArrayList<>(partCount);
        KdNode[] parents = new KdNode[partCount / 2];
        long n = points.rows();
        int dims = points.dims();
        long[] bounds = new long[partCount + 1];
        KdNode top = KdNode.create(2L * dims, 0, n);
        try (ElementsView coords = points.coordsView(); ElementsView idView = ids.idsView()) {
            PartBuilder splitter = new PartBuilder(points, ids, coords.segment(), idView.segment(), lastLevel, -1);
            splitTop(splitter.withFirstBox(rootBox), top, 0, n, 0, topLevels, parents, 0, bounds);
        }
        bounds[partCount] = n;
        // Neither is referenced by a node: each is its own isolated graph, frozen for the workers.
        try (Frozen<KdPoints> sharedPoints = Isolated.consume(points).freeze();
             Frozen<KdIds> sharedIds = Isolated.consume(ids).freeze()) {
            for (int p = 0; p < partCount; p++) {
                Frozen<KdPoints> workerPoints = sharedPoints.newReference();
                Frozen<KdIds> workerIds = sharedIds.newReference();
                long start = bounds[p];
                long end = bounds[p + 1];
                int part = p;
                subtrees.add(CompletableFuture.supplyAsync(() -> buildCopied(workerPoints, workerIds, start, end, topLevels,
                    lastLevel, part), runnable -> Thread.ofPlatform().name("kdtree-builder-" + part).start(runnable)));
            }
        }
        try {
            for (int p = 0; p < partCount; p++) {
                try (KdNode subtree = subtrees.get(p).get().adopt()) {
                    KdNode parent = parents[p / 2];
                    if (p % 2 == 0) {
                        parent.left(subtree);
                    } else {
                        parent.right(subtree);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(top, parents, subtrees);
            throw new IllegalStateException("interrupted while building the tree", e);
        } catch (ExecutionException e) {
            closeAll(top, parents, subtrees);
            throw new IllegalStateException("a builder thread failed", e.getCause());
        }
        for (KdNode parent : parents) {
            parent.close();
        }
        return top;
    }

    /**
     * On a worker: copies rows {@code [start, end)} of the frozen points and ids into a part
     * of its own, closes its frozen references, builds the part's subtree and hands it back
     * isolated.
     */
    private static Isolated<KdNode> buildCopied(@Owning Frozen<KdPoints> shared, @Owning Frozen<KdIds> sharedIds, long start,
                                                long end, int level, int lastLevel, int part) {
        KdPoints points;
        KdIds ids;
        try (shared; sharedIds) {
            points = copyRows(shared.get(), start, end);
            try {
                ids = copyIds(sharedIds.get(), start, end);
            } catch (RuntimeException | Error e) {
                points.close();
                throw e;
            }
        }
        KdNode subtree;
        try (points; ids) {
            subtree = buildPart(points, ids, level, lastLevel, part, null);
        }
        return Isolated.consume(subtree);
    }

    /** After a failed build: every reference this thread holds, and each subtree when its builder is done. */
    @SuppressWarnings("mustcall") // a list of futures of owned holders: see buildParallel
    private static void closeAll(KdNode top, KdNode[] parents, List<CompletableFuture<Isolated<KdNode>>> subtrees) {
        for (KdNode parent : parents) {
            parent.close();
        }
        top.close();
        for (CompletableFuture<Isolated<KdNode>> subtree : subtrees) {
            subtree.thenAccept(Isolated::close);
        }
    }

    /**
     * Splits rows {@code [start, end)} for the node at {@code level}; at the level above the
     * parts records the node as the parent of parts {@code 2 * slot} and {@code 2 * slot + 1}.
     */
    @SuppressWarnings("resourceleak") // parents[slot] keeps an owned reference in an array, which the checker cannot
    // follow (its manual, "Collections of resources"); buildParallel closes every parent, or closeAll does
    private static void splitTop(PartBuilder splitter, KdNode node, long start, long end, int level, int topLevels,
                                 KdNode[] parents, int slot, long[] bounds) {
        splitter.partition(node, start, end);
        long mid = (start + end) >>> 1;
        if (level == topLevels - 1) {
            parents[slot] = node.newReference();
            bounds[2 * slot] = start;
            bounds[2 * slot + 1] = mid;
            return;
        }
        long boundsLength = node.boundsLength();
        try (KdNode left = KdNode.create(boundsLength, start, mid); KdNode right = KdNode.create(boundsLength, mid, end)) {
            node.left(left);
            node.right(right);
            splitTop(splitter, left, start, mid, level + 1, topLevels, parents, 2 * slot, bounds);
            splitTop(splitter, right, mid, end, level + 1, topLevels, parents, 2 * slot + 1, bounds);
        }
    }

    private static KdPoints copyRows(KdPoints source, long start, long end) {
        int dims = source.dims();
        KdPoints part = KdPoints.of(end - start, dims);
        try (ElementsView from = source.coordsView(); ElementsView to = part.coordsView()) {
            long bytes = (long) dims * Double.BYTES;
            MemorySegment.copy(from.segment(), start * bytes, to.segment(), 0, (end - start) * bytes);
        } catch (RuntimeException | Error e) {
            part.close();
            throw e;
        }
        return part;
    }

    private static KdIds copyIds(KdIds source, long start, long end) {
        KdIds part = KdIds.create(end - start);
        try (ElementsView from = source.idsView(); ElementsView to = part.idsView()) {
            MemorySegment.copy(from.segment(), start * Long.BYTES, to.segment(), 0, (end - start) * Long.BYTES);
        } catch (RuntimeException | Error e) {
            part.close();
            throw e;
        }
        return part;
    }

    /** Finds each part's points and ids through the leaves (borrowed frozen references). */
    private void collectParts(KdNode node) {
        if (node.isLeaf()) {
            int part = node.part();
            if (parts[part] == null) {
                parts[part] = node.points();
                partIds[part] = node.ids();
            }
            return;
        }
        collectParts(node.left());
        collectParts(node.right());
    }

    /**
     * Returns the root node, to walk the tree (for example to compare it with scikit-learn's
     * {@code node_data}). The reference is borrowed from the frozen tree: nothing to close,
     * readable from any thread, valid until {@link #close()}; once the tree is closed the
     * reference returned is closed too, and every use of it throws
     * {@link IllegalStateException}.
     *
     * @return the root
     */
    @NotOwning
    public KdNode root() {
        return root.get();
    }

    /**
     * {@return how many points the tree holds}
     * Fixed at build: also readable once the tree is closed.
     */
    public long size() {
        return size;
    }

    /**
     * {@return the number of coordinates of each point, the dimension}
     * Fixed at build: also readable once the tree is closed.
     */
    public int dims() {
        return dims;
    }

    /**
     * {@return the leaf size the tree was built with (scikit-learn's {@code leaf_size})}
     * Fixed at build: also readable once the tree is closed.
     */
    public int leafSize() {
        return leafSize;
    }

    /**
     * {@return the number of levels, the leaves' included (scikit-learn's {@code n_levels})}
     * Fixed at build: also readable once the tree is closed.
     */
    public int levels() {
        return levels;
    }

    /**
     * Finds the {@code k} nearest points to each query point, on {@code threads} threads.
     *
     * @param queries {@code m * dims()} coordinates, row after row
     * @param k how many neighbours per point, from 1 to {@link #size()}
     * @param indices receives {@code m * k} row numbers (of the points given to the build),
     *        nearest first for each query point
     * @param distances receives the matching {@code m * k} Euclidean distances
     * @param threads how many threads search, at least 1
     * @throws IllegalArgumentException if {@code k} or {@code threads} is out of range, the
     *         queries are not whole points of {@code dims()} coordinates, a coordinate is not
     *         finite, or an output array is shorter than {@code m * k}
     */
    public void query(double[] queries, int k, long[] indices, double[] distances, int threads) {
        if (k < 1 || k > size) {
            throw new IllegalArgumentException("k must be from 1 to the " + size + " points of the tree, not " + k);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        if (queries.length % dims != 0) {
            throw new IllegalArgumentException(queries.length + " query coordinates are not whole points of " + dims
                + " dimensions");
        }
        int m = queries.length / dims;
        if ((long) m * k > indices.length || (long) m * k > distances.length) {
            throw new IllegalArgumentException(m + " query points x " + k + " neighbours need outputs of " + (long) m * k
                + " elements, not " + indices.length + " and " + distances.length);
        }
        for (int i = 0; i < queries.length; i++) {
            if (!Double.isFinite(queries[i])) {
                throw new IllegalArgumentException("query point " + i / dims + " has a " + queries[i] + " coordinate");
            }
        }
        int workers = Math.min(threads, Math.max(1, m));
        if (workers == 1) {
            searchRange(queries, k, indices, distances, 0, m);
            return;
        }
        List<Thread> running = new ArrayList<>(workers);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < workers; w++) {
            int from = (int) ((long) m * w / workers);
            int to = (int) ((long) m * (w + 1) / workers);
            running.add(Thread.ofPlatform().name("kdtree-query-" + w).start(() -> {
                try {
                    searchRange(queries, k, indices, distances, from, to);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        boolean interrupted = false;
        for (Thread thread : running) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a query thread failed", failures.getFirst());
        }
    }

    /**
     * Finds the {@code k} nearest points to one point; see {@link #query(double[], int, long[],
     * double[], int)}.
     *
     * @param point {@code dims()} coordinates
     * @param k how many neighbours
     * @param indices receives {@code k} row numbers, nearest first
     * @param distances receives the {@code k} distances
     */
    public void query(double[] point, int k, long[] indices, double[] distances) {
        if (point.length != dims) {
            throw new IllegalArgumentException("a query point has " + dims + " coordinates, not " + point.length);
        }
        query(point, k, indices, distances, 1);
    }

    private void searchRange(double[] queries, int k, long[] indices, double[] distances, int from, int to) {
        try (Searcher searcher = new Searcher(parts, partIds, dims)) {
            KdNode top = root.get();
            for (int q = from; q < to; q++) {
                searcher.search(top, k, queries, q * dims, indices, distances, q * k);
            }
        }
    }

    /** Frees the tree: its nodes, points and ids. Call it after the last query. */
    @Override
    @EnsuresCalledMethods(value = "this.root", methods = "close")
    public void close() {
        root.close();
    }

    @Override
    public String toString() {
        return "KdTree(" + size + " points x " + dims + ", leafSize " + leafSize + ", " + levels + " levels, " + parts.length
            + " part" + (parts.length == 1 ? "" : "s") + ")";
    }
}
