package org.cypclass.benchmarks;

import org.cypclass.objects.CExport;
import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** The talk's Adder, as a cypclass, for {@link ObjectBench}; {@code add} is exported to C for {@link CSideBench}. */
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
    @CExport
    public int add(int v) {
        int sum = value() + v;
        value(sum);
        return sum;
    }
}
