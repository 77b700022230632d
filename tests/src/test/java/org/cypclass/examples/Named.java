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
}
