package org.cypclass.examples;

import java.util.ArrayList;
import java.util.List;

import org.cypclass.objects.CExport;
import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Dealloc;
import org.cypclass.objects.Init;
import org.cypclass.objects.Length;

/** A base cypclass with every primitive field kind, an array, a dealloc hook and a virtual method. */
@Cypclass
public class Shape extends Cy_Shape {

    /** What dealloc hooks saw, for the tests. */
    public static final List<String> DEALLOCATED = new ArrayList<>();

    interface Fields {
        boolean visible();

        byte layer();

        short flags();

        char tag();

        int id();

        long created();

        float scale();

        double weight();

        @Length(3) double[] origin();

        Shape parent();
    }

    @Init
    void init(int id) {
        id(id);
        visible(true);
    }

    /**
     * The shape's area; subclasses override it.
     *
     * @return 0 for a bare shape
     */
    @CExport
    public double area() {
        return 0;
    }

    /**
     * Describes the shape.
     *
     * @return its kind and id
     */
    public String describe() {
        return "shape " + id();
    }

    @Dealloc
    void dealloc() {
        DEALLOCATED.add(describe());
    }
}
