package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/**
 * A flexible array member, C99's {@code double values[]}: a point set of {@code dims}
 * coordinates per point, sized at creation ({@code Samples.create(count * dims, dims)}).
 */
@Cypclass
public class Samples extends Cy_Samples {

    interface Fields {
        int dims();

        Node label();

        double[] values();
    }

    @Init
    void init(int dims) {
        if (dims < 1) {
            throw new IllegalArgumentException("dims must be at least 1, not " + dims);
        }
        dims(dims);
    }

    /**
     * Sums all values through a view of the elements.
     *
     * @return the sum
     */
    public double sum() {
        double total = 0;
        try (org.cypclass.objects.ElementsView view = valuesView()) {
            java.lang.foreign.MemorySegment values = view.segment();
            for (long at = 0; at < values.byteSize(); at += Double.BYTES) {
                total += values.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE, at);
            }
        }
        return total;
    }
}
