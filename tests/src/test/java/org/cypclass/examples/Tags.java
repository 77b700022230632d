package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.containers.IntSet;
import org.cypclass.objects.containers.LongSet;

/** A cypclass with set fields. */
@Cypclass
public class Tags extends Cy_Tags {

    interface Fields {
        LongSet seen();

        IntSet codes();
    }
}
