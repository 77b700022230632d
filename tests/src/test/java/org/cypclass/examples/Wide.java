package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Length;

/** A list node of 208 bytes, with a fixed-size primitive array. */
@Cypclass
public class Wide extends Cy_Wide {

    interface Fields {
        long payload();

        Wide next();

        @Length(20) long[] padding();
    }
}
