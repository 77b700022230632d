package org.cypclass.examples;

import org.cypclass.objects.CyStr;
import org.cypclass.objects.Cypclass;

/** A cypclass with a string field. */
@Cypclass
public class Named extends Cy_Named {

    interface Fields {
        CyStr name();

        long id();
    }

    /**
     * Stores {@code newName} and returns its length: a string crosses into an actor as an
     * argument of the generated {@code Async} form, frozen, with no {@code consume}.
     *
     * @param newName the new name
     * @return its length in bytes
     */
    public long rename(CyStr newName) {
        name(newName);
        return newName.length();
    }
}
