package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** The talk's example: {@code cdef cypclass Adder}. */
@Cypclass
public class Adder extends Cy_Adder {

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
        value(value() + v);
        return value();
    }
}
