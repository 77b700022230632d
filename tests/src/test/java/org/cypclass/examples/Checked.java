package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** A cypclass whose {@code __init__} validates its argument. */
@Cypclass
public class Checked extends Cy_Checked {

    interface Fields {
        int positive();
    }

    @Init
    void init(int positive) {
        if (positive < 0) {
            throw new IllegalArgumentException("positive must be >= 0, not " + positive);
        }
        positive(positive);
    }
}
