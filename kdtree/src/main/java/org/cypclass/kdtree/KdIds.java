package org.cypclass.kdtree;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/**
 * The original row number of each point, permuted with the points into tree order: what a
 * query reports as a neighbour's index.
 */
@Cypclass
public class KdIds extends Cy_KdIds {

    /** For the generated factories: instances come from {@code create}. */
    KdIds() {
    }

    interface Fields {
        long[] ids();
    }

    @Init
    void init() {
    }
}
