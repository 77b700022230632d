package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** A concrete subclass of the abstract {@link Figure}. */
@Cypclass(base = Figure.class)
public class Square extends Cy_Square {

    interface Fields {
        double side();
    }

    @Init
    void init(double scale, double side) {
        init(scale);
        side(side);
    }

    @Override
    public double area() {
        return scale() * side() * side();
    }
}
