package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** A cypclass extending another: its layout continues Shape's, its methods override. */
@Cypclass(base = Shape.class)
public class Circle extends Cy_Circle {

    interface Fields {
        byte kind();

        double radius();
    }

    @Init
    void init(int id, double radius) {
        init(id);
        radius(radius);
    }

    @Override
    public double area() {
        return Math.PI * radius() * radius();
    }

    @Override
    public String describe() {
        return "circle " + id();
    }
}
