package org.cypclass.examples;

import org.cypclass.objects.CExport;
import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** The talk's example: {@code cdef cypclass Adder}, its constructor and methods callable from C too. */
@Cypclass
public class Adder extends Cy_Adder {

    interface Fields {
        int value();
    }

    @Init
    @CExport
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
        value(value() + v);
        return value();
    }

    /**
     * Reads the value (for C callers that hold a read lock or a frozen Adder).
     *
     * @return the value
     */
    @CExport(name = "get")
    public int current() {
        return value();
    }
}
