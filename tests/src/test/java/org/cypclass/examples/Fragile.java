package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Dealloc;

/** A cypclass whose {@code __dealloc__} fails when asked to, holding a reference that must still be released. */
@Cypclass
public class Fragile extends Cy_Fragile {

    interface Fields {
        boolean failOnDealloc();

        Node held();
    }

    @Dealloc
    void dealloc() {
        if (failOnDealloc()) {
            throw new IllegalStateException("dealloc failure for the test");
        }
    }
}
