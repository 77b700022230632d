package org.cypclass.benchmarks;

import org.cypclass.objects.Cypclass;

/** Two reference fields of a concrete class: the non-generic twin of {@link BenchDuo}, for {@link ObjectBench}. */
@Cypclass
public class BenchLink extends Cy_BenchLink {

    interface Fields {
        BenchNode first();

        BenchNode second();
    }
}
