package org.cypclass.benchmarks;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** The talk's Adder, as a cypclass, for {@link ObjectBench}. */
@Cypclass
public class BenchAdder extends Cy_BenchAdder {

    interface Fields {
        int value();
    }

    @Init
    void init(int value) {
        value(value);
    }

    /**
     * Adds to the value.
     *
     * @param v what to add
     * @return the new value
     */
    public int add(int v) {
        int sum = value() + v;
        value(sum);
        return sum;
    }
}
