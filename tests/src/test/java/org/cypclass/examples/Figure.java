package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/**
 * An abstract cypclass, Cython+'s pure virtual methods: it declares {@link #area()}, its
 * subclasses implement it. It has no factory: creating a Figure is a compile error.
 */
@Cypclass
public abstract class Figure extends Cy_Figure {

    interface Fields {
        double scale();
    }

    @Init
    void init(double scale) {
        scale(scale);
    }

    /**
     * The figure's area, at its scale.
     *
     * @return the area
     */
    public abstract double area();

    /**
     * Describes the figure through the method its subclass implements.
     *
     * @return its area, formatted
     */
    public String describe() {
        return "area " + area();
    }
}
