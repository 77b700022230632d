package org.cypclass.examples;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;
import org.cypclass.objects.Length;

/**
 * A generic cypclass, Cython+'s {@code cdef cypclass Pair[T, U]}: two references whose classes
 * are type parameters, an array of the first's, and a number. One layout for every {@code Duo};
 * each store is checked against the bound, {@code CyObject}.
 *
 * @param <A> the class of the first element
 * @param <B> the class of the second element
 */
@Cypclass
public class Duo<A extends CyObject, B extends CyObject> extends Cy_Duo<A, B> {

    /** The nested interface is static: it declares the type parameters again, with the same bounds. */
    interface Fields<A extends CyObject, B extends CyObject> {
        A first();

        B second();

        int weight();

        @Length(2) A[] spares();
    }

    @Init
    void init(A first, B second) {
        first(first);
        second(second);
    }

    /**
     * Exchanges nothing but reads both elements through the type parameters.
     *
     * @return whether both elements are set
     */
    public boolean complete() {
        return first() != null && second() != null;
    }
}
