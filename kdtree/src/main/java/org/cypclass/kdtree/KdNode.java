package org.cypclass.kdtree;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/**
 * One node of the tree: the rows {@code [start, end)} of its part's points. An inner node
 * splits them on {@code dim} at {@code split} (left below, right at or above); a leaf holds
 * references to the part's points and ids, which its rows index, and the part's number. Every
 * node keeps the bounding box of its rows ({@code bounds[0 .. dims)} the lows,
 * {@code bounds[dims .. 2 * dims)} the highs), which queries prune with, as scikit-learn does.
 */
@Cypclass
public class KdNode extends Cy_KdNode {

    /** For the generated factories: instances come from {@code create}. */
    KdNode() {
    }

    interface Fields {
        long start();

        long end();

        int dim();

        double split();

        KdNode left();

        KdNode right();

        KdPoints points();

        KdIds ids();

        int part();

        double[] bounds();
    }

    @Init
    void init(long start, long end) {
        start(start);
        end(end);
        dim(-1);
    }

    /**
     * {@return whether this node is a leaf: it has no children}
     */
    public boolean isLeaf() {
        return dim() < 0;
    }
}
