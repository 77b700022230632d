package org.cypclass.benchmarks;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** A linked-list node as a cypclass, for the chain walk of {@link ObjectBench}. */
@Cypclass
public class BenchNode extends Cy_BenchNode {

    interface Fields {
        long payload();

        BenchNode next();
    }

    @Init
    void init(long payload, BenchNode next) {
        payload(payload);
        next(next);
    }
}
