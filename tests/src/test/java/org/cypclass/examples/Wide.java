package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Length;

/** A list node padded to a size class (208 bytes) that no other example uses. */
@Cypclass
public class Wide extends Cy_Wide {

    interface Fields {
        long payload();

        Wide next();

        @Length(20) long[] padding();
    }
}
