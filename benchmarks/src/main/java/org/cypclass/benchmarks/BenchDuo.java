package org.cypclass.benchmarks;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.Cypclass;

/**
 * Two reference fields typed by type parameters: the generic twin of {@link BenchLink}, same
 * layout, for {@link ObjectBench}.
 *
 * @param <A> the class of the first element
 * @param <B> the class of the second element
 */
@Cypclass
public class BenchDuo<A extends CyObject, B extends CyObject> extends Cy_BenchDuo<A, B> {

    interface Fields<A extends CyObject, B extends CyObject> {
        A first();

        B second();
    }
}
